/**
 * Issue 30, defect 6: inputs a careless or hostile program gives. Each fails with a message naming its cause
 * and the fix, at the preview `up` starts with, so no API call is ever sent (the emulator's request log
 * stays empty):
 * - a 5 MB displayName (before: gRPC's "Received message larger than max", from the runner's 4 MiB client
 *   limit) and a 5 MB description (a field with no documented maximum);
 * - `new RoleBinding("x", pulumi.secret({...}))` (before: `isKnown: is not a property of RoleBinding`);
 * - `new Provider("p", { cloudApiKey })` without a secret and used by no resource (before: accepted).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle, type LifecycleResult } from "../../runner";

const fixture = path.join(__dirname, "fixtures", "hostile-input");
const SA = "urn:pulumi:dev::adversarial-input::pulumi-nodejs:dynamic/confluent:ServiceAccount::huge";

let emulator: RunningEmulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "adv-input-"));
});

afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function control(method: string, what: string): Promise<unknown> {
  const auth = Buffer.from(`${emulator.apiKey}:${emulator.apiSecret}`).toString("base64");
  const res = await fetch(`${emulator.url}/_emulator/${what}`, {
    method,
    headers: { authorization: `Basic ${auth}` },
  });
  const text = await res.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** `up` of one scenario, with the emulator's request log cleared first. */
async function up(scenario: string): Promise<LifecycleResult> {
  await control("DELETE", "requests");
  return runLifecycle("up", {
    cwd: fixture,
    statePath: path.join(dir, `${scenario}.json`),
    config: [`scenario=${scenario}`],
    env: {
      ...process.env,
      CONFLUENT_CLOUD_ENDPOINT: emulator.url,
      CONFLUENT_CLOUD_API_KEY: emulator.apiKey,
      CONFLUENT_CLOUD_API_SECRET: emulator.apiSecret,
    },
  });
}

async function requests(): Promise<string[]> {
  const log = (await control("GET", "requests")) as { data: { method: string; path: string }[] };
  return log.data.map((r) => `${r.method} ${r.path}`);
}

it.each([
  [
    "huge-display-name",
    `${SA}: invalid inputs: displayName: must be at most 64 characters (got 5242880); shorten it`,
  ],
  [
    "huge-description",
    `${SA}: invalid inputs: description: is 5242880 characters long; an input may hold at most 1048576 ` +
      "characters (this package's limit where the API documents none); shorten it",
  ],
  [
    "secret-args",
    "program failed: new RoleBinding(name, args): args must be a plain object of inputs, not an Output " +
      "(pulumi.secret, pulumi.output, apply or interpolate). Pass an object and wrap individual values in " +
      "pulumi.secret instead, e.g. { someInput: pulumi.secret(value) }",
  ],
  [
    "half-provider",
    "program failed: Provider p: cloudApiSecret is required when cloudApiKey is set: a Provider sets " +
      "cloudApiKey and cloudApiSecret together; set both, or neither to use the stack config or the environment",
  ],
])("%s: up fails with the cause and the fix, and sends no API call", async (scenario, message) => {
  const r = await up(scenario);
  expect(r.exitCode).toBe(1);
  expect(r.errors).toEqual([message]);
  expect(await requests()).toEqual([]);
  expect(fs.existsSync(path.join(dir, `${scenario}.json`))).toBe(false);
});

describe("every class refuses a whole args object that is not a plain object, naming the class", () => {
  const classes = Object.entries(confluentcloud).filter(
    ([name, v]) => typeof v === "function" && "__pulumiType" in v && name !== "Provider",
  ) as [string, new (name: string, args: unknown) => unknown][];

  it("covers every resource class of the package", () => {
    expect(classes.length).toBeGreaterThanOrEqual(18);
  });

  it.each(classes)("%s", (name, Cls) => {
    const tail =
      "Pass an object and wrap individual values in pulumi.secret instead, e.g. { someInput: pulumi.secret(value) }";
    const given: [unknown, string][] = [
      [pulumi.secret({ displayName: "x" }), "an Output (pulumi.secret, pulumi.output, apply or interpolate)"],
      [Promise.resolve({ displayName: "x" }), "a Promise"],
      [[{ displayName: "x" }], "an array"],
      ["displayName=x", "a string"],
    ];
    for (const [args, what] of given) {
      expect(() => new Cls("x", args)).toThrow(
        new Error(`new ${name}(name, args): args must be a plain object of inputs, not ${what}. ${tail}`),
      );
    }
  });
});
