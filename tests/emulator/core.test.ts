import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:http";
import {
  arr,
  basic,
  missingPaths,
  pick,
  recorded,
  startTestEmulator,
  str,
  theError,
  type TestEmulator,
} from "./helpers";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe("auth", () => {
  test("no credentials: 401 with WWW-Authenticate and the standard envelope", async () => {
    const r = await emu.call("GET", "/iam/v2/users", undefined, { auth: null });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toBe(
      'Basic error="invalid_key", error_description="The API Key is invalid"',
    );
    expect(missingPaths(recorded("_common/errors/401__unauthorized_org_v2_list_envs.json"), r.body)).toEqual(
      [],
    );
    expect(theError(r)).toMatchObject({ status: "401", code: "unauthorized", detail: "Unauthorized" });
  });

  test("a wrong secret, a bearer token and garbage all answer 401", async () => {
    for (const auth of [
      basic("EMULATORDEMOKEY1", "wrong"),
      "Bearer emulator-demo-azure-token",
      "Basic !!!",
    ]) {
      expect((await emu.call("GET", "/iam/v2/users", undefined, { auth })).status).toBe(401);
    }
  });

  test("a created Cloud API key authenticates with its id and secret; a deleted one stops", async () => {
    const sa = await emu.call("POST", "/iam/v2/service-accounts", { display_name: "ci" });
    const key = await emu.call("POST", "/iam/v2/api-keys", { spec: { owner: { id: str(sa.body, "id") } } });
    const own = basic(str(key.body, "id"), str(key.body, "spec.secret"));
    // Authenticated (403, not 401) while its owner holds no role; then as the owner's AccountAdmin grant.
    expect((await emu.call("GET", "/iam/v2/users", undefined, { auth: own })).status).toBe(403);
    await emu.call("POST", "/iam/v2/role-bindings", {
      principal: `User:${str(sa.body, "id")}`,
      role_name: "AccountAdmin",
      crn_pattern: "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001",
    });
    expect((await emu.call("GET", "/iam/v2/users", undefined, { auth: own })).status).toBe(200);
    expect(
      (await emu.call("GET", "/iam/v2/users", undefined, { auth: basic(str(key.body, "id"), "nope") }))
        .status,
    ).toBe(401);
    expect((await emu.call("DELETE", `/iam/v2/api-keys/${str(key.body, "id")}`)).status).toBe(204);
    expect((await emu.call("GET", "/iam/v2/users", undefined, { auth: own })).status).toBe(401);
  });
});

describe("every answer", () => {
  test("carries X-Request-Id, also on errors", async () => {
    const ok = await emu.call("GET", "/iam/v2/users");
    const bad = await emu.call("GET", "/nope", undefined, { auth: null });
    expect(ok.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.headers.get("x-request-id")).not.toBe(bad.headers.get("x-request-id"));
  });

  test("no X-RateLimit headers when rate limiting is off", async () => {
    const r = await emu.call("GET", "/iam/v2/users");
    expect(r.headers.get("x-ratelimit-limit")).toBeNull();
  });
});

describe("routing and bodies", () => {
  test("an unknown route answers 404", async () => {
    const r = await emu.call("GET", "/iam/v2/nothing-here");
    expect(r.status).toBe(404);
    expect(theError(r)).toMatchObject({ status: "404", code: "not_found" });
  });

  test("a wrong method answers 405 with Allow", async () => {
    const r = await emu.call("PUT", "/iam/v2/service-accounts");
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("GET, POST, HEAD");
    expect(theError(r)).toMatchObject({ status: "405", code: "method_not_allowed" });
  });

  test("malformed JSON answers 400", async () => {
    const r = await emu.call("POST", "/iam/v2/service-accounts", undefined, { raw: "{not json" });
    expect(r.status).toBe(400);
    expect(theError(r)).toMatchObject({
      status: "400",
      code: "bad_request",
      detail: "Malformed JSON in request body",
    });
  });

  test("a JSON body that is not an object answers 400", async () => {
    const r = await emu.call("POST", "/iam/v2/service-accounts", undefined, { raw: "[1,2]" });
    expect(r.status).toBe(400);
    expect(theError(r)).toMatchObject({ detail: "Request body must be a JSON object" });
  });

  test("a wrong type names the field", async () => {
    const r = await emu.call("POST", "/iam/v2/service-accounts", { display_name: 7 });
    expect(r.status).toBe(422);
    expect(theError(r)).toMatchObject({
      detail: "display_name must be a string",
      source: { pointer: "/display_name" },
    });
  });
});

describe("pagination", () => {
  test("page_size above the documented maximum answers 400", async () => {
    const r = await emu.call("GET", "/iam/v2/users?page_size=101");
    expect(r.status).toBe(400);
    expect(theError(r)).toMatchObject({
      detail: "page_size must be at most 100",
      source: { parameter: "page_size" },
    });
    expect((await emu.call("GET", "/iam/v2/users?page_size=100")).status).toBe(200);
    expect((await emu.call("GET", "/iam/v2/ip-groups?page_size=101")).status).toBe(400);
  });

  test("page_size 0 or not a number answers 400", async () => {
    expect((await emu.call("GET", "/iam/v2/users?page_size=0")).status).toBe(400);
    expect((await emu.call("GET", "/iam/v2/users?page_size=ten")).status).toBe(400);
  });

  test("a forged page_token answers 400", async () => {
    const r = await emu.call("GET", "/iam/v2/users?page_token=not-a-token");
    expect(r.status).toBe(400);
    expect(theError(r)).toMatchObject({
      detail: "page_token is invalid",
      source: { parameter: "page_token" },
    });
  });

  test("metadata.next is on another origin and carries only the page token, as the real API's; the emulator takes the token on its own path", async () => {
    const first = await emu.call("GET", "/iam/v2/users?page_size=1");
    const next = str(first.body, "metadata.next");
    expect(next).toMatch(/^https:\/\/confluent\.cloud\/api\/iam\/v2\/users\?page_token=[A-Za-z0-9_-]+$/);
    const token = new URL(next).searchParams.get("page_token") ?? "";
    const second = await emu.call("GET", `/iam/v2/users?page_size=1&page_token=${token}`);
    expect(second.status).toBe(200);
    expect(arr(second.body, "data").map((u) => str(u, "id"))).toEqual(["u-demo02"]);
    // The page size travels in the token too.
    const bare = await emu.call("GET", `/iam/v2/users?page_token=${token}`);
    expect(arr(bare.body, "data").map((u) => str(u, "id"))).toEqual(["u-demo02"]);
  });

  test('with nextLinkOrigin "", metadata.next is built from the Host header and keeps the page size', async () => {
    const emu = await startTestEmulator({ nextLinkOrigin: "" });
    // fetch() does not let a caller set Host, so this one goes through node:http.
    const body = await new Promise<unknown>((resolve, reject) => {
      const req = request(
        `${emu.url}/iam/v2/users?page_size=1`,
        { headers: { authorization: emu.auth, host: "api.example.test:1234" } },
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => resolve(JSON.parse(text)));
        },
      );
      req.on("error", reject);
      req.end();
    });
    await emu.close();
    const next = str(body, "metadata.next");
    expect(next).toMatch(/^http:\/\/api\.example\.test:1234\/iam\/v2\/users\?page_size=1&page_token=/);
  });
});

describe("seed file", () => {
  test("startEmulator({ seed: <path> }) reads the seed document from a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-seed-"));
    const file = join(dir, "seed.json");
    writeFileSync(
      file,
      JSON.stringify({ organization_id: "org-from-file", users: [{ id: "u-file", email: "f@example.com" }] }),
    );
    const other = await startTestEmulator({ seed: file });
    try {
      const users = await other.call("GET", "/iam/v2/users");
      expect(arr(users.body, "data").map((u) => str(u, "id"))).toEqual(["u-file"]);
      expect(str(users.body, "data.0.metadata.resource_name")).toBe(
        "crn://confluent.cloud/organization=org-from-file/user=u-file",
      );
      // No kafka cluster in this seed: a resource key cannot be made.
      const sa = await other.call("POST", "/iam/v2/service-accounts", { display_name: "x" });
      const key = await other.call("POST", "/iam/v2/api-keys", {
        spec: { owner: { id: str(sa.body, "id") }, resource: { id: "lkc-demo01" } },
      });
      expect(key.status).toBe(422);
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("control API", () => {
  test("needs the admin credentials", async () => {
    expect((await emu.call("GET", "/_emulator/requests", undefined, { auth: null })).status).toBe(401);
  });

  test("the request log has every API call, including 401s, and never control calls", async () => {
    await emu.call("GET", "/iam/v2/users?page_size=5");
    await emu.call("GET", "/iam/v2/users", undefined, { auth: null });
    await emu.call("GET", "/_emulator/faults");
    const log = await emu.requests();
    expect(log.map((e) => [pick(e, "method"), pick(e, "path"), pick(e, "status")])).toEqual([
      ["GET", "/iam/v2/users", 200],
      ["GET", "/iam/v2/users", 401],
    ]);
    expect(log[0]).toMatchObject({ query: { page_size: "5" } });
    expect(str(log[0], "time")).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(typeof pick(log[0], "duration_ms")).toBe("number");
    expect((await emu.call("DELETE", "/_emulator/requests")).status).toBe(204);
    expect(await emu.requests()).toEqual([]);
  });

  test("reset empties the stores and re-applies the seed", async () => {
    await emu.call("POST", "/iam/v2/service-accounts", { display_name: "x" });
    await emu.call("DELETE", "/iam/v2/users/u-demo02");
    await emu.reset();
    expect(pick((await emu.call("GET", "/iam/v2/service-accounts")).body, "data")).toEqual([]);
    expect((await emu.call("GET", "/iam/v2/users/u-demo02")).status).toBe(200);
  });

  test("ids are not reused after a reset", async () => {
    const a = await emu.call("POST", "/iam/v2/service-accounts", { display_name: "x" });
    await emu.reset();
    const b = await emu.call("POST", "/iam/v2/service-accounts", { display_name: "x" });
    expect(str(a.body, "id")).not.toBe(str(b.body, "id"));
  });

  test("seed replaces the organization, users and clusters, then resets", async () => {
    const seed = {
      organization_id: "11111111-2222-4333-8444-555555555555",
      users: [{ id: "u-solo", email: "solo@example.com", full_name: "Solo" }],
      environments: [{ id: "env-x" }],
      kafka_clusters: [{ id: "lkc-x", environment: "env-x" }],
    };
    const r = await emu.call("POST", "/_emulator/seed", seed);
    expect(r.status).toBe(200);
    const users = await emu.call("GET", "/iam/v2/users");
    expect(arr(users.body, "data").map((u) => str(u, "id"))).toEqual(["u-solo"]);
    expect(str(users.body, "data.0.metadata.resource_name")).toBe(
      "crn://confluent.cloud/organization=11111111-2222-4333-8444-555555555555/user=u-solo",
    );
    const bad = await emu.call("POST", "/_emulator/seed", { users: [] });
    expect(bad.status).toBe(400);
    expect(theError(bad)).toMatchObject({
      code: "invalid_seed",
      detail: "invalid seed: organization_id: Required",
    });
    const orphan = await emu.call("POST", "/_emulator/seed", {
      ...seed,
      kafka_clusters: [{ id: "lkc-y", environment: "env-none" }],
    });
    expect(theError(orphan)).toMatchObject({
      detail: "invalid seed: lkc-y names unknown environment env-none",
    });
    await emu.call("POST", "/_emulator/seed", (await import("../../emulator/seed")).defaultSeed);
  });

  test("faults can be read and changed at runtime; unknown names are refused", async () => {
    const before = await emu.call("GET", "/_emulator/faults");
    expect(before.body).toEqual({
      "5xx": 0,
      reset: 0,
      "429": 0,
      latency_ms: 0,
      latency_jitter_ms: 0,
      read_lag_ms: 0,
      key_propagation_ms: 0,
      rate_limit: 0,
      fault_seed: 1,
    });
    const changed = await emu.call("PUT", "/_emulator/faults", { read_lag_ms: 5 });
    expect(pick(changed.body, "read_lag_ms")).toBe(5);
    expect((await emu.call("PUT", "/_emulator/faults", { "5xx": 2 })).status).toBe(400);
    expect((await emu.call("PUT", "/_emulator/faults", { typo: 1 })).status).toBe(400);
    await emu.call("PUT", "/_emulator/faults", { read_lag_ms: 0 });
  });

  test("dump lists every object by kind, without secrets", async () => {
    const sa = await emu.call("POST", "/iam/v2/service-accounts", { display_name: "x" });
    const key = await emu.call("POST", "/iam/v2/api-keys", { spec: { owner: { id: str(sa.body, "id") } } });
    const dump = await emu.call("GET", "/_emulator/dump");
    expect(arr(dump.body, "service_accounts")).toHaveLength(1);
    expect(arr(dump.body, "users")).toHaveLength(2);
    expect(arr(dump.body, "api_keys")).toHaveLength(1);
    expect(JSON.stringify(dump.body)).not.toContain(str(key.body, "spec.secret"));
    expect(JSON.stringify(dump.body)).not.toContain("secret_sha256");
    for (const kind of [
      "invitations",
      "ip_groups",
      "ip_filters",
      "role_bindings",
      "identity_providers",
      "identity_pools",
      "integrations",
      "byok_keys",
    ]) {
      expect(arr(dump.body, kind)).toEqual([]);
    }
  });
});
