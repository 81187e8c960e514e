// `confluent-iam export` of the kinds added after the first export (certificate authorities and pools,
// pim/v2 setups and authorizations), of objects the API holds but a program could not declare (names of
// spaces only, with NUL, CR, LF), and of API keys together with their secrets (`--with-secrets`).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle } from "../../runner";
import { exportCommand, readSecretsFile } from "../../runner/export";
import { decryptValue } from "../../runner/passphrase";
import { readProject, readStackFile, stackKey } from "../../runner/project";
import { fingerprintOf, TEST_CA_A } from "../../testing/table";

const repoRoot = path.resolve(__dirname, "..", "..");
jest.setTimeout(600_000);

const ORG = "b0b0cafe-0000-4000-8000-0000000000b5";
const ORG_CRN = `crn://confluent.cloud/organization=${ORG}`;
const TENANT = "12345678-1234-1234-1234-123456789abc";
const PASSPHRASE = "export-test-passphrase";
/** Obviously fake secrets. */
const FAKE_SECRET = "fake-secret-for-export-test-0001";

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

async function made(emu: RunningEmulator, apiPath: string, body: unknown, method = "POST"): Promise<string> {
  const r = await admin(emu, method, apiPath, body);
  if (r.status >= 300) throw new Error(`${method} ${apiPath}: ${r.status} ${JSON.stringify(r.body)}`);
  return (r.body as { id: string }).id;
}

const writes = async (emu: RunningEmulator): Promise<string[]> =>
  ((await admin(emu, "GET", "/_emulator/requests")).body as { data: { method: string; path: string }[] }).data
    .filter((r) => r.method !== "GET")
    .map((r) => `${r.method} ${r.path}`);

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

describe("export of certificate authorities and pools, pim/v2 integrations, unfit objects and key secrets", () => {
  let emu: RunningEmulator;
  let work: string;
  const ids: Record<string, string> = {};
  const savedPassphrase = process.env.PULUMI_CONFIG_PASSPHRASE;

  async function runExport(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await exportCommand(
      [
        ...args,
        "--config",
        `confluentcloud:endpoint=${emu.url}`,
        "--config",
        `confluentcloud:cloudApiKey=${emu.apiKey}`,
        "--config",
        `confluentcloud:cloudApiSecret=${emu.apiSecret}`,
      ],
      { out: (s) => (out += s), err: (s) => (err += s) },
    );
    return { code, out, err };
  }

  beforeAll(async () => {
    process.env.PULUMI_CONFIG_PASSPHRASE = PASSPHRASE;
    emu = await startEmulator({ port: 0 });
    work = fs.mkdtempSync(path.join(os.tmpdir(), "export-kinds-"));
    await admin(emu, "POST", "/_emulator/seed", {
      organization_id: ORG,
      environments: [{ id: "env-k1", display_name: "prod" }],
    });
    ids.ca = await made(emu, "/iam/v2/certificate-authorities", {
      display_name: "corp ca",
      description: "mTLS",
      certificate_chain: TEST_CA_A,
      certificate_chain_filename: "corp-ca.pem",
    });
    ids.pool = await made(emu, `/iam/v2/certificate-authorities/${ids.ca}/identity-pools`, {
      display_name: "payments clients",
      description: "",
      external_identifier: "payments",
      filter: 'certificate.subject.cn == "payments"',
    });
    ids.poolBinding = await made(emu, "/iam/v2/role-bindings", {
      principal: `User:${ids.pool}`,
      role_name: "EnvironmentAdmin",
      crn_pattern: `${ORG_CRN}/environment=env-k1`,
    });
    ids.draft = await made(emu, "/pim/v2/integrations", {
      display_name: "gcp draft",
      provider: "gcp",
      environment: { id: "env-k1" },
    });
    ids.azure = await made(emu, "/pim/v2/integrations", {
      display_name: "azure sink",
      provider: "azure",
      environment: { id: "env-k1" },
    });
    await made(
      emu,
      `/pim/v2/integrations/${ids.azure}`,
      {
        config: { kind: "AzureIntegrationConfig", customer_azure_tenant_id: TENANT },
        environment: { id: "env-k1" },
      },
      "PATCH",
    );
    ids.sa = await made(emu, "/iam/v2/service-accounts", { display_name: "ci", description: "" });
    // Names the API takes and a program could not declare (the SDK's check refuses them).
    ids.blank = await made(emu, "/iam/v2/service-accounts", { display_name: "   ", description: "" });
    ids.nul = await made(emu, "/iam/v2/service-accounts", { display_name: "a\u0000b", description: "" });
    ids.cr = await made(emu, "/iam/v2/service-accounts", { display_name: "line\rbreak", description: "" });
    ids.lf = await made(emu, "/iam/v2/service-accounts", { display_name: "line\nfeed", description: "" });
    ids.key = await made(emu, "/iam/v2/api-keys", {
      spec: { display_name: "ci key", description: "", owner: { id: ids.sa } },
    });
    ids.otherKey = await made(emu, "/iam/v2/api-keys", {
      spec: { display_name: "other key", description: "", owner: { id: ids.sa } },
    });
  });
  afterAll(async () => {
    if (savedPassphrase === undefined) delete process.env.PULUMI_CONFIG_PASSPHRASE;
    else process.env.PULUMI_CONFIG_PASSPHRASE = savedPassphrase;
    await emu.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("writes every kind with references, leaves out what the check refuses (README and stderr), and the secrets encrypted", async () => {
    const secretsFile = path.join(work, "secrets.json");
    fs.writeFileSync(secretsFile, JSON.stringify({ [ids.key!]: FAKE_SECRET, NOTEXPORTED1: "fake-2" }));
    const dir = path.join(work, "a");
    const r = await runExport(["--out", dir, "--project", "kinds", "--with-secrets", secretsFile]);
    expect(r.code).toBe(0);
    const refused = (id: string, why: string): string =>
      `confluent-iam: export: left out ServiceAccount ${id}: the ServiceAccount check refuses what the API holds ` +
      `(displayName: ${why}); the program could not declare it. Rename or fix it in Confluent Cloud, then export again\n`;
    expect(r.err).toBe(
      refused(ids.blank!, "must not be blank; use a name with visible characters") +
        refused(
          ids.nul!,
          'must not contain control characters (found \\"\\\\u0000\\" at position 1); remove it',
        ) +
        refused(
          ids.cr!,
          'must not contain control characters (found \\"\\\\u000d\\" at position 4); remove it',
        ) +
        refused(
          ids.lf!,
          'must not contain control characters (found \\"\\\\u000a\\" at position 4); remove it',
        ) +
        "confluent-iam: export: --with-secrets names 1 API key this export does not hold (NOTEXPORTED1); their secrets were not written\n",
    );
    const text = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    // The certificate authority's chain comes from a file; the pool names its authority; the binding's
    // principal is the pool's id; the authorization names its setup.
    expect(text).toContain('import * as fs from "fs";\nimport * as path from "path";\n');
    expect(text).toContain(
      `new confluentcloud.CertificateAuthority(\n  "corpCa",\n  {\n    displayName: "corp ca",\n    description: "mTLS",\n` +
        `    certificateChainFilename: "corp-ca.pem",\n    certificateChain: pem("certificates/corpCa.pem"),\n  },\n` +
        `  { import: "${ids.ca}" },\n);`,
    );
    expect(text).toContain("certificateAuthority: { id: corpCa.id },");
    expect(text).toContain(`{ import: "${ids.ca}/${ids.pool}" }`);
    expect(text).toContain("principal: pulumi.interpolate`User:${paymentsClientsCertPool.id}`,");
    expect(text).toContain(
      `new confluentcloud.ProviderIntegrationAuthorization(\n  "azureSinkAuthorization",\n  {\n` +
        `    providerIntegrationId: azureSinkSetup.id,\n    environment: { id: prodEnv },\n` +
        `    azure: { customerAzureTenantId: "${TENANT}" },\n  },\n  { import: "env-k1/${ids.azure}" },\n);`,
    );
    expect(text).toContain(
      `new confluentcloud.ProviderIntegrationSetup(\n  "gcpDraftSetup",\n  {\n    displayName: "gcp draft",\n    cloud: "GCP",\n    environment: { id: prodEnv },\n  },\n` +
        `  { import: "env-k1/${ids.draft}" },\n);`,
    );
    // The DRAFT integration is a setup only: no authorization adopts it.
    expect(text.match(/new confluentcloud.ProviderIntegrationAuthorization\(/g)).toHaveLength(1);
    for (const id of [ids.blank, ids.nul, ids.cr, ids.lf]) expect(text).not.toContain(`"${id}"`);
    // The key's secret: from the stack's config, never in the program.
    expect(text).toContain("const config = new pulumi.Config();\n");
    expect(text).toContain(`secret: config.requireSecret("apiKeySecret-${ids.key}"),`);
    expect(text).not.toContain(`apiKeySecret-${ids.otherKey}`);
    for (const f of fs.readdirSync(dir))
      expect({ f, leaks: fs.readFileSync(path.join(dir, f), "utf8").includes(FAKE_SECRET) }).toEqual({
        f,
        leaks: false,
      });
    expect(r.out + r.err).not.toContain(FAKE_SECRET);
    // Written as `config set --secret` writes it: a secure value the passphrase decrypts.
    const stackFile = readStackFile(readProject(dir), "dev");
    const key = `kinds:apiKeySecret-${ids.key}`;
    expect(Object.keys(stackFile.config)).toEqual([key]);
    const secure = (stackFile.config[key] as { secure: string }).secure;
    expect(decryptValue(stackKey(stackFile, key), secure)).toBe(FAKE_SECRET);

    const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
    expect(readme).toContain(
      `- **\`certificates/corpCa.pem\`** (CertificateAuthority ${ids.ca}): the program reads it. Put there the PEM ` +
        `certificate chain of the certificate chain (the API answers its file name \\"corp-ca.pem\\" and its ` +
        `fingerprints ${fingerprintOf(TEST_CA_A)}, never the PEM) before \`up\`;`,
    );
    expect(readme).toContain(
      "- **Objects the program could not declare** (4 objects): the API holds values its\n",
    );
    expect(readme).toContain(
      `  - ServiceAccount ${ids.blank}: the ServiceAccount check refuses what the API holds (displayName: must not be blank; use a name with visible characters); the program could not declare it. Rename or fix it in Confluent Cloud, then export again.\n`,
    );
    expect(readme).toContain(`Config keys: \`apiKeySecret-${ids.key}\`.`);
    expect(readme).toContain(
      "  --with-secrets named 1 key this export does not hold (NOTEXPORTED1): their secrets were not written.",
    );

    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    expect(typeErrors(dir)).toEqual([]);
  });

  it("up adopts everything written with no API write (the chain read from the file README.md names), then preview plans 0 changes", async () => {
    // Without --with-secrets: the `secret` input of an adopted ApiKey is another branch's (see the report).
    const dir = path.join(work, "b");
    const r = await runExport(["--out", dir, "--project", "kinds"]);
    expect(r.code).toBe(0);
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.mkdirSync(path.join(dir, "certificates"));
    fs.writeFileSync(path.join(dir, "certificates", "corpCa.pem"), TEST_CA_A);
    const env = {
      ...process.env,
      CONFLUENT_CLOUD_ENDPOINT: emu.url,
      CONFLUENT_CLOUD_API_KEY: emu.apiKey,
      CONFLUENT_CLOUD_API_SECRET: emu.apiSecret,
    };
    await admin(emu, "DELETE", "/_emulator/requests");
    const up = await runLifecycle("up", { cwd: dir, env });
    expect(up.errors).toEqual([]);
    expect(up.exitCode).toBe(0);
    expect(await writes(emu)).toEqual([]);
    expect(up.summary.create).toBe(9);
    const preview = await runLifecycle("preview", { cwd: dir, env });
    expect(preview.errors).toEqual([]);
    expect(preview.steps).toEqual([]);
  });

  it("a --with-secrets file that is not what it should be: exit 1 naming the cause, never a secret, nothing read", async () => {
    const bad = (name: string, text: string): string => {
      const f = path.join(work, name);
      fs.writeFileSync(f, text);
      return f;
    };
    const example = 'write a JSON object of API key id → secret, e.g. {"ABCDEFGH12345678": "<its secret>"}';
    const cases: [string, string][] = [
      [bad("s1.json", `{"K1": "${FAKE_SECRET}"`), "not valid JSON; " + example],
      [bad("s2.json", `["${FAKE_SECRET}"]`), "not a JSON object; " + example],
      [bad("s3.json", `{"K1": 5}`), "the secret of K1 must be a non-empty string; " + example],
      [
        bad("s4.json", `{"env-1/K1": "${FAKE_SECRET}"}`),
        '"env-1/K1" is not an API key id (letters and digits); ' + example,
      ],
      [path.join(work, "absent.json"), "no such file"],
    ];
    await admin(emu, "DELETE", "/_emulator/requests");
    for (const [file, why] of cases) {
      expect(() => readSecretsFile(file)).toThrow(`--with-secrets ${file}: ${why}`);
      const r = await runExport(["--out", path.join(work, "bad"), "--with-secrets", file]);
      expect(r).toEqual({ code: 1, out: "", err: `confluent-iam: export: --with-secrets ${file}: ${why}\n` });
    }
    delete process.env.PULUMI_CONFIG_PASSPHRASE;
    const ok = bad("s5.json", `{"K1": "${FAKE_SECRET}"}`);
    const r = await runExport(["--out", path.join(work, "bad"), "--with-secrets", ok]);
    process.env.PULUMI_CONFIG_PASSPHRASE = PASSPHRASE;
    expect(r.err).toBe(
      "confluent-iam: export: --with-secrets writes the secrets encrypted into Pulumi.dev.yaml, which needs a " +
        "passphrase; set PULUMI_CONFIG_PASSPHRASE to the passphrase, or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it\n",
    );
    expect(r.code).toBe(1);
    expect(await writes(emu)).toEqual([]);
    expect(((await admin(emu, "GET", "/_emulator/requests")).body as { data: unknown[] }).data).toEqual([]);
    expect(fs.existsSync(path.join(work, "bad"))).toBe(false);
  });
});
