/**
 * A `Provider` with OAuth arguments, in a program (Pulumi's mocks): what a resource registers (the settings as
 * provider-only inputs, the client secret as a secret, no token), and a lookup given it, which signs in by
 * the token exchange against the emulator and its test identity provider.
 */
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";
import { resetTokenSources } from "../../provider/oauth";
import {
  startEmulator,
  startTestIdentityProvider,
  type RunningEmulator,
  type RunningTestIdp,
} from "../../emulator";
import { SECRET_SIG, SPECIAL_SIG_KEY } from "../../protocol";

const CLIENT_SECRET = "sdk-oauth-client-secret-not-real";
const ORG = "b0b0cafe-0000-4000-8000-000000000001";
const registered: { name: string; inputs: Record<string, unknown>; additionalSecretOutputs: string[] }[] = [];
let emu: RunningEmulator;
let idp: RunningTestIdp;
let poolId = "";

const admin = (): string => `Basic ${Buffer.from(`${emu.apiKey}:${emu.apiSecret}`).toString("base64")}`;
async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(emu.url + path, {
    method,
    headers: { authorization: admin(), "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs },
    "proj",
    "dev",
    false,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, cb: unknown): unknown;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    registered.push({
      name: req.getName(),
      inputs: req.getObject()?.toJavaScript() ?? {},
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    });
    return original(req, cb);
  };
  emu = await startEmulator({ port: 0 });
  idp = await startTestIdentityProvider({ clients: { deployer: { secret: CLIENT_SECRET } } });
  const op = (await api("POST", "/iam/v2/identity-providers", {
    display_name: "ci",
    description: "",
    issuer: idp.issuer,
    jwks_uri: idp.jwksUri,
  })) as { id: string };
  const pool = (await api("POST", `/iam/v2/identity-providers/${op.id}/identity-pools`, {
    display_name: "deploy",
    description: "",
    identity_claim: "claims.sub",
    filter: 'claims.sub == "deployer"',
  })) as { id: string };
  poolId = pool.id;
  await api("POST", "/iam/v2/role-bindings", {
    principal: `User:${poolId}`,
    role_name: "OrganizationAdmin",
    crn_pattern: `crn://confluent.cloud/organization=${ORG}`,
  });
});
afterAll(async () => {
  resetTokenSources();
  await emu.close();
  await idp.close();
});

interface RegisterRequest {
  getName(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getAdditionalsecretoutputsList(): string[];
}

const ci = (name: string): confluentcloud.Provider =>
  new confluentcloud.Provider(name, {
    endpoint: emu.url,
    oauthIdentityPoolId: poolId,
    oauthExternalTokenUrl: idp.tokenUrl,
    oauthExternalClientId: "deployer",
    oauthExternalClientSecret: pulumi.secret(CLIENT_SECRET),
    oauthStsTokenExpiredInSeconds: "600",
  });

test("a resource given an OAuth Provider carries its settings, the client secret as a secret, and no token", async () => {
  new confluentcloud.ServiceAccount("oauth-sa", { displayName: "x" }, { provider: ci("ci-reg") });
  for (let i = 0; i < 300 && !registered.some((r) => r.name === "oauth-sa"); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const r = registered.find((x) => x.name === "oauth-sa");
  expect(r?.inputs).toMatchObject({
    endpoint: emu.url,
    oauthIdentityPoolId: poolId,
    oauthExternalTokenUrl: idp.tokenUrl,
    oauthExternalClientId: "deployer",
    oauthExternalClientSecret: { [SPECIAL_SIG_KEY]: SECRET_SIG, value: CLIENT_SECRET },
    oauthStsTokenExpiredInSeconds: "600",
  });
  expect(r?.additionalSecretOutputs).toEqual(expect.arrayContaining(["oauthExternalClientSecret"]));
  expect(String(r?.inputs.__provider)).not.toContain(CLIENT_SECRET);
  expect(JSON.stringify(r?.inputs)).not.toMatch(/eyJ[\w-]+\.eyJ/);
});

test("a lookup given an OAuth Provider exchanges a token once and reads as the pool", async () => {
  await api("DELETE", "/_emulator/requests");
  const p = ci("ci-lookup");
  await expect(confluentcloud.getOrganization({}, { provider: p })).resolves.toEqual(
    expect.objectContaining({ id: ORG }),
  );
  await expect(confluentcloud.getUser({ id: "u-demo01" }, { provider: p })).resolves.toEqual(
    expect.objectContaining({ id: "u-demo01" }),
  );
  const log = (await api("GET", "/_emulator/requests")) as {
    data: { method: string; path: string; status: number; api_key: string }[];
  };
  expect(log.data.map((e) => `${e.method} ${e.path} ${e.status} ${JSON.stringify(e.api_key)}`)).toEqual([
    'POST /sts/v1/oauth2/token 200 ""',
    'GET /org/v2/organizations 200 ""',
    'GET /iam/v2/users/u-demo01 200 ""',
  ]);
});

test("a lookup given a Provider with a key and OAuth fails naming both kinds", async () => {
  const both = new confluentcloud.Provider("both", {
    cloudApiKey: "KEY",
    cloudApiSecret: "secret-not-real",
    oauthIdentityPoolId: poolId,
    oauthExternalAccessTokenFile: "/var/run/token",
  });
  await expect(confluentcloud.getOrganization({}, { provider: both })).rejects.toThrow(
    "Provider both: both a Cloud API key (cloudApiKey, cloudApiSecret) and OAuth (oauth… settings) are set; use " +
      "one kind of credentials: remove the key and secret to sign in by OAuth, or the oauth… settings to use the key",
  );
});
