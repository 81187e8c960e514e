/**
 * examples/oauth-ci, both phases against the emulator and its test identity provider:
 * 1. the bootstrap runs once with the static admin key: identity provider, pool filtered on the CI's
 *    repository and branch, the pool's role binding;
 * 2. from then on CI runs with OAuth only (GitHub Actions' OIDC token request, stood in by the test identity
 *    provider): `preview`, `up`, `refresh`, `access`, `export` and `stack export` of the example organization
 *    (examples/org-iam), with no key or secret anywhere in the environment.
 * Every artifact of the OAuth run is then searched for tokens and secrets: the state file, `stack export`,
 * the runner's output, `access`, the exported program and the emulator's request log as printed.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  startEmulator,
  startTestIdentityProvider,
  type RunningEmulator,
  type RunningTestIdp,
} from "../../emulator";
import { runLifecycle, type LifecycleResult } from "../../runner";
import { accessCommand } from "../../runner/access";
import { exportCommand } from "../../runner/export";
import { stackCommand } from "../../runner/stack-command";
import { repoRoot } from "./harness";

const bootstrapDir = path.join(repoRoot, "examples", "oauth-ci");
const orgDir = path.join(repoRoot, "examples", "org-iam");
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}/;
const PASSPHRASE = "oauth-ci-test-passphrase";

let emu: RunningEmulator;
let idp: RunningTestIdp;
let tmp: string;
let poolId = "";
const artifacts: { name: string; text: string }[] = [];

/** The environment without any Confluent credential or GitHub variable of the machine running the tests. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (
      k.startsWith("CONFLUENT_CLOUD_") ||
      k.startsWith("CONFLUENT_OAUTH_") ||
      k.startsWith("ACTIONS_ID_TOKEN")
    )
      delete env[k];
  }
  return { ...env, CONFLUENT_CLOUD_ENDPOINT: emu.url, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE };
}
/** CI: OAuth only. */
function ciEnv(): NodeJS.ProcessEnv {
  return {
    ...baseEnv(),
    CONFLUENT_OAUTH_IDENTITY_POOL_ID: poolId,
    ACTIONS_ID_TOKEN_REQUEST_URL: idp.githubRequestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: idp.githubRequestToken,
  };
}
const admin = (): string => `Basic ${Buffer.from(`${emu.apiKey}:${emu.apiSecret}`).toString("base64")}`;
async function requestLog(): Promise<{ method: string; path: string; status: number; api_key: string }[]> {
  const res = await fetch(`${emu.url}/_emulator/requests`, { headers: { authorization: admin() } });
  const text = await res.text();
  artifacts.push({ name: "emulator request log", text });
  return (JSON.parse(text) as { data: { method: string; path: string; status: number; api_key: string }[] })
    .data;
}
async function clearLog(): Promise<void> {
  await fetch(`${emu.url}/_emulator/requests`, { method: "DELETE", headers: { authorization: admin() } });
}
function keep(name: string, r: LifecycleResult): LifecycleResult {
  artifacts.push({ name: `${name} output`, text: r.output }, { name: `${name} stderr`, text: r.stderr });
  artifacts.push({ name: `${name} errors`, text: r.errors.join("\n") });
  return r;
}
const orgState = (): string => path.join(tmp, "org.json");
const run = async (
  name: string,
  command: "preview" | "up" | "refresh",
  env: NodeJS.ProcessEnv,
  config: string[] = [],
) => keep(name, await runLifecycle(command, { cwd: orgDir, statePath: orgState(), env, config }));

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  idp = await startTestIdentityProvider();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "oauth-ci-"));
}, 60_000);
afterAll(async () => {
  await emu?.close();
  await idp?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("examples/oauth-ci", () => {
  it("phase 1, once with the static admin key: identity provider, pool filtered on repository and branch, its role binding", async () => {
    const r = await runLifecycle("up", {
      cwd: bootstrapDir,
      statePath: path.join(tmp, "bootstrap.json"),
      config: [
        `confluent-iam-oauth-ci:issuer=${idp.issuer}`,
        `confluent-iam-oauth-ci:jwksUri=${idp.jwksUri}`,
      ],
      env: { ...baseEnv(), CONFLUENT_CLOUD_API_KEY: emu.apiKey, CONFLUENT_CLOUD_API_SECRET: emu.apiSecret },
    });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual([
      "create ci-deploy",
      "create ci-deploy-role",
      "create ci-oidc",
    ]);
    poolId = String(r.outputs.identityPoolId);
    expect(poolId).toMatch(/^pool-/);
    const dump = (await (
      await fetch(`${emu.url}/_emulator/dump`, { headers: { authorization: admin() } })
    ).json()) as {
      identity_pools: { id: string; filter: string }[];
      role_bindings: { principal: string; role_name: string }[];
    };
    expect(dump.identity_pools.map((p) => p.filter)).toEqual([
      'claims.repository == "acme/iam" && claims.ref == "refs/heads/main"',
    ]);
    expect(
      dump.role_bindings.filter((b) => b.principal === `User:${poolId}`).map((b) => b.role_name),
    ).toEqual(["OrganizationAdmin"]);
  }, 180_000);

  it("phase 2, OAuth only: preview checks the credentials with one exchange and one probe, as a bearer", async () => {
    await clearLog();
    const r = await run("preview", "preview", ciEnv());
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    const log = await requestLog();
    expect(
      log.slice(0, 2).map((e) => `${e.method} ${e.path} ${e.status} ${JSON.stringify(e.api_key)}`),
    ).toEqual(['POST /sts/v1/oauth2/token 200 ""', 'GET /org/v2/environments 200 ""']);
  }, 180_000);

  it("phase 2: up creates the organization's IAM; no call uses a key (only a new Kafka key's own readiness probe)", async () => {
    await clearLog();
    const r = await run("up", "up", ciEnv());
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.summary.create).toBeGreaterThan(5);
    const log = await requestLog();
    expect(log.some((e) => e.path === "/sts/v1/oauth2/token" && e.status === 200)).toBe(true);
    expect(log.filter((e) => e.api_key === emu.apiKey)).toEqual([]);
    const cloudCalls = log.filter((e) => !e.path.startsWith("/kafka/") && e.path !== "/sts/v1/oauth2/token");
    expect(cloudCalls.every((e) => e.api_key === "")).toBe(true);
  }, 240_000);

  it("phase 2: refresh by client credentials (the README's local run), the pool id from stack config (confluentcloud:oauthIdentityPoolId), finds no drift", async () => {
    const env = {
      ...baseEnv(),
      CONFLUENT_OAUTH_EXTERNAL_TOKEN_URL: idp.tokenUrl,
      CONFLUENT_OAUTH_EXTERNAL_CLIENT_ID: idp.clientId,
      CONFLUENT_OAUTH_EXTERNAL_CLIENT_SECRET: idp.clientSecret,
    };
    await clearLog();
    const r = await run("refresh", "refresh", env, [`confluentcloud:oauthIdentityPoolId=${poolId}`]);
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.steps.filter((s) => s.op !== "read")).toEqual([]);
    const log = await requestLog();
    expect(log.filter((e) => e.path === "/sts/v1/oauth2/token").map((e) => e.status)).toContain(200);
    expect(log.filter((e) => e.api_key === emu.apiKey)).toEqual([]);
  }, 180_000);

  it("phase 2: access, stack export and export of the organization, all with OAuth", async () => {
    // These commands read the passphrase and credentials from the process environment, as the CLI does.
    const saved = { ...process.env };
    process.env = ciEnv();
    try {
      let out = "";
      let err = "";
      const code = accessCommand(
        ["--cwd", orgDir, "--state", orgState()],
        (s) => (out += s),
        (s) => (err += s),
      );
      expect(err).toBe("");
      expect(code).toBe(0);
      expect(out).toContain("platform-env-admin");
      artifacts.push({ name: "access", text: out });

      let deployment = "";
      expect(
        stackCommand(
          ["export", "--cwd", orgDir, "--state", orgState()],
          (s) => (deployment += s),
          (s) => (err += s),
        ),
      ).toBe(0);
      expect(err).toBe("");
      expect(deployment).toContain("confluent:ServiceAccount");
      artifacts.push({ name: "stack export", text: deployment });
      artifacts.push({ name: "state file", text: fs.readFileSync(orgState(), "utf8") });

      let exportOut = "";
      let exportErr = "";
      const dir = path.join(tmp, "exported");
      const c = await exportCommand(["--out", dir], {
        out: (s) => (exportOut += s),
        err: (s) => (exportErr += s),
      });
      expect(exportErr).toBe("");
      expect(c).toBe(0);
      for (const f of fs.readdirSync(dir)) {
        artifacts.push({ name: `exported ${f}`, text: fs.readFileSync(path.join(dir, f), "utf8") });
      }
      expect(fs.readFileSync(path.join(dir, "index.ts"), "utf8")).toContain("platform-automation");
      artifacts.push({ name: "export output", text: exportOut });
    } finally {
      process.env = saved;
    }
    await requestLog();
  }, 180_000);

  it("a run of another branch is refused at the exchange, naming why; the token is not in the message", async () => {
    const feature = await idp.mint({ repository: "acme/iam", ref: "refs/heads/feature" });
    const env = {
      ...baseEnv(),
      CONFLUENT_OAUTH_IDENTITY_POOL_ID: poolId,
      CONFLUENT_OAUTH_EXTERNAL_ACCESS_TOKEN: feature,
    };
    const r = await run("feature preview", "preview", env);
    expect(r.exitCode).toBe(1);
    expect(r.errors.join("\n")).toContain(
      `OAuth: the token exchange (POST ${emu.url}/sts/v1/oauth2/token) answered 401: the subject token's claims ` +
        `do not match the filter of identity pool ${poolId}. Identity pool ${poolId}; external token from the ` +
        `ready token oauthExternalAccessToken.`,
    );
  }, 180_000);

  it("no artifact of the OAuth runs holds a token (any JWT), GitHub's request token or the admin secret", async () => {
    expect(artifacts.length).toBeGreaterThan(10);
    // The search itself finds a token where there is one.
    expect(JWT.test(`{"t":"${await idp.mint({ sub: "x" })}"}`)).toBe(true);
    const leaks = artifacts
      .filter(
        (a) =>
          JWT.test(a.text) ||
          a.text.includes(idp.githubRequestToken) ||
          a.text.includes(emu.apiSecret) ||
          a.text.includes(idp.clientSecret),
      )
      .map((a) => a.name);
    expect(leaks).toEqual([]);
  });
});
