import {
  allPages,
  arr,
  idsOf,
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

const providerBody = recorded("iam-v2/identity-providers/requests/create__identity_provider.json") as Record<
  string,
  unknown
>;
const poolBody = recorded("iam-v2/identity-pools/requests/create__identity_pool.json") as Record<
  string,
  unknown
>;
const createProvider = (display_name = "My OIDC Provider") =>
  emu.call("POST", "/iam/v2/identity-providers", { ...providerBody, display_name });

describe("identity providers", () => {
  test("full scenario: create 201 with server-filled keys and state, get, list over 3 pages, update, delete 204, 404 after", async () => {
    const created = await createProvider();
    expect(created.status).toBe(201);
    const id = str(created.body, "id");
    expect(id).toMatch(/^op-/);
    expect(
      missingPaths(recorded("iam-v2/identity-providers/create__identity_provider.json"), created.body),
    ).toEqual([]);
    expect(created.body).toMatchObject({
      state: "ENABLED",
      identity_claim: "claims.aud",
      issuer: providerBody.issuer,
    });
    expect(arr(created.body, "keys").length).toBeGreaterThan(0);
    const got = await emu.call("GET", `/iam/v2/identity-providers/${id}`);
    expect(
      missingPaths(recorded("iam-v2/identity-providers/get__created_identity_provider.json"), got.body),
    ).toEqual([]);
    expect(got.body).toEqual(created.body);

    for (let i = 0; i < 4; i++) await createProvider(`p${i}`);
    const pages = await allPages(emu, "/iam/v2/identity-providers?page_size=2");
    expect(pages).toHaveLength(3);
    expect(idsOf(pages)).toHaveLength(5);
    expect(
      missingPaths(recorded("iam-v2/identity-providers/list__identity_providers.json"), pages[0], [
        "metadata.self",
      ]),
    ).toEqual([]);

    const updated = await emu.call("PATCH", `/iam/v2/identity-providers/${id}`, {
      display_name: "My OIDC Provider updated",
      issuer: "https://login.microsoftonline.com/11111111-0000-0000-0000-b3d3d184f1a5/v2.1",
      jwks_uri: "https://login.microsoftonline.com/common/discovery/v2.1/keys",
    });
    expect(updated.status).toBe(200);
    expect(
      missingPaths(
        recorded("iam-v2/identity-providers/update_and_get__updated_identity_provider.json"),
        updated.body,
      ),
    ).toEqual([]);
    expect(updated.body).toMatchObject({
      display_name: "My OIDC Provider updated",
      description: "fake description",
    });

    expect((await emu.call("DELETE", `/iam/v2/identity-providers/${id}`)).status).toBe(204);
    const gone = await emu.call("GET", `/iam/v2/identity-providers/${id}`);
    expect(gone.status).toBe(404);
    expect(
      missingPaths(
        recorded("iam-v2/identity-providers/error_get_after_delete__identity_provider.json"),
        gone.body,
      ),
    ).toEqual([]);
    expect(gone.body).toEqual({
      error_code: 404,
      message: `Identity Provider ${id} not found or disabled for Organization b0b0cafe-0000-4000-8000-000000000001`,
    });
  });

  test("PATCH .../jwks refreshes the key set and answers a jwks_status", async () => {
    const id = str((await createProvider()).body, "id");
    const r = await emu.call(
      "PATCH",
      `/iam/v2/identity-providers/${id}/jwks`,
      recorded("iam-v2/identity-providers/requests/refresh_jwks.json"),
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      api_version: "iam/v2",
      kind: "Jwks",
      spec: { jwks_status: "REFRESHED" },
      status: { jwks_status: "REFRESHED" },
    });
    expect(str(r.body, "status.jwks_last_refresh_at")).toMatch(/^\d{4}-/);
    expect((await emu.call("PATCH", "/iam/v2/identity-providers/op-nope/jwks")).status).toBe(404);
  });

  test("issuer and jwks_uri must be URIs; display_name and description are required", async () => {
    const bad = await emu.call("POST", "/iam/v2/identity-providers", {
      ...providerBody,
      jwks_uri: "not a uri",
    });
    expect(bad.status).toBe(422);
    expect(theError(bad)).toMatchObject({
      detail: "jwks_uri must be a valid URI",
      source: { pointer: "/jwks_uri" },
    });
    const none = await emu.call("POST", "/iam/v2/identity-providers", {
      issuer: providerBody.issuer,
      jwks_uri: providerBody.jwks_uri,
    });
    expect(theError(none)).toMatchObject({ detail: "display_name is required" });
  });
});

describe("identity pools", () => {
  test("full scenario under a provider: create 201, get, list over 3 pages, update, delete 204, 404 after", async () => {
    const op = str((await createProvider()).body, "id");
    const base = `/iam/v2/identity-providers/${op}/identity-pools`;
    const created = await emu.call("POST", base, poolBody);
    expect(created.status).toBe(201);
    const id = str(created.body, "id");
    expect(id).toMatch(/^pool-/);
    expect(
      missingPaths(recorded("iam-v2/identity-pools/create_and_get__identity_pool.json"), created.body),
    ).toEqual([]);
    expect(created.body).toMatchObject({ principal: id, state: "ENABLED", filter: poolBody.filter });
    expect((await emu.call("GET", `${base}/${id}`)).body).toEqual(created.body);

    for (let i = 0; i < 4; i++) await emu.call("POST", base, { ...poolBody, display_name: `pool ${i}` });
    const pages = await allPages(emu, `${base}?page_size=2`);
    expect(pages).toHaveLength(3);
    expect(idsOf(pages)).toHaveLength(5);
    expect(pick(pages[0], "api_version")).toBeUndefined();
    expect(
      missingPaths(recorded("iam-v2/identity-pools/list__identity_pools.json"), pages[0], ["metadata.self"]),
    ).toEqual([]);

    const updated = await emu.call("PATCH", `${base}/${id}`, {
      identity_claim: "aud",
      filter: 'claims.aud=="confluent"',
    });
    expect(updated.status).toBe(200);
    expect(
      missingPaths(
        recorded("iam-v2/identity-pools/update_and_get__updated_identity_pool.json"),
        updated.body,
      ),
    ).toEqual([]);
    expect(updated.body).toMatchObject({ identity_claim: "aud", display_name: poolBody.display_name });

    expect((await emu.call("DELETE", `${base}/${id}`)).status).toBe(204);
    const gone = await emu.call("GET", `${base}/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error_code: 404, message: `Identity Pool ${id} not found` });
  });

  test("a pool under a missing provider answers the provider's flat 404 (as recorded)", async () => {
    const r = await emu.call("GET", "/iam/v2/identity-providers/op-537/identity-pools/pool-x");
    expect(r.status).toBe(404);
    expect(r.body).toEqual(recorded("iam-v2/identity-pools/error_get_after_delete__identity_pool.json"));
  });

  test("all four fields are required; an unparsable filter is refused", async () => {
    const op = str((await createProvider()).body, "id");
    const base = `/iam/v2/identity-providers/${op}/identity-pools`;
    const none = await emu.call("POST", base, { ...poolBody, identity_claim: undefined });
    expect(theError(none)).toMatchObject({
      detail: "identity_claim is required",
      source: { pointer: "/identity_claim" },
    });
    const bad = await emu.call("POST", base, { ...poolBody, filter: 'claims.aud=="confluent" && (claims.x' });
    expect(bad.status).toBe(422);
    expect(theError(bad)).toMatchObject({
      detail: "Invalid syntax in policy expression",
      source: { pointer: "/filter" },
    });
    expect(theError(await emu.call("POST", base, { ...poolBody, filter: "x".repeat(301) }))).toMatchObject({
      source: { pointer: "/filter" },
    });
  });

  test("deleting a provider deletes its pools", async () => {
    const op = str((await createProvider()).body, "id");
    const pool = str(
      (await emu.call("POST", `/iam/v2/identity-providers/${op}/identity-pools`, poolBody)).body,
      "id",
    );
    await emu.call("DELETE", `/iam/v2/identity-providers/${op}`);
    const dump = await emu.call("GET", "/_emulator/dump");
    expect(arr(dump.body, "identity_pools").map((p) => str(p, "id"))).not.toContain(pool);
  });
});

describe("identity pools: assigned_resource_owner on create", () => {
  test("binds the principal ResourceOwner on the new pool; an unknown principal is 400 and makes no pool", async () => {
    const op = str((await createProvider()).body, "id");
    const base = `/iam/v2/identity-providers/${op}/identity-pools`;
    const owner = str(
      (await emu.call("POST", "/iam/v2/service-accounts", { display_name: "pool-owner" })).body,
      "id",
    );
    const created = await emu.call("POST", `${base}?assigned_resource_owner=${owner}`, poolBody);
    expect(created.status).toBe(201);
    const crn = `crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001/identity-provider=${op}/identity-pool=${str(created.body, "id")}`;
    const bindings = await emu.call("GET", `/iam/v2/role-bindings?crn_pattern=${encodeURIComponent(crn)}`);
    expect(pick(bindings.body, "data")).toEqual([
      expect.objectContaining({ principal: `User:${owner}`, role_name: "ResourceOwner", crn_pattern: crn }),
    ]);

    const refused = await emu.call("POST", `${base}?assigned_resource_owner=pool-nope`, {
      ...poolBody,
      display_name: "second",
    });
    expect(refused.status).toBe(400);
    expect(theError(refused)).toMatchObject({
      detail: "Principal pool-nope does not exist",
      source: { parameter: "assigned_resource_owner" },
    });
    expect(idsOf([(await emu.call("GET", base)).body])).toEqual([str(created.body, "id")]);
  });
});
