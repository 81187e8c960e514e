/**
 * The README's local OAuth run: `confluent-emulator --test-idp` prints the test identity provider's issuer,
 * JWKS URI, token URL and client; with them an identity provider and pool are made with the admin key, and a
 * client-credentials token of the printed client is exchanged and used as a bearer.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

const ROOT = resolve(__dirname, "../..");
const ADMIN =
  "Basic " + Buffer.from("EMULATORDEMOKEY1:emulator-demo-secret-not-a-real-secret").toString("base64");

let child: ChildProcess;
const lines: string[] = [];

beforeAll(async () => {
  child = spawn(
    process.execPath,
    ["-r", "./scripts/ts-register.js", "emulator/cli.ts", "--port", "0", "--test-idp"],
    {
      cwd: ROOT,
      env: { ...process.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`no test identity provider lines: ${lines.join("\n")}`)),
      20_000,
    );
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      lines.push(line);
      if (line.startsWith("test identity provider: client secret")) {
        clearTimeout(timer);
        done();
      }
    });
  });
}, 30_000);
afterAll(() => {
  child.kill("SIGTERM");
});

const value = (prefix: string): string => {
  const line = lines.find((l) => l.startsWith(`test identity provider: ${prefix} `));
  if (line === undefined) throw new Error(`no "${prefix}" line in ${lines.join("\n")}`);
  return line.slice(`test identity provider: ${prefix} `.length).split(" ")[0] as string;
};

test("--test-idp prints the identity provider; its client's token is exchanged and acts as the pool", async () => {
  const url = /^listening on (\S+)$/.exec(lines[0] ?? "")?.[1] as string;
  expect(lines.slice(-5).map((l) => l.replace(/127\.0\.0\.1:\d+/, "127.0.0.1:PORT"))).toEqual([
    "test identity provider: issuer http://127.0.0.1:PORT",
    "test identity provider: jwks uri http://127.0.0.1:PORT/jwks",
    "test identity provider: token url http://127.0.0.1:PORT/token",
    "test identity provider: client id emulator-ci",
    "test identity provider: client secret emulator-idp-secret-not-a-real-secret (built-in demo default)",
  ]);
  const json = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(url + path, {
      method: "POST",
      headers: { authorization: ADMIN, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const op = await json("/iam/v2/identity-providers", {
    display_name: "local",
    description: "",
    issuer: value("issuer"),
    jwks_uri: value("jwks uri"),
  });
  const pool = await json(`/iam/v2/identity-providers/${String(op.id)}/identity-pools`, {
    display_name: "local",
    description: "",
    identity_claim: "claims.sub",
    // examples/oauth-ci's filter: the default client's tokens carry these claims.
    filter: 'claims.repository == "acme/iam" && claims.ref == "refs/heads/main"',
  });
  await json("/iam/v2/role-bindings", {
    principal: `User:${String(pool.id)}`,
    role_name: "OrganizationAdmin",
    crn_pattern: "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001",
  });
  const idpToken = (await (
    await fetch(value("token url"), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: value("client id"),
        client_secret: value("client secret"),
      }).toString(),
    })
  ).json()) as { access_token: string };
  const exchanged = await fetch(`${url}/sts/v1/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: idpToken.access_token,
      identity_pool_id: String(pool.id),
      subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
      requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
    }).toString(),
  });
  expect(exchanged.status).toBe(200);
  const { access_token } = (await exchanged.json()) as { access_token: string };
  const listed = await fetch(`${url}/iam/v2/service-accounts`, {
    headers: { authorization: `Bearer ${access_token}` },
  });
  expect(listed.status).toBe(200);
});
