/**
 * Issue 12: the lookups read each object through its spec (provider/specs/*), so a lookup and the resource
 * of the same object cannot disagree about paths, page sizes, field names or what "gone" means.
 *
 * - What a missing object answers: a purpose-built loopback server answers the statuses each spec lists in
 *   `goneStatuses` (and a 403 the spec does not list), and a spec whose object answers 403 when missing (the
 *   user spec given `goneStatuses: [403, 404]` for the test) is believed only after a list probe.
 * - The exact API calls of every lookup (method, path, query, page_size), from the emulator's request log;
 *   and, with a spec member replaced for one test, that the lookup follows the spec rather than its own copy.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import {
  getByokKey,
  getIdentityProvider,
  getRoleBindings,
  getServiceAccount,
  getUser,
  getUsers,
} from "pulumi-confluent-iam";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { byokKeySpec } from "../../provider/specs/byok-key";
import { identityProviderSpec } from "../../provider/specs/identity-provider";
import { serviceAccountSpec } from "../../provider/specs/service-account";
import { userSpec } from "../../provider/specs/user";
import { EmulatorApi } from "../../testing/emulator-api";
import { callLine, clearLookupEnv, useEndpoint, useLookupTuning } from "./support/lookup-env";

const ORG = "b0b0cafe-0000-4000-8000-000000000002";
const ENV_CRN = `crn://confluent.cloud/organization=${ORG}/environment=env-demo02`;
/** The read-lag window these tests give lookups (CONFLUENT_IAM_RECONCILE_WAIT_MS). */
const WINDOW_MS = 300;

let emu: RunningEmulator;
let api: EmulatorApi;

/** One request the loopback server saw. */
interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
}

/** A loopback server that answers by path (`answer`) and records every request. */
let server: http.Server;
let serverUrl = "";
let seen: Seen[] = [];
let answer: (path: string, query: Record<string, string>) => { status: number; body: unknown } = () => ({
  status: 500,
  body: {},
});

const useServer = (): void => useEndpoint(serverUrl, "LOOPKEY", "loop-secret-not-real");

/** The flat error envelope the API answers a missing role binding or API key with (recorded). */
const forbidden = { error_code: 40301, message: "Forbidden Access" };
const notFoundBody = { errors: [{ status: "404", detail: "Not Found" }] };

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    seed: {
      organization_id: ORG,
      users: [
        { id: "u-alice", email: "alice@example.com", full_name: "Alice", auth_type: "AUTH_TYPE_LOCAL" },
        { id: "u-bob", email: "bob@example.com", full_name: "Bob", auth_type: "AUTH_TYPE_SSO" },
      ],
      environments: [{ id: "env-demo02", display_name: "demo" }],
      kafka_clusters: [{ id: "lkc-demo02", environment: "env-demo02", display_name: "" }],
      schema_registries: [],
    },
  });
  api = new EmulatorApi(emu);
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const query = Object.fromEntries(url.searchParams);
    seen.push({ method: req.method ?? "", path: url.pathname, query });
    const { status, body } = answer(url.pathname, query);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  useLookupTuning(WINDOW_MS);
});

afterAll(async () => {
  await emu?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  clearLookupEnv();
});

beforeEach(() => {
  seen = [];
  process.env.CONFLUENT_IAM_RECONCILE_WAIT_MS = String(WINDOW_MS);
  useEndpoint(emu.url, emu.apiKey, emu.apiSecret);
});

afterEach(() => jest.restoreAllMocks());

/** `METHOD path?query` of each request the loopback server saw. */
const seenCalls = (): string[] => seen.map(callLine);

/** The message of a rejected promise. */
const messageOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "resolved",
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );

/** The "not found after the read-lag window" message of a lookup by id, `statuses` being what it got. */
const missing = (what: string, statuses: string): RegExp =>
  new RegExp(
    `^${what}: the API answered ${statuses} to [1-4] reads? over \\d+ ms \\(an object created moments ago ` +
      `can take that long to appear; CONFLUENT_IAM_RECONCILE_WAIT_MS sets the wait, now ${WINDOW_MS} ms\\)\\. ` +
      `Check the id\\.$`,
  );

describe("a missing object is what the spec's goneStatuses say", () => {
  const byId = [
    {
      spec: userSpec,
      path: "/iam/v2/users/u-gone",
      what: "no user with id u-gone",
      look: () => getUser({ id: "u-gone" }),
    },
    {
      spec: serviceAccountSpec,
      path: "/iam/v2/service-accounts/sa-gone",
      what: "no service account with id sa-gone",
      look: () => getServiceAccount({ id: "sa-gone" }),
    },
    {
      spec: identityProviderSpec,
      path: "/iam/v2/identity-providers/op-gone",
      what: "no identity provider with id op-gone",
      look: () => getIdentityProvider({ id: "op-gone" }),
    },
    {
      spec: byokKeySpec,
      path: "/byok/v1/keys/cck-gone",
      what: "no BYOK key with id cck-gone",
      look: () => getByokKey({ id: "cck-gone" }),
    },
  ];

  it.each(byId)(
    "$what: a 404 (the spec's gone status) is read again within the window, then missing",
    async (c) => {
      expect(c.spec.goneStatuses).toEqual([404]);
      useServer();
      answer = () => ({ status: 404, body: notFoundBody });
      const message = await messageOf(c.look());
      expect(message).toMatch(missing(c.what, "404"));
      // Every read the message counts is a GET at the spec's item route, and nothing else was asked.
      const reads = Number(/ to (\d) read/.exec(message)?.[1]);
      expect(seenCalls()).toEqual(Array.from({ length: reads }, () => `GET ${c.path}`));
    },
  );

  it.each(byId)(
    "$what: a 403 is not a gone status of the spec: the API's error, after one GET",
    async (c) => {
      useServer();
      answer = () => ({ status: 403, body: forbidden });
      expect(await messageOf(c.look())).toBe(`GET ${c.path} failed with 403 Forbidden: Forbidden Access`);
      expect(seenCalls()).toEqual([`GET ${c.path}`]);
    },
  );

  describe("a spec whose object answers 403 when missing (the user spec, given goneStatuses [403, 404])", () => {
    beforeEach(() => {
      jest.replaceProperty(userSpec, "goneStatuses", [403, 404]);
      useServer();
    });

    it("a 403 with a readable list is a missing user: one list probe of page_size 1, then reads again", async () => {
      answer = (path) =>
        path === "/iam/v2/users"
          ? { status: 200, body: { api_version: "iam/v2", kind: "UserList", metadata: {}, data: [] } }
          : { status: 403, body: forbidden };
      const message = await messageOf(getUser({ id: "u-gone" }));
      expect(message).toMatch(missing("no user with id u-gone", "403"));
      const reads = Number(/ to (\d) read/.exec(message)?.[1]);
      expect(seenCalls()).toEqual([
        "GET /iam/v2/users/u-gone",
        "GET /iam/v2/users?page_size=1",
        ...Array.from({ length: reads - 1 }, () => "GET /iam/v2/users/u-gone"),
      ]);
    });

    it("a 403 that turns into the user within the read-lag window finds it", async () => {
      // A window long enough for the second read even on a loaded machine.
      process.env.CONFLUENT_IAM_RECONCILE_WAIT_MS = "3000";
      let reads = 0;
      answer = (path) => {
        if (path === "/iam/v2/users") return { status: 200, body: { metadata: {}, data: [] } };
        reads += 1;
        return reads === 1
          ? { status: 403, body: forbidden }
          : {
              status: 200,
              body: { api_version: "iam/v2", kind: "User", id: "u-new", email: "new@example.com" },
            };
      };
      expect(await getUser({ id: "u-new" })).toEqual({
        id: "u-new",
        email: "new@example.com",
        fullName: "",
        authType: "",
        apiVersion: "iam/v2",
        kind: "User",
      });
      expect(seenCalls()).toEqual([
        "GET /iam/v2/users/u-new",
        "GET /iam/v2/users?page_size=1",
        "GET /iam/v2/users/u-new",
      ]);
    });

    it("a 403 to the list too is a missing permission, said at once without waiting", async () => {
      answer = () => ({ status: 403, body: forbidden });
      expect(await messageOf(getUser({ id: "u-gone" }))).toBe(
        "cannot read user u-gone: the API answered 403 Forbidden to it and 403 to a list of users " +
          "(GET /iam/v2/users), so the credentials in use lack a permission; the user may well exist. " +
          "Grant the credentials' owner a role that can read users.",
      );
      expect(seenCalls()).toEqual(["GET /iam/v2/users/u-gone", "GET /iam/v2/users?page_size=1"]);
    });

    it("without a list route to probe, a 403 says it cannot tell missing from forbidden", async () => {
      jest.spyOn(userSpec, "listRoute").mockImplementation(() => undefined);
      answer = () => ({ status: 403, body: forbidden });
      expect(await messageOf(getUser({ id: "u-gone" }))).toBe(
        "cannot read user u-gone: the API answered 403 Forbidden, which means that the user does not exist " +
          "or that the credentials in use may not read it. Check the id and the roles of the credentials' owner.",
      );
      expect(seenCalls()).toEqual(["GET /iam/v2/users/u-gone"]);
    });
  });
});

describe("the exact API calls of each lookup (emulator request log)", () => {
  /** `METHOD path?query` of each request the emulator logged. */
  const logged = async (): Promise<string[]> => (await api.log()).map(callLine);

  let saId = "";
  let opId = "";
  let keyId = "";
  let rbId = "";

  beforeAll(async () => {
    saId = (
      (await api.ok("POST", "/iam/v2/service-accounts", { display_name: "deployer" })) as { id: string }
    ).id;
    opId = (
      (await api.ok("POST", "/iam/v2/identity-providers", {
        display_name: "corp",
        description: "d",
        issuer: "https://login.example.com/v2.0",
        jwks_uri: "https://login.example.com/keys",
      })) as { id: string }
    ).id;
    keyId = (
      (await api.ok("POST", "/byok/v1/keys", {
        display_name: "billing",
        key: { kind: "GcpKey", key_id: "projects/p/locations/l/keyRings/r/cryptoKeys/k" },
      })) as { id: string }
    ).id;
    rbId = (
      (await api.ok("POST", "/iam/v2/role-bindings", {
        principal: `User:${saId}`,
        role_name: "EnvironmentAdmin",
        crn_pattern: ENV_CRN,
      })) as { id: string }
    ).id;
  });

  beforeEach(async () => api.clearLog());

  it("getUser: by id one GET of the user; by email and by full name the users list at page_size 100", async () => {
    expect((await getUser({ id: "u-bob" })).authType).toBe("AUTH_TYPE_SSO");
    expect((await getUser({ email: "ALICE@example.com" })).id).toBe("u-alice");
    expect((await getUser({ fullName: "Bob" })).id).toBe("u-bob");
    expect(await logged()).toEqual([
      "GET /iam/v2/users/u-bob",
      "GET /iam/v2/users?page_size=100",
      "GET /iam/v2/users?page_size=100",
    ]);
  });

  it("getUsers: the users list at page_size 100", async () => {
    expect((await getUsers()).ids).toEqual(["u-alice", "u-bob"]);
    expect(await logged()).toEqual(["GET /iam/v2/users?page_size=100"]);
  });

  it("getServiceAccount: by id one GET; by display name the list filtered by the server at page_size 100", async () => {
    expect((await getServiceAccount({ id: saId })).displayName).toBe("deployer");
    expect((await getServiceAccount({ displayName: "deployer" })).id).toBe(saId);
    expect(await logged()).toEqual([
      `GET /iam/v2/service-accounts/${saId}`,
      "GET /iam/v2/service-accounts?display_name=deployer&page_size=100",
    ]);
  });

  it("getRoleBindings: the list on the CRN pattern, with principal and role, at page_size 1000", async () => {
    const res = await getRoleBindings({
      crnPattern: ENV_CRN,
      principal: `User:${saId}`,
      roleName: "EnvironmentAdmin",
    });
    expect(res.roleBindings).toEqual([
      { id: rbId, principal: `User:${saId}`, roleName: "EnvironmentAdmin", crnPattern: ENV_CRN },
    ]);
    await getRoleBindings({ crnPattern: ENV_CRN });
    expect(await logged()).toEqual([
      `GET /iam/v2/role-bindings?${new URLSearchParams({
        crn_pattern: ENV_CRN,
        principal: `User:${saId}`,
        role_name: "EnvironmentAdmin",
        page_size: "1000",
      })}`,
      `GET /iam/v2/role-bindings?${new URLSearchParams({ crn_pattern: ENV_CRN, page_size: "1000" })}`,
    ]);
  });

  it("getIdentityProvider: by id one GET; by display name the list at page_size 100", async () => {
    expect((await getIdentityProvider({ id: opId })).displayName).toBe("corp");
    expect((await getIdentityProvider({ displayName: "corp" })).id).toBe(opId);
    expect(await logged()).toEqual([
      `GET /iam/v2/identity-providers/${opId}`,
      "GET /iam/v2/identity-providers?page_size=100",
    ]);
  });

  it("getByokKey: one GET of the key", async () => {
    expect((await getByokKey({ id: keyId })).provider).toBe("GCP");
    expect(await logged()).toEqual([`GET /byok/v1/keys/${keyId}`]);
  });

  it("what nothing, or too much, found says; a role-binding list without a CRN pattern is never sent", async () => {
    expect(await messageOf(getRoleBindings({ crnPattern: "" }))).toBe(
      "getRoleBindings needs crnPattern (the API cannot list without one)",
    );
    expect(await messageOf(getByokKey({ id: "" }))).toBe("getByokKey needs id");
    expect(await logged()).toEqual([]);
    expect(await messageOf(getUser({ fullName: "Carol" }))).toBe("no user named Carol");
    expect(await messageOf(getIdentityProvider({ displayName: "none" }))).toBe(
      "no identity provider named none",
    );
    useServer();
    const user = { api_version: "iam/v2", kind: "User", email: "same@example.com" };
    answer = () => ({
      status: 200,
      body: {
        metadata: {},
        data: [
          { ...user, id: "u-1" },
          { ...user, id: "u-2", email: "SAME@example.com" },
        ],
      },
    });
    expect(await messageOf(getUser({ email: "same@example.com" }))).toBe(
      "2 users have email same@example.com: use the id",
    );
    expect(seenCalls()).toEqual(["GET /iam/v2/users?page_size=100"]);
  });

  it('an id of ".." is refused by the spec\'s route before any request (it would name another path)', async () => {
    expect(await messageOf(getUser({ id: ".." }))).toBe(
      'Refusing to send ".." as an id in a request path: an id is never "." or "..". ' +
        "Fix the id in the program (or the import ID).",
    );
    expect(await messageOf(getByokKey({ id: "." }))).toBe(
      'Refusing to send "." as an id in a request path: an id is never "." or "..". ' +
        "Fix the id in the program (or the import ID).",
    );
    expect(await logged()).toEqual([]);
  });

  describe("a lookup follows its spec, not a copy: with one spec member changed for the test", () => {
    it("itemRoute: the GET by id goes where the spec says", async () => {
      jest.spyOn(serviceAccountSpec, "itemRoute").mockImplementation((loc) => ({
        path: `/iam/v2/service-accounts/${loc.id}`,
        query: { include: "all" },
      }));
      await getServiceAccount({ id: saId });
      expect(await logged()).toEqual([`GET /iam/v2/service-accounts/${saId}?include=all`]);
    });

    it("listRead.pageSize: the list is read at the spec's page size", async () => {
      jest.replaceProperty(serviceAccountSpec, "listRead", { route: () => undefined, pageSize: 7 });
      await getServiceAccount({ displayName: "deployer" });
      expect(await logged()).toEqual(["GET /iam/v2/service-accounts?display_name=deployer&page_size=7"]);
    });

    it("toOutputs: the result's fields are the spec's outputs", async () => {
      const original = identityProviderSpec.toOutputs.bind(identityProviderSpec);
      jest.spyOn(identityProviderSpec, "toOutputs").mockImplementation((b) => ({
        ...original(b),
        identityClaim: "from the spec",
      }));
      expect((await getIdentityProvider({ id: opId })).identityClaim).toBe("from the spec");
    });
  });
});
