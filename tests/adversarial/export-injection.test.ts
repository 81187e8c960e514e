// `confluent-iam export` copies text the API holds (names, descriptions, ids, CRNs) into a program that
// someone, often an OrganizationAdmin, later previews. Anyone who may rename an object must not be able to
// put code into that program: every text reaches it through one escaping function (runner/export/text.ts).
// Attacked here with the exact reproduction of issue 30 (a CR in an environment name ends the `//` comment it
// is copied into: CR, U+2028 and U+2029 all end a line in JavaScript) and with random hostile text.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as fc from "fast-check";
import * as ts from "typescript";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle } from "../../runner";
import { exportOrganization } from "../../runner/export";
import { literal, safeText } from "../../runner/export/text";

const repoRoot = path.resolve(__dirname, "..", "..");
jest.setTimeout(600_000);

const ORG = "b0b0cafe-0000-4000-8000-0000000000a7";
const ORG_CRN = `crn://confluent.cloud/organization=${ORG}`;
/** Cases whose program is previewed (all are compiled). */
const PREVIEWS = 4;

async function admin(
  emu: RunningEmulator,
  method: string,
  apiPath: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${emu.url}${apiPath}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${emu.apiKey}:${emu.apiSecret}`).toString("base64")}`,
      "content-type": "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function made(emu: RunningEmulator, apiPath: string, body: unknown): Promise<string> {
  const r = await admin(emu, "POST", apiPath, body);
  if (r.status >= 300) throw new Error(`POST ${apiPath}: ${r.status} ${JSON.stringify(r.body)}`);
  return (r.body as { id: string }).id;
}

/** Every file under `dir` (but `skip`) with its size and modification time: what a run may not change. */
function snapshot(dir: string, skip: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (p === skip || e.name === "node_modules") continue;
      if (e.isDirectory()) walk(p);
      else {
        const st = fs.statSync(p);
        out.push(`${path.relative(dir, p)} ${st.size} ${st.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out.sort();
}

/** Type-checks several exported programs in one compiler run (strict, noUnusedLocals: the repository's options). */
function typeErrors(dirs: readonly string[]): string[] {
  const cfg = ts.readConfigFile(path.join(repoRoot, "tsconfig.json"), (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(cfg.config, ts.sys, repoRoot);
  const program = ts.createProgram(
    dirs.map((d) => path.join(d, "index.ts")),
    { ...parsed.options, strict: true, rootDir: undefined, noEmit: true },
  );
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

describe("the one escaping function", () => {
  it("leaves no line terminator and no delimiter a string, template or comment would end at", () => {
    expect(safeText("a\nb\rc\u2028d\u2029e")).toBe("a\\u000ab\\u000dc\\u2028d\\u2029e");
    expect(safeText('"`\\${x}*/ok/*')).toBe('\\"\\`\\\\\\${x}*\\/ok/*');
    expect(safeText("Zoë O'Brien 中文 \u202e \ud800")).toBe("Zoë O'Brien 中文 \\u202e \\ud800");
    // What a string literal of it evaluates to is the original, lone surrogates and all.
    for (const s of ["a\r\nb", "\u2028\u2029", "${`x`}", "*/", "\\", "\ud800x", "\u0000"])
      expect(JSON.parse(JSON.stringify(eval(literal(s)) as string))).toBe(s);
  });
});

describe("export writes no code from the API, and its preview changes nothing outside the program's folder", () => {
  let emu: RunningEmulator;
  let work: string;
  let sentinel: string;
  /**
   * Programs the property test type-checks together with its own: one compiler run (tens of seconds on a
   * busy machine) instead of one per test.
   */
  const toCompile: string[] = [];
  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    CONFLUENT_CLOUD_ENDPOINT: emu.url,
    CONFLUENT_CLOUD_API_KEY: emu.apiKey,
    CONFLUENT_CLOUD_API_SECRET: emu.apiSecret,
  });
  const linkModules = (dir: string): void =>
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  const exportTo = async (dir: string): Promise<string> => {
    await exportOrganization({
      out: dir,
      project: "hostile",
      credentials: { endpoint: emu.url, apiKey: emu.apiKey, apiSecret: emu.apiSecret },
    });
    linkModules(dir);
    return fs.readFileSync(path.join(dir, "index.ts"), "utf8");
  };

  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    work = fs.mkdtempSync(path.join(os.tmpdir(), "export-injection-"));
    sentinel = fs.mkdtempSync(path.join(os.tmpdir(), "export-sentinel-"));
  });
  afterAll(async () => {
    await emu.close();
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(sentinel, { recursive: true, force: true });
  });

  it("issue 30's reproduction: an environment named demo\\rrequire('fs').writeFileSync('pwned','') runs nothing at preview", async () => {
    const name = "demo\rrequire('fs').writeFileSync('pwned','')";
    await admin(emu, "POST", "/_emulator/reset");
    const seeded = await admin(emu, "POST", "/_emulator/seed", {
      organization_id: ORG,
      environments: [{ id: "env-h1", display_name: name }],
    });
    expect(seeded.status).toBe(200);
    const sa = await made(emu, "/iam/v2/service-accounts", { display_name: "ci", description: "" });
    // A binding on the environment: its CRN names the environment, so the program writes its constant and
    // the display name in the comment beside it.
    await made(emu, "/iam/v2/role-bindings", {
      principal: `User:${sa}`,
      role_name: "EnvironmentAdmin",
      crn_pattern: `${ORG_CRN}/environment=env-h1`,
    });
    const dir = path.join(work, "repro");
    const text = await exportTo(dir);
    expect(text).toContain(
      "const demoRequireFsWriteFileSyncPwnedEnv = \"env-h1\"; // demo\\u000drequire('fs').writeFileSync('pwned','')\n",
    );
    expect(text).not.toMatch(/[\r\u2028\u2029]/);
    toCompile.push(dir);

    const before = snapshot(work, dir);
    const r = await runLifecycle("preview", { cwd: dir, env: env() });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(fs.existsSync(path.join(dir, "pwned"))).toBe(false);
    expect(snapshot(work, dir)).toEqual(before);
  });

  it("an organization id with U+2028 stays in its comment, and Pulumi.yaml stays one description", async () => {
    const org = `b0b0\u2028require('fs').writeFileSync(${JSON.stringify(path.join(sentinel, "org"))},'')`;
    await admin(emu, "POST", "/_emulator/reset");
    expect((await admin(emu, "POST", "/_emulator/seed", { organization_id: org })).status).toBe(200);
    await made(emu, "/iam/v2/service-accounts", { display_name: "ci", description: "" });
    const dir = path.join(work, "org");
    const text = await exportTo(dir);
    expect(text.split("\n")[0]).toBe(
      `// Exported by \`confluent-iam export\` from organization ${safeText(org)}.`,
    );
    expect(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")).toBe(
      "name: hostile\nruntime: nodejs\n" +
        `description: "IAM of Confluent Cloud organization b0b0\\Lrequire('fs').writeFileSync(${JSON.stringify(path.join(sentinel, "org")).replace(/"/g, '\\"')},''), exported by confluent-iam export."\n` +
        "main: index.ts\n",
    );
    toCompile.push(dir);
    const r = await runLifecycle("preview", { cwd: dir, env: env() });
    expect(r.errors).toEqual([]);
    expect(fs.readdirSync(sentinel)).toEqual([]);
  });

  it("random Unicode, every line terminator and every comment and string delimiter, in every name and description", async () => {
    // Each payload writes a file in the sentinel folder, outside the program's: if any text became code,
    // the preview would leave that file (or the program would not compile).
    const payload = (n: number): string =>
      `require('fs').writeFileSync(${JSON.stringify(path.join(sentinel, `p${n}`))},'')`;
    const pieces = [
      "\n",
      "\r",
      "\r\n",
      "\u2028",
      "\u2029",
      "//",
      "/*",
      "*/",
      '"',
      "'",
      "`",
      "${",
      "}",
      "\\",
      "\\u2028",
      "\u202e",
      "\ud800",
      ";",
      ")",
    ];
    const hostile = (n: number, max?: number): fc.Arbitrary<string> =>
      fc
        .array(
          fc.oneof(
            fc.string({ unit: "binary", maxLength: 6 }),
            fc.constantFrom(...pieces),
            fc.constant(payload(n)),
          ),
          { minLength: 1, maxLength: 6 },
        )
        // Names are not empty (the API refuses that), and at most `max` long where the API has a limit.
        .map((xs) => (max === undefined ? xs.join("") : xs.join("").slice(0, max)) || "x");
    // Every name and description the renderer copies: the environment's name (a comment), a user's full name,
    // a service account's name and description, an API key's, an identity provider's and pool's, a group
    // mapping's, an IP group's name, and the tail of a role binding's CRN (a template literal's text).
    const caseArb = fc.record({
      envName: hostile(1),
      userName: hostile(2),
      saName: hostile(3, 64),
      saDescription: hostile(4),
      keyName: hostile(5, 64),
      keyDescription: hostile(6),
      providerDescription: hostile(7),
      poolName: hostile(8, 64),
      poolDescription: hostile(9),
      mappingDescription: hostile(10),
      ipGroupName: hostile(11, 64),
      topic: hostile(12),
    });
    const cases = fc.sample(caseArb, { numRuns: 16, seed: 30 });
    // The first case holds every piece at once, so the strongest input is always tried.
    cases.unshift({
      ...cases[0]!,
      envName: `prod${pieces.join("")}${payload(1)}`,
      saName: "ci",
      saDescription: `x${pieces.join("")}${payload(4)}"+${payload(4)}+"`,
      topic: `t*/${payload(12)}/*\`+${payload(12)}+\`\${${payload(12)}}`,
    });

    const dirs: string[] = [];
    for (const [i, c] of cases.entries()) {
      await admin(emu, "POST", "/_emulator/reset");
      const seeded = await admin(emu, "POST", "/_emulator/seed", {
        organization_id: ORG,
        users: [{ id: "u-h1", email: "h@example.com", full_name: c.userName }],
        environments: [{ id: "env-h1", display_name: c.envName }],
        kafka_clusters: [{ id: "lkc-h1", environment: "env-h1" }],
      });
      expect(seeded.status).toBe(200);
      const sa = await made(emu, "/iam/v2/service-accounts", {
        display_name: c.saName,
        description: c.saDescription,
      });
      await made(emu, "/iam/v2/api-keys", {
        spec: {
          display_name: c.keyName,
          description: c.keyDescription,
          owner: { id: sa },
        },
      });
      await made(emu, "/iam/v2/role-bindings", {
        principal: `User:${sa}`,
        role_name: "DeveloperRead",
        // The API refuses a line terminator in a CRN (`^crn://.+$`: `.` matches no line terminator); the rest of the text stays.
        crn_pattern: `${ORG_CRN}/environment=env-h1/cloud-cluster=lkc-h1/kafka=lkc-h1/topic=${c.topic.replace(/[\n\r\u2028\u2029]/g, "")}`,
      });
      const op = await made(emu, "/iam/v2/identity-providers", {
        display_name: `idp ${i}`,
        description: c.providerDescription,
        issuer: "https://login.example.com/t/v2.0",
        jwks_uri: "https://login.example.com/t/keys",
      });
      await made(emu, `/iam/v2/identity-providers/${op}/identity-pools`, {
        display_name: c.poolName,
        description: c.poolDescription,
        identity_claim: "claims.sub",
        filter: 'claims.aud=="x"',
      });
      await made(emu, "/iam/v2/sso/group-mappings", {
        display_name: `group ${i}`,
        description: c.mappingDescription,
        filter: '"g" in claims.groups',
      });
      await admin(emu, "POST", "/iam/v2/ip-groups", {
        group_name: c.ipGroupName,
        cidr_blocks: ["10.0.0.0/8"],
      });
      const dir = path.join(work, `case-${i}`);
      const text = await exportTo(dir);
      dirs.push(dir);
      if (i === 0) {
        // The strongest case is in the program: the environment's name in its comment, the description as a
        // string, the topic in the CRN's template literal.
        expect(text).toContain(`Env = "env-h1"; // ${safeText(c.envName)}\n`);
        expect(text).toContain(`description: ${literal(c.saDescription)},`);
        expect(text).toContain(`/topic=${safeText(c.topic)}\``);
      }
      // No line terminator is written raw.
      expect({ case: c, raw: /[\r\u2028\u2029]/.test(text) }).toEqual({ case: c, raw: false });
      // A preview runs the program in a new Node process (seconds each), against the emulator holding this
      // case's objects: the first PREVIEWS cases run it; every case is compiled below, which sees every
      // statement the program would run.
      if (i < PREVIEWS) {
        const before = snapshot(work, dir);
        const r = await runLifecycle("preview", { cwd: dir, env: env() });
        expect({ case: c, errors: r.errors, exitCode: r.exitCode }).toEqual({
          case: c,
          errors: [],
          exitCode: 0,
        });
        expect(snapshot(work, dir)).toEqual(before);
        expect(fs.readdirSync(sentinel)).toEqual([]);
      }
    }
    // Every program type-checks strictly (one compiler run for all of them, and the tests' above).
    expect(typeErrors([...toCompile, ...dirs])).toEqual([]);
    expect(fs.readdirSync(sentinel)).toEqual([]);
  });
});
