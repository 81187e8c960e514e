import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SECRET_SIG, SPECIAL_SIG_KEY } from "../../protocol";
import {
  emptyState,
  loadState,
  markSecrets,
  maskSecrets,
  saveState,
  secretKeysOf,
  type StackState,
} from "../../runner/state";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-state-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sample = (): StackState => ({
  ...emptyState("proj", "dev"),
  resources: [
    {
      urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/confluent:ApiKey::k",
      type: "pulumi-nodejs:dynamic/confluent:ApiKey",
      name: "k",
      id: "KEY1",
      inputs: { displayName: "k" },
      outputs: markSecrets({ displayName: "k", secret: "fake-secret-value" }, ["secret"]),
      provider: "exports.handler = () => ({});",
      dependencies: [],
      secretOutputs: ["secret"],
    },
  ],
  outputs: { keySecret: { [SPECIAL_SIG_KEY]: SECRET_SIG, value: "fake-secret-value" } },
});

describe("state file", () => {
  it("a missing file is an empty stack", () => {
    expect(loadState(path.join(dir, "none.json"), "proj", "dev")).toEqual({
      version: 1,
      project: "proj",
      stack: "dev",
      resources: [],
      outputs: {},
    });
  });

  it("round-trips, creates the folder, leaves no temp file and is readable only by its owner", () => {
    const file = path.join(dir, ".state", "dev.json");
    saveState(file, sample());
    expect(loadState(file, "proj", "dev")).toEqual(sample());
    expect(fs.readdirSync(path.dirname(file))).toEqual(["dev.json"]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("keeps secret values in the marked wire form", () => {
    const file = path.join(dir, "dev.json");
    saveState(file, sample());
    const raw = JSON.parse(fs.readFileSync(file, "utf8")) as {
      resources: Array<{ outputs: Record<string, unknown> }>;
    };
    expect(raw.resources[0]?.outputs.secret).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: "fake-secret-value",
    });
  });

  it("a failed write leaves the previous state intact and no temp file", () => {
    const file = path.join(dir, "dev.json");
    saveState(file, sample());
    const before = fs.readFileSync(file, "utf8");
    const bad = { ...sample(), outputs: { n: 1n } } as unknown as StackState; // JSON.stringify throws on BigInt
    expect(() => saveState(file, bad)).toThrow("Do not know how to serialize a BigInt");
    expect(fs.readFileSync(file, "utf8")).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(["dev.json"]);
  });

  it("a rename onto a folder fails and removes its temp file", () => {
    const target = path.join(dir, "taken");
    fs.mkdirSync(path.join(target, "child"), { recursive: true });
    expect(() => saveState(target, sample())).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(fs.readdirSync(dir)).toEqual(["taken"]);
  });

  it("rejects a file that is not a state file, naming the bad field", () => {
    const file = path.join(dir, "dev.json");
    fs.writeFileSync(
      file,
      JSON.stringify({ version: 1, project: "p", stack: "dev", resources: [{ urn: 3 }], outputs: {} }),
    );
    expect(() => loadState(file, "p", "dev")).toThrow(
      `state file ${file} is not valid: resources.0.urn: Expected string, received number`,
    );
  });
});

describe("secret helpers", () => {
  it("markSecrets wraps listed keys once and ignores absent ones", () => {
    const once = markSecrets({ a: 1, b: "x" }, ["b", "missing"]);
    expect(once).toEqual({ a: 1, b: { [SPECIAL_SIG_KEY]: SECRET_SIG, value: "x" } });
    expect(markSecrets(once, ["b"])).toEqual(once);
    expect(secretKeysOf(once)).toEqual(["b"]);
  });

  it("maskSecrets shows [secret] at any depth", () => {
    expect(maskSecrets({ a: [{ b: markSecrets({ s: "v" }, ["s"]).s }], c: "plain" })).toEqual({
      a: [{ b: "[secret]" }],
      c: "plain",
    });
  });
});
