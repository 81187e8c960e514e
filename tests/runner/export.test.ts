// `confluent-iam export`: an organization of every kind (300+ objects, references between them) seeded in the
// emulator, exported, compiled strictly, adopted by `up` with no API writes, then previewed with and without
// the import options (0 changes); and the inputs it refuses without writing anything.
import { execFile } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { EXPORT_ORG, ODD_NAMES, seedExportOrg, type SeededOrg } from "../../bench/export-org";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle, type Command, type LifecycleResult } from "../../runner";
import { exportCommand, parseExportArgs } from "../../runner/export";
import { baseName, uniqueNames } from "../../runner/export/names";
import { renderProgram } from "../../runner/export/render";
import { loadState } from "../../runner/state";

const repoRoot = path.resolve(__dirname, "..", "..");
jest.setTimeout(900_000);

interface Logged {
  method: string;
  path: string;
}

async function admin(
  emu: RunningEmulator,
  method: string,
  apiPath: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const send = (): Promise<Response> =>
    fetch(`${emu.url}${apiPath}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${emu.apiKey}:${emu.apiSecret}`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  let res: Response;
  try {
    res = await send();
  } catch (e) {
    // The compile check blocks the loop for tens of seconds; the emulator closes the idle keep-alive socket
    // meanwhile, and the next request, sent on it before the loop saw the close, is reset unanswered. Sent
    // again once, on a new socket.
    if ((e as { cause?: { code?: string } }).cause?.code !== "ECONNRESET") throw e;
    res = await send();
  }
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const requests = async (emu: RunningEmulator): Promise<Logged[]> =>
  ((await admin(emu, "GET", "/_emulator/requests")).body as { data: Logged[] }).data;
const orgReads = async (emu: RunningEmulator): Promise<string[]> =>
  (await requests(emu)).filter((r) => r.path.startsWith("/org/v2/organizations")).map((r) => r.path);
const writes = async (emu: RunningEmulator): Promise<string[]> =>
  (await requests(emu)).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);

/** `export` in process, with the credentials as stack config (`--config`). */
async function runExport(
  url: string,
  emu: RunningEmulator,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await exportCommand(
    [
      ...args,
      "--config",
      `confluentcloud:endpoint=${url}`,
      "--config",
      `confluentcloud:cloudApiKey=${emu.apiKey}`,
      "--config",
      `confluentcloud:cloudApiSecret=${emu.apiSecret}`,
    ],
    { out: (s) => (out += s), err: (s) => (err += s) },
  );
  return { code, out, err };
}

/** Type-checks `<dir>/index.ts` with this repository's compiler options (strict, noUnusedLocals, paths). */
function typeErrors(dir: string): string[] {
  const cfg = ts.readConfigFile(path.join(repoRoot, "tsconfig.json"), (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(cfg.config, ts.sys, repoRoot);
  const program = ts.createProgram([path.join(dir, "index.ts")], {
    ...parsed.options,
    rootDir: undefined,
    noEmit: true,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

/** The import ids of a program, in order. */
const importsOf = (text: string): string[] =>
  [...text.matchAll(/\{ import: "([^"]+)" \}/g)].map((m) => m[1] ?? "");
/** The resource names of a program, in order. */
const resourceNames = (text: string): string[] =>
  [...text.matchAll(/new confluentcloud\.(\w+)\(\n {2}"([^"]+)"/g)].map((m) => `${m[1] ?? ""} ${m[2] ?? ""}`);

describe("export of an organization of every kind", () => {
  let emu: RunningEmulator;
  let work: string;
  let seeded: SeededOrg;
  let dump: Record<string, { id: string; status?: string; identity_provider_id?: string }[]>;
  let programA: string;
  /** The export's API calls, read before the compile (which blocks the loop for tens of seconds). */
  let exportLog: Logged[];
  const statePath = (): string => path.join(work, "state", "dev.json");

  const lifecycle = (command: Command, cwd: string): Promise<LifecycleResult> =>
    runLifecycle(command, {
      cwd,
      statePath: statePath(),
      env: {
        ...process.env,
        CONFLUENT_CLOUD_ENDPOINT: emu.url,
        CONFLUENT_CLOUD_API_KEY: emu.apiKey,
        CONFLUENT_CLOUD_API_SECRET: emu.apiSecret,
      },
    });
  /** The exported folder resolves @pulumi/pulumi from this repository (pulumi-confluent-iam: ts-register). */
  const linkModules = (dir: string): void =>
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");

  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    work = fs.mkdtempSync(path.join(os.tmpdir(), "export-"));
    seeded = await seedExportOrg((m, p, b) => admin(emu, m, p, b), 300);
    dump = (await admin(emu, "GET", "/_emulator/dump")).body as typeof dump;
  });
  afterAll(async () => {
    await emu.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("seeds at least 300 objects of every kind", () => {
    expect(seeded.total).toBeGreaterThanOrEqual(300);
    expect(Object.keys(seeded.ids).sort()).toEqual([
      "apiKeys",
      "byokKeys",
      "groupMappings",
      "identityPools",
      "identityProviders",
      "invitations",
      "ipFilters",
      "ipGroups",
      "providerIntegrations",
      "roleBindings",
      "serviceAccounts",
      "users",
    ]);
  });

  it("writes a program of every object, with references, that compiles strictly, and lists reads only", async () => {
    await admin(emu, "DELETE", "/_emulator/requests");
    const dir = path.join(work, "a");
    const r = await runExport(emu.url, emu, ["--out", dir, "--project", "exported-org"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    exportLog = await requests(emu);
    expect(exportLog.filter((q) => q.method !== "GET")).toEqual([]);
    expect(fs.readdirSync(dir).sort()).toEqual(["Pulumi.yaml", "README.md", "index.ts", "package.json"]);
    programA = fs.readFileSync(path.join(dir, "index.ts"), "utf8");

    // One resource per object, each adopting it by the import-ID format of its class.
    const ids = (kind: string): string[] => (dump[kind] ?? []).map((o) => o.id);
    const accepted = new Set(seeded.acceptedInvitations);
    const pools = await Promise.all(
      ids("identity_providers").map(async (op) => {
        const list = (
          await admin(emu, "GET", `/iam/v2/identity-providers/${op}/identity-pools?page_size=100`)
        ).body as { data: { id: string }[] };
        return list.data.map((p) => `${op}/${p.id}`);
      }),
    );
    const integrations = (dump.integrations ?? []) as unknown as {
      id: string;
      environment_id: string;
    }[];
    const expected = [
      ...ids("service_accounts"),
      ...ids("users"),
      ...ids("identity_providers"),
      ...pools.flat(),
      ...ids("group_mappings"),
      ...ids("ip_groups"),
      ...ids("ip_filters"),
      ...ids("api_keys"),
      ...ids("role_bindings"),
      ...ids("invitations").filter((i) => !accepted.has(i)),
      ...integrations.map((p) => `${p.environment_id}/${p.id}`),
      ...ids("byok_keys"),
    ];
    expect(importsOf(programA).sort()).toEqual([...expected].sort());
    expect(expected.length).toBeGreaterThanOrEqual(300);

    // References instead of literal ids; CRNs built from getOrganizationOutput() and environment constants:
    // the organization id is in the header comment only.
    expect(programA).toContain(
      "const organization = confluentcloud.getOrganizationOutput();\n" +
        "const orgCrn = pulumi.interpolate`crn://confluent.cloud/organization=${organization.id}`;\n",
    );
    expect(programA.split(EXPORT_ORG).length - 1).toBe(1);
    expect(programA).toContain(`// Exported by \`confluent-iam export\` from organization ${EXPORT_ORG}.\n`);
    expect(programA).toContain('const productionEnv = "env-x001"; // production');
    expect(programA.match(/crn:\/\//g)).toEqual(["crn://"]);
    expect(programA).not.toMatch(/principal: "/);
    expect(programA).not.toMatch(/owner: \{ id: "/);
    expect(programA).not.toMatch(/ipGroups: \[[^\]]*"/);
    expect(programA).not.toMatch(/identityProvider: \{ id: "/);
    expect(programA).toContain("principal: pulumi.interpolate`User:${ciDeployerSa.id}`,");
    expect(programA).toContain(
      "crnPattern: pulumi.interpolate`${orgCrn}/environment=${productionEnv}/cloud-cluster=lkc-x1`,",
    );
    expect(programA).toMatch(/crnPattern: orgCrn,/);
    expect(programA).toMatch(/ipGroups: \[office0IpGroup\.id, office1IpGroup\.id\],/);
    expect(programA).toContain("identityProvider: { id: idp0Provider.id },");
    expect(programA).toContain("environment: { id: productionEnv },");
    // Groups, each under a comment, dependencies first.
    expect([...programA.matchAll(/^\/\/ ([A-Za-z ]+)[^\n]*: \d+$/gm)].map((m) => m[1])).toEqual([
      "Service accounts",
      "Users ",
      "Identity providers",
      "Identity pools",
      "SSO group mappings",
      "IP groups",
      "IP filters",
      "API keys ",
      "Role bindings",
      "Invitations ",
      "Provider integrations",
      "BYOK keys",
    ]);
    // Display names that are not identifiers, and a name two objects share: readable, unique, by id.
    const names = resourceNames(programA);
    expect(new Set(names.map((n) => n.split(" ")[1])).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        "ServiceAccount serviceAccount2FastSa",
        "ServiceAccount ciDeployerSa",
        "ServiceAccount classSa",
        "User zoeOBrienUser",
      ]),
    );
    const sharedKeys = (dump.api_keys ?? []).slice(0, 2).map((k) => `ApiKey deployKey_${k.id}`);
    expect(names).toEqual(expect.arrayContaining(sharedKeys));
    expect(ODD_NAMES.sharedKeyName).toBe("deploy key");

    const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
    expect(readme).toContain(`# Organization ${EXPORT_ORG}`);
    expect(readme).toContain('their `secret` output is `""` (still a Pulumi secret)');
    expect(readme).toContain(
      `that are no longer pending (accepted: the person is a \`User\` now) were left out (${seeded.acceptedInvitations.join(", ")}).`,
    );
    expect(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))).toMatchObject({
      dependencies: { "pulumi-confluent-iam": expect.stringMatching(/^\^\d+\.\d+\.\d+/) },
    });
    expect(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")).toMatch(
      /^name: exported-org\nruntime: nodejs\n/,
    );

    linkModules(dir);
    expect(typeErrors(dir)).toEqual([]);
  });

  it("lists each kind at its largest page size, and role bindings on every scope", async () => {
    const gets = exportLog as (Logged & { query: Record<string, string> })[];
    const bindingScopes = gets
      .filter((g) => g.path === "/iam/v2/role-bindings")
      .map((g) => g.query.crn_pattern)
      .filter((c, i, all) => all.indexOf(c) === i);
    const orgCrn = `crn://confluent.cloud/organization=${EXPORT_ORG}`;
    expect(bindingScopes).toEqual([
      orgCrn,
      ...["1", "2", "3"].flatMap((n) => [
        `${orgCrn}/environment=env-x00${n}`,
        `${orgCrn}/environment=env-x00${n}/cloud-cluster=lkc-x${n}`,
        `${orgCrn}/environment=env-x00${n}/schema-registry=lsrc-x${n}`,
      ]),
    ]);
    const sizes = new Map(gets.map((g) => [g.path.replace(/\/op-[^/]+\//, "/{op}/"), g.query.page_size]));
    expect(Object.fromEntries(sizes)).toEqual({
      "/org/v2/organizations": "100",
      "/org/v2/environments": "100",
      "/cmk/v2/clusters": "100",
      "/srcm/v3/clusters": "100",
      "/iam/v2/service-accounts": "100",
      "/iam/v2/sso/group-mappings": "100",
      "/iam/v2/users": "100",
      "/iam/v2/identity-providers": "100",
      "/iam/v2/identity-providers/{op}/identity-pools": "100",
      "/iam/v2/ip-groups": "100",
      "/iam/v2/ip-filters": "100",
      "/iam/v2/api-keys": "100",
      "/iam/v2/role-bindings": "1000",
      "/iam/v2/invitations": "100",
      "/pim/v1/integrations": "100",
      "/pim/v2/integrations": "100",
      "/iam/v2/certificate-authorities": "100",
      "/byok/v1/keys": "100",
    });
  });

  it("up adopts every object with no POST, PATCH or DELETE, and every object is in the stack", async () => {
    const dir = path.join(work, "a");
    await admin(emu, "DELETE", "/_emulator/requests");
    const r = await lifecycle("up", dir);
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(await writes(emu)).toEqual([]);
    // The program reads its organization once a run, through getOrganizationOutput(): `up` runs it for the
    // preview it starts with, then for the update.
    expect(await orgReads(emu)).toEqual(["/org/v2/organizations", "/org/v2/organizations"]);
    const state = loadState(statePath(), "exported-org", "dev");
    expect(state.resources.map((x) => String(x.outputs.importId)).sort()).toEqual(importsOf(programA).sort());
    expect(r.summary.create).toBe(importsOf(programA).length);
  });

  it("the next preview plans 0 changes", async () => {
    await admin(emu, "DELETE", "/_emulator/requests");
    const r = await lifecycle("preview", path.join(work, "a"));
    expect(r.exitCode).toBe(0);
    expect(r.steps).toEqual([]);
    expect(await writes(emu)).toEqual([]);
    expect(await orgReads(emu)).toEqual(["/org/v2/organizations"]);
  });

  it("a second export with --no-import gives the same resources, and preview plans 0 changes", async () => {
    const dir = path.join(work, "b");
    const r = await runExport(emu.url, emu, ["--out", dir, "--project", "exported-org", "--no-import"]);
    expect(r.code).toBe(0);
    const programB = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    expect(importsOf(programB)).toEqual([]);
    expect(resourceNames(programB)).toEqual(resourceNames(programA));
    linkModules(dir);
    await admin(emu, "DELETE", "/_emulator/requests");
    const p = await lifecycle("preview", dir);
    expect(p.errors).toEqual([]);
    expect(p.steps).toEqual([]);
    expect(await writes(emu)).toEqual([]);
  });

  it("--environment reads only that environment's scopes (and the organization's)", async () => {
    await admin(emu, "DELETE", "/_emulator/requests");
    const dir = path.join(work, "env");
    const r = await runExport(emu.url, emu, [
      "--out",
      dir,
      "--environment",
      "env-x002",
      "--include",
      "RoleBinding,ProviderIntegration",
    ]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const text = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    const orgCrn = `crn://confluent.cloud/organization=${EXPORT_ORG}`;
    const scopes = (await requests(emu))
      .filter((g) => g.path === "/iam/v2/role-bindings")
      .map((g) => (g as Logged & { query: Record<string, string> }).query.crn_pattern);
    expect(scopes).toEqual([
      orgCrn,
      `${orgCrn}/environment=env-x002`,
      `${orgCrn}/environment=env-x002/cloud-cluster=lkc-x2`,
      `${orgCrn}/environment=env-x002/schema-registry=lsrc-x2`,
    ]);
    expect(text).toContain('const stagingEnv = "env-x002"; // staging');
    expect(text).not.toContain("env-x001");
    expect(text).not.toContain("env-x003");
    expect(text).not.toContain("new confluentcloud.ServiceAccount(");
    // Principals that are not in the program stay literal.
    expect(text).toMatch(/principal: "User:sa-[0-9a-z]+",/);
    const expected = (dump.role_bindings as unknown as { id: string; crn_pattern: string }[]).filter(
      (b) => b.crn_pattern === orgCrn || b.crn_pattern.includes("/environment=env-x002"),
    );
    expect(
      importsOf(text)
        .filter((i) => i.startsWith("rb-"))
        .sort(),
    ).toEqual(expected.map((b) => b.id).sort());
  });

  it("the compile check reports a program that does not type-check", () => {
    const dir = path.join(work, "broken");
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      'import * as confluentcloud from "pulumi-confluent-iam";\nnew confluentcloud.ServiceAccount("x", { displayName: 1 });\n',
    );
    linkModules(dir);
    expect(typeErrors(dir)).toEqual([
      `${path.join(dir, "index.ts")}: Type 'number' is not assignable to type 'Input<string>'.`,
    ]);
  });

  it("--state leaves out every object the stack already manages", async () => {
    const r = await runExport(emu.url, emu, ["--out", path.join(work, "c"), "--state", statePath()]);
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toBe(
      `exported 0 objects of organization ${EXPORT_ORG} to ${path.join(work, "c")}; left out ${importsOf(programA).length + seeded.acceptedInvitations.length} (see README.md)`,
    );
    expect(importsOf(fs.readFileSync(path.join(work, "c", "index.ts"), "utf8"))).toEqual([]);
  });
});

describe("export refuses bad input and writes nothing", () => {
  let emu: RunningEmulator;
  let work: string;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    work = fs.mkdtempSync(path.join(os.tmpdir(), "export-bad-"));
    await admin(emu, "POST", "/iam/v2/ip-groups", { group_name: "office", cidr_blocks: ["10.0.0.0/8"] });
  });
  afterAll(async () => {
    await emu.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("an existing non-empty --out: exit 1, the folder untouched, no API call", async () => {
    const dir = path.join(work, "full");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "index.ts"), "// mine\n");
    await admin(emu, "DELETE", "/_emulator/requests");
    const r = await runExport(emu.url, emu, ["--out", dir]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `confluent-iam: export: --out ${dir} is not empty: choose a new or empty folder (export never overwrites files)\n`,
    );
    expect(fs.readdirSync(dir)).toEqual(["index.ts"]);
    expect(fs.readFileSync(path.join(dir, "index.ts"), "utf8")).toBe("// mine\n");
    expect(await requests(emu)).toEqual([]);
  });

  it("credentials that may not list a kind: the error names the kind and the role; --exclude skips it", async () => {
    // A loopback server in front of the emulator that refuses one list, as the API does for a missing role.
    const server = http.createServer((req, res) => {
      void (async () => {
        if (req.method === "GET" && (req.url ?? "").startsWith("/iam/v2/ip-filters")) {
          res.writeHead(403, { "content-type": "application/json" });
          res.end(
            JSON.stringify({ errors: [{ status: "403", code: "forbidden", detail: "Forbidden Access" }] }),
          );
          return;
        }
        const upstream = await fetch(`${emu.url}${req.url ?? ""}`, {
          method: req.method,
          headers: { authorization: req.headers.authorization ?? "" },
        });
        res.writeHead(upstream.status, { "content-type": "application/json" });
        res.end(await upstream.text());
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const dir = path.join(work, "denied");
      const r = await runExport(url, emu, ["--out", dir]);
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        "confluent-iam: export: cannot list IP filters: GET /iam/v2/ip-filters answered 403. Grant the " +
          "credentials' owner OrganizationAdmin (IP filters are organization-wide). To export without them, " +
          "add --exclude IpFilter.\n",
      );
      expect(fs.readdirSync(work)).toEqual(["full"]);

      const ok = await runExport(url, emu, ["--out", dir, "--exclude", "IpFilter"]);
      expect(ok.err).toBe("");
      expect(ok.code).toBe(0);
      const text = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
      expect(text).not.toContain("IpFilter");
      expect(text).toContain('new confluentcloud.IpGroup(\n  "officeIpGroup",');
      expect(fs.readFileSync(path.join(dir, "README.md"), "utf8")).toContain(
        "- **Kinds not asked for** (--include/--exclude): IpFilter.",
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("unknown kinds, a missing --out and a bad environment id are usage errors (exit 2)", async () => {
    expect(() => parseExportArgs(["--out", "x", "--include", "ServiceAccount,Topic"])).toThrow(
      "--include Topic: unknown kind; expected one of ServiceAccount, User, IdentityProvider, IdentityPool, " +
        "GroupMapping, IpGroup, IpFilter, ApiKey, CertificateAuthority, CertificatePool, RoleBinding, Invitation, " +
        "ProviderIntegration, ProviderIntegrationSetup, ProviderIntegrationAuthorization, ByokKey",
    );
    expect(() => parseExportArgs(["--environment", "env-1"])).toThrow("export needs --out DIR");
    expect(() => parseExportArgs(["--out", "x", "--environment", "prod"])).toThrow(
      '--environment expects an environment id such as env-abc123, got "prod"',
    );
    const cli = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          "-r",
          path.join(repoRoot, "scripts", "ts-register.js"),
          path.join(repoRoot, "runner", "cli.ts"),
          "export",
        ],
        { cwd: work, timeout: 60_000 },
        (err, _stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stderr }),
      );
    });
    expect(cli).toEqual({
      code: 2,
      stderr: "confluent-iam: export: export needs --out DIR\nRun confluent-iam export --help for usage.\n",
    });
  });

  it("a wrong secret: exit 1 saying so, nothing written", async () => {
    let err = "";
    const dir = path.join(work, "wrong");
    const code = await exportCommand(
      [
        "--out",
        dir,
        "--config",
        `confluentcloud:endpoint=${emu.url}`,
        "--config",
        `confluentcloud:cloudApiKey=${emu.apiKey}`,
        "--config",
        "confluentcloud:cloudApiSecret=not-the-fake-secret",
      ],
      { out: () => undefined, err: (s) => (err += s) },
    );
    expect(code).toBe(1);
    expect(err).toBe(
      "confluent-iam: export: cannot list organizations: GET /org/v2/organizations answered 401: the API key or secret is wrong.\n",
    );
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("an environment that does not exist is an error naming the ones that do", async () => {
    const r = await runExport(emu.url, emu, ["--out", path.join(work, "env"), "--environment", "env-nope1"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "confluent-iam: export: --environment env-nope1: no such environment in organization " +
        "b0b0cafe-0000-4000-8000-000000000001 (it has env-demo01, env-prod01)\n",
    );
    expect(fs.existsSync(path.join(work, "env"))).toBe(false);
  });
});

describe("variable names", () => {
  it("are identifiers derived from display names, with the kind as suffix", () => {
    expect(baseName("ci-deployer", "Sa", "service account")).toBe("ciDeployerSa");
    expect(baseName("ci deployer!", "Sa", "service account")).toBe("ciDeployerSa");
    expect(baseName("2 fast", "Sa", "service account")).toBe("serviceAccount2FastSa");
    expect(baseName("ci-cloud-key", "Key", "api key")).toBe("ciCloudKey");
    expect(baseName("Zoë O'Brien", "User", "user")).toBe("zoeOBrienUser");
    expect(baseName("中文", "Sa", "service account")).toBe("serviceAccountSa");
    expect(baseName(undefined, "Binding", "role binding")).toBe("roleBinding");
    expect(baseName("HTTPServer", "Sa", "service account")).toBe("httpServerSa");
  });

  it("shared by several objects get each object's id, the same on every run", () => {
    const requests = [
      { id: "KEY2", base: "deployKey" },
      { id: "KEY1", base: "deployKey" },
      { id: "env-x1/KEY3", base: "otherKey" },
    ];
    const names = uniqueNames(requests);
    expect(Object.fromEntries(names)).toEqual({
      KEY1: "deployKey_KEY1",
      KEY2: "deployKey_KEY2",
      "env-x1/KEY3": "otherKey",
    });
    expect(Object.fromEntries(uniqueNames([...requests].reverse()))).toEqual(Object.fromEntries(names));
    expect(Object.fromEntries(uniqueNames([{ id: "sa-1", base: "orgCrn" }], new Set(["orgCrn"])))).toEqual({
      "sa-1": "orgCrn_sa_1",
    });
  });
});

describe("the organization in the program", () => {
  const binding = {
    kind: "RoleBinding" as const,
    id: "rb-1",
    importId: "rb-1",
    inputs: {
      principal: "User:sa-9",
      roleName: "EnvironmentAdmin",
      crnPattern: "crn://confluent.cloud/organization=org-1/environment=env-1",
    },
  };
  const input = {
    organizationId: "org-1",
    environments: [{ id: "env-1", displayName: "prod" }],
    objects: [binding],
    withImport: true,
  };

  it("is read by getOrganizationOutput() with no id when the credentials belong to one organization", () => {
    const { text } = renderProgram(input);
    expect(text).toContain(
      'import * as pulumi from "@pulumi/pulumi";\nimport * as confluentcloud from "pulumi-confluent-iam";\n',
    );
    expect(text).toContain("const organization = confluentcloud.getOrganizationOutput();\n");
    expect(text).toContain("crnPattern: pulumi.interpolate`${orgCrn}/environment=${prodEnv}`,");
    expect(text.split("org-1").length - 1).toBe(1);
  });

  it("is named by id when the credentials belong to several (getOrganizationOutput could not choose)", () => {
    const { text } = renderProgram({ ...input, amongSeveral: true });
    expect(text).toContain('const organization = confluentcloud.getOrganizationOutput({ id: "org-1" });\n');
  });

  it("is not read at all by a program without CRNs", () => {
    const { text } = renderProgram({ ...input, objects: [] });
    expect(text).not.toContain("getOrganizationOutput");
    expect(text).not.toContain("@pulumi/pulumi");
  });
});
