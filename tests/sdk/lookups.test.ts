/**
 * The lookup functions, called directly (as a program would) against the emulator, with credentials from
 * the environment or the stack config. List calls are counted in the emulator's request log.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import * as pulumi from "@pulumi/pulumi";
import {
  getByokKey,
  getIdentityProvider,
  getIdentityProviderOutput,
  getRoleBindings,
  getServiceAccount,
  getServiceAccountOutput,
  getUser,
  getUsers,
} from "pulumi-confluent-iam";
import { closeClients } from "pulumi-confluent-iam/provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorApi } from "../../testing/emulator-api";
import { clearLookupEnv, useEndpoint, useLookupTuning } from "./support/lookup-env";

const ORG = "b0b0cafe-0000-4000-8000-000000000001";
const ENV_CRN = `crn://confluent.cloud/organization=${ORG}/environment=env-demo01`;
const USERS = 250;

let emu: RunningEmulator;
let api: EmulatorApi;
let stub: http.Server;
let stubUrl = "";
let faulty: http.Server;
let faultyUrl = "";
/** The read-lag window these tests give lookups (CONFLUENT_IAM_RECONCILE_WAIT_MS). */
const WINDOW_MS = 600;

/** Runs `n` calls, `width` at a time (bounded, so the loopback server is not flooded). */
async function inBatches(n: number, width: number, call: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i += width) {
    await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, j) => call(i + j)));
  }
}

beforeAll(async () => {
  const users = Array.from({ length: USERS }, (_, i) => ({
    id: `u-${String(i).padStart(5, "0")}`,
    email: `person${i}@example.com`,
    full_name: i === 7 || i === 8 ? "Sam Lee" : `Person ${i}`,
    auth_type: "AUTH_TYPE_LOCAL" as const,
  }));
  emu = await startEmulator({
    port: 0,
    seed: {
      organization_id: ORG,
      users,
      environments: [{ id: "env-demo01", display_name: "demo" }],
      kafka_clusters: [{ id: "lkc-demo01", environment: "env-demo01", display_name: "" }],
      schema_registries: [],
    },
  });
  api = new EmulatorApi(emu);
  useEndpoint(emu.url, emu.apiKey, emu.apiSecret);
  // A server that answers a service-account list with two accounts of the same name (the API forbids it,
  // so only a stub can show what the lookup then says).
  stub = http.createServer((req, res) => {
    const sa = (id: string) => ({ api_version: "iam/v2", kind: "ServiceAccount", id, display_name: "ci" });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "ServiceAccountList", metadata: {}, data: [sa("sa-1"), sa("sa-2")] }));
  });
  await new Promise<void>((r) => stub.listen(0, "127.0.0.1", r));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  // A server that fails a GET of a user with 503, every time, and answers a users list with one page of 2
  // users while reporting total_size 3.
  faulty = http.createServer((req, res) => {
    if (req.url?.startsWith("/iam/v2/users/")) {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ status: "503", detail: "upstream unavailable" }] }));
      return;
    }
    const user = (id: string) => ({ api_version: "iam/v2", kind: "User", id, email: `${id}@example.com` });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({ kind: "UserList", metadata: { total_size: 3 }, data: [user("u-1"), user("u-2")] }),
    );
  });
  await new Promise<void>((r) => faulty.listen(0, "127.0.0.1", r));
  faultyUrl = `http://127.0.0.1:${(faulty.address() as AddressInfo).port}`;
  useLookupTuning(WINDOW_MS);
});

afterAll(async () => {
  await closeClients();
  await emu?.close();
  await new Promise((r) => stub?.close(r));
  await new Promise((r) => faulty?.close(r));
  clearLookupEnv();
});

beforeEach(() => useEndpoint(emu.url, emu.apiKey, emu.apiSecret));

describe("users", () => {
  it(`getUsers pages through ${USERS} users at the maximum page size 100: exactly 3 list calls`, async () => {
    await api.clearLog();
    const res = await getUsers();
    expect(res.ids).toHaveLength(USERS);
    expect(new Set(res.ids).size).toBe(USERS);
    expect(res.users[0]).toEqual({
      id: "u-00000",
      email: "person0@example.com",
      fullName: "Person 0",
      authType: "AUTH_TYPE_LOCAL",
      apiVersion: "iam/v2",
      kind: "User",
    });
    const log = await api.log();
    expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /iam/v2/users 200",
      "GET /iam/v2/users 200",
      "GET /iam/v2/users 200",
    ]);
    expect(log.map((r) => r.query.page_size)).toEqual(["100", "100", "100"]);
  });

  it("getUser by id is one GET; by email it matches without regard to case", async () => {
    await api.clearLog();
    expect((await getUser({ id: "u-00042" })).email).toBe("person42@example.com");
    expect(await api.calls()).toEqual(["GET /iam/v2/users/u-00042"]);
    expect((await getUser({ email: "PERSON199@example.com" })).id).toBe("u-00199");
  });

  it("says what was looked for when nothing or more than one matches", async () => {
    await expect(getUser({ email: "x@example.com" })).rejects.toThrow("no user with email x@example.com");
    await expect(getUser({ id: "u-nobody" })).rejects.toThrow("no user with id u-nobody");
    await expect(getUser({ fullName: "Sam Lee" })).rejects.toThrow(
      "2 users are named Sam Lee: use the id or email",
    );
    await expect(getUser({})).rejects.toThrow(
      "getUser needs exactly one of id, email or fullName (got none)",
    );
    await expect(getUser({ id: "u-1", email: "a@example.com" })).rejects.toThrow(
      "getUser needs exactly one of id, email or fullName (got id and email)",
    );
  });
});

describe("service accounts", () => {
  it("getServiceAccount by display name uses the server's filter at page size 100; by id one GET", async () => {
    const made = (await api.ok("POST", "/iam/v2/service-accounts", {
      display_name: "ci",
      description: "CI deployer",
    })) as { id: string };
    await api.clearLog();
    const byName = await getServiceAccount({ displayName: "ci" });
    expect(byName).toEqual({
      id: made.id,
      displayName: "ci",
      description: "CI deployer",
      apiVersion: "iam/v2",
      kind: "ServiceAccount",
    });
    const log = await api.log();
    expect(log.map((r) => [r.path, r.query])).toEqual([
      ["/iam/v2/service-accounts", { display_name: "ci", page_size: "100" }],
    ]);
    expect(await getServiceAccount({ id: made.id })).toEqual(byName);
  });

  it("the Output variant takes Inputs", async () => {
    const out = getServiceAccountOutput({ displayName: pulumi.output("ci") });
    const value = await new Promise<string>((resolve) => out.apply((sa) => resolve(sa.description)));
    expect(value).toBe("CI deployer");
  });

  it("no match and two matches name what was looked for", async () => {
    await expect(getServiceAccount({ displayName: "nobody" })).rejects.toThrow(
      "no service account named nobody",
    );
    await expect(getServiceAccount({ id: "sa-nobody" })).rejects.toThrow(
      new RegExp(
        "^no service account with id sa-nobody: the API answered 404 to [2-4] reads over \\d+ ms \\(an object " +
          "created moments ago can take that long to appear; CONFLUENT_IAM_RECONCILE_WAIT_MS sets the wait, " +
          `now ${WINDOW_MS} ms\\)\\. Check the id\\.$`,
      ),
    );
    useEndpoint(stubUrl, "STUBKEY", "stub-secret-not-real");
    await expect(getServiceAccount({ displayName: "ci" })).rejects.toThrow(
      "2 service accounts are named ci: use the id",
    );
  });
});

describe("lookups during read lag, retries and partial lists (issue 23)", () => {
  afterEach(async () => {
    await api.call("PUT", "/_emulator/faults", { read_lag_ms: 0 });
  });

  it("getServiceAccount by id finds an account created a moment ago, asking again after the 404", async () => {
    // Lag 400 ms, window 1500 ms: the lookup reads at once (404), then again 500 ms later (200).
    await api.call("PUT", "/_emulator/faults", { read_lag_ms: 400 });
    process.env.CONFLUENT_IAM_RECONCILE_WAIT_MS = "1500";
    const made = (await api.ok("POST", "/iam/v2/service-accounts", { display_name: "fresh" })) as {
      id: string;
    };
    await api.clearLog();
    try {
      expect((await getServiceAccount({ id: made.id })).displayName).toBe("fresh");
    } finally {
      process.env.CONFLUENT_IAM_RECONCILE_WAIT_MS = String(WINDOW_MS);
    }
    const log = await api.log();
    expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /iam/v2/service-accounts/${made.id} 404`,
      `GET /iam/v2/service-accounts/${made.id} 200`,
    ]);
  });

  it("getIdentityProvider and getByokKey by id wait out the read lag the same way", async () => {
    await api.call("PUT", "/_emulator/faults", { read_lag_ms: 250 });
    const idp = (await api.ok("POST", "/iam/v2/identity-providers", {
      display_name: "lagging",
      description: "d",
      issuer: "https://login.example.com/v2.0",
      jwks_uri: "https://login.example.com/keys",
    })) as { id: string };
    const key = (await api.ok("POST", "/byok/v1/keys", {
      display_name: "lagging",
      key: { kind: "GcpKey", key_id: "projects/p/locations/l/keyRings/r/cryptoKeys/lag" },
    })) as { id: string };
    expect((await getIdentityProvider({ id: idp.id })).displayName).toBe("lagging");
    expect((await getByokKey({ id: key.id })).displayName).toBe("lagging");
  });

  it("after the client gives up, says how many attempts were made and what each got", async () => {
    useEndpoint(faultyUrl, "FAULTYKEY", "faulty-secret-not-real");
    const err = await getUser({ id: "u-1" }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      "GET /iam/v2/users/u-1 failed after 8 attempts (attempts 1–7: 503 Service Unavailable; attempt 8: " +
        "GET /iam/v2/users/u-1 failed with 503 Service Unavailable: upstream unavailable). Check that the endpoint is reachable and try again.",
    );
    expect((err as Error).message).not.toContain("faulty-secret-not-real");
  });

  it("fails rather than return a list shorter than the total_size the API reports", async () => {
    useEndpoint(faultyUrl, "FAULTYKEY", "faulty-secret-not-real");
    await expect(getUsers()).rejects.toThrow(
      "GET /iam/v2/users: the API reported 3 objects (metadata.total_size) but its pages held only 2; the list " +
        "is incomplete (it changed while being read, or a page went missing), so the lookup gives no answer " +
        "rather than a wrong one. Run it again.",
    );
  });

  it("finds a display name with a comma: one display_name parameter, as the spec repeats it for several", async () => {
    const made = (await api.ok("POST", "/iam/v2/service-accounts", { display_name: "payments, eu" })) as {
      id: string;
    };
    await api.clearLog();
    expect((await getServiceAccount({ displayName: "payments, eu" })).id).toBe(made.id);
    expect((await api.log()).map((r) => r.query)).toEqual([
      { display_name: "payments, eu", page_size: "100" },
    ]);
  });
});

describe("role bindings", () => {
  const PER_PAGE = 1000; // the emulator's (and the API's) maximum page size for role bindings
  const BINDINGS = 1200;
  let saId = "";

  beforeAll(async () => {
    const sa = (await api.ok("POST", "/iam/v2/service-accounts", { display_name: "many-roles" })) as {
      id: string;
    };
    await inBatches(BINDINGS, 50, (i) =>
      api.ok("POST", "/iam/v2/role-bindings", {
        principal: i < 3 ? `User:${sa.id}` : `User:u-${String(i % USERS).padStart(5, "0")}`,
        role_name: "DeveloperRead",
        crn_pattern: `${ENV_CRN}/cloud-cluster=lkc-demo01/topic=t-${i}`,
      }),
    );
    saId = sa.id;
  });

  it(`getRoleBindings returns all ${BINDINGS} on a CRN pattern in 2 list calls of page_size ${PER_PAGE}`, async () => {
    await api.clearLog();
    const res = await getRoleBindings({ crnPattern: ENV_CRN });
    expect(res.roleBindings).toHaveLength(BINDINGS);
    expect(new Set(res.roleBindings.map((rb) => rb.id)).size).toBe(BINDINGS);
    const log = await api.log();
    expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /iam/v2/role-bindings",
      "GET /iam/v2/role-bindings",
    ]);
    expect(log[0]!.query).toEqual({ crn_pattern: ENV_CRN, page_size: String(PER_PAGE) });
  });

  it("filters by principal and role name through the API", async () => {
    const sa = saId;
    await api.clearLog();
    const res = await getRoleBindings({
      crnPattern: ENV_CRN,
      principal: `User:${sa}`,
      roleName: "DeveloperRead",
    });
    expect(res.roleBindings.map((rb) => rb.crnPattern).sort()).toEqual(
      [0, 1, 2].map((i) => `${ENV_CRN}/cloud-cluster=lkc-demo01/topic=t-${i}`).sort(),
    );
    expect(res).toEqual(expect.objectContaining({ principal: `User:${sa}`, roleName: "DeveloperRead" }));
    expect((await api.log()).map((r) => r.query)).toEqual([
      { crn_pattern: ENV_CRN, principal: `User:${sa}`, role_name: "DeveloperRead", page_size: "1000" },
    ]);
  });
});

describe("identity providers and BYOK keys", () => {
  it("getIdentityProvider by name and id; two of the same name must be looked up by id", async () => {
    const mk = async (name: string) =>
      (await api.ok("POST", "/iam/v2/identity-providers", {
        display_name: name,
        description: "d",
        issuer: "https://login.example.com/v2.0",
        jwks_uri: "https://login.example.com/keys",
      })) as { id: string };
    const corp = await mk("corp");
    await mk("dup");
    await mk("dup");
    expect(await getIdentityProvider({ displayName: "corp" })).toEqual({
      id: corp.id,
      displayName: "corp",
      description: "d",
      issuer: "https://login.example.com/v2.0",
      jwksUri: "https://login.example.com/keys",
      identityClaim: "claims.sub",
      state: "ENABLED",
    });
    const out = getIdentityProviderOutput({ id: corp.id });
    expect(await new Promise((resolve) => out.apply((p) => resolve(p.displayName)))).toBe("corp");
    await expect(getIdentityProvider({ displayName: "dup" })).rejects.toThrow(
      "2 identity providers are named dup: use the id",
    );
    await expect(getIdentityProvider({ id: "op-none" })).rejects.toThrow(
      "no identity provider with id op-none",
    );
  });

  it("getByokKey by id gives the server-filled fields; a missing key says so", async () => {
    const key = (await api.ok("POST", "/byok/v1/keys", {
      display_name: "billing",
      key: { kind: "GcpKey", key_id: "projects/p/locations/l/keyRings/r/cryptoKeys/k" },
    })) as { id: string };
    expect(await getByokKey({ id: key.id })).toEqual({
      id: key.id,
      displayName: "billing",
      gcp: {
        keyId: "projects/p/locations/l/keyRings/r/cryptoKeys/k",
        securityGroup: expect.stringContaining("@") as unknown,
      },
      provider: "GCP",
      state: "AVAILABLE",
      // @pulumi/confluentcloud's list-shaped names for the same key.
      azures: [],
      gcps: [
        {
          keyId: "projects/p/locations/l/keyRings/r/cryptoKeys/k",
          securityGroup: expect.stringContaining("@") as unknown,
        },
      ],
    });
    await expect(getByokKey({ id: "cck-none" })).rejects.toThrow("no BYOK key with id cck-none");
  });
});

describe("credentials", () => {
  it("the stack config confluentcloud:* wins over the environment", async () => {
    useEndpoint(stubUrl, "STUBKEY", "stub-secret-not-real");
    pulumi.runtime.setAllConfig({
      "confluentcloud:cloudApiKey": emu.apiKey,
      "confluentcloud:cloudApiSecret": emu.apiSecret,
      "confluentcloud:endpoint": emu.url,
    });
    try {
      expect((await getUser({ id: "u-00001" })).id).toBe("u-00001");
    } finally {
      pulumi.runtime.setAllConfig({});
    }
  });

  it("without any, the error names both ways to set them", async () => {
    delete process.env.CONFLUENT_CLOUD_API_KEY;
    delete process.env.CONFLUENT_CLOUD_API_SECRET;
    await expect(getUsers()).rejects.toThrow("Confluent Cloud credentials are not set.");
  });
});
