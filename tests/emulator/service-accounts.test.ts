import {
  allPages,
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

const create = (display_name: string, description = "d") =>
  emu.call("POST", "/iam/v2/service-accounts", { display_name, description });

describe("service accounts", () => {
  test("full scenario: create 201, get, list over 3 pages, update, delete 204, get-after-delete 404", async () => {
    const created = await create("sa-one", "first");
    expect(created.status).toBe(201);
    const id = str(created.body, "id");
    expect(id).toMatch(/^sa-/);
    expect(created.headers.get("location")).toBe(`${emu.url}/iam/v2/service-accounts/${id}`);
    expect(missingPaths(recorded("iam-v2/service-accounts/create__sa.json"), created.body)).toEqual([]);
    expect(created.body).toMatchObject({
      api_version: "iam/v2",
      kind: "ServiceAccount",
      display_name: "sa-one",
      description: "first",
      metadata: {
        self: `${emu.url}/iam/v2/service-accounts/${id}`,
        resource_name: `crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001/service-account=${id}`,
      },
    });

    const got = await emu.call("GET", `/iam/v2/service-accounts/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    for (let i = 2; i <= 5; i++) expect((await create(`sa-${i}`)).status).toBe(201);
    const pages = await allPages(emu, "/iam/v2/service-accounts?page_size=2");
    expect(pages).toHaveLength(3);
    expect(idsOf(pages)).toHaveLength(5);
    expect(new Set(idsOf(pages)).size).toBe(5);
    expect(pick(pages[0], "metadata.total_size")).toBe(5);
    // As the real API: another origin, only the page token.
    expect(str(pages[0], "metadata.next")).toMatch(
      /^https:\/\/confluent\.cloud\/api\/iam\/v2\/service-accounts\?page_token=[A-Za-z0-9_-]+$/,
    );
    expect(pick(pages[2], "metadata.next")).toBeUndefined();

    const updated = await emu.call(
      "PATCH",
      `/iam/v2/service-accounts/${id}`,
      recorded("iam-v2/service-accounts/requests/update__sa.json"),
    );
    expect(updated.status).toBe(200);
    expect(
      missingPaths(recorded("iam-v2/service-accounts/update_and_get__updated_sa.json"), updated.body),
    ).toEqual([]);
    expect(updated.body).toMatchObject({
      display_name: "test_service_account_updated_display_name",
      description: "The updated description of service account",
    });
    expect((await emu.call("GET", `/iam/v2/service-accounts/${id}`)).body).toEqual(updated.body);

    const deleted = await emu.call("DELETE", `/iam/v2/service-accounts/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    const gone = await emu.call("GET", `/iam/v2/service-accounts/${id}`);
    expect(gone.status).toBe(404);
    expect(
      missingPaths(recorded("iam-v2/service-accounts/error_get_after_delete__sa.json"), gone.body),
    ).toEqual([]);
    expect(theError(gone)).toMatchObject({
      status: "404",
      code: "service_account_not_found",
      detail: "Service Account Not Found",
    });
    expect((await emu.call("DELETE", `/iam/v2/service-accounts/${id}`)).status).toBe(404);
    expect((await emu.call("PATCH", `/iam/v2/service-accounts/${id}`, { description: "x" })).status).toBe(
      404,
    );
  });

  test("a duplicate display_name answers 409 with the Location of the existing one", async () => {
    const first = await create("dup");
    const again = await create("dup");
    expect(again.status).toBe(409);
    expect(again.headers.get("location")).toBe(`${emu.url}/iam/v2/service-accounts/${str(first.body, "id")}`);
    expect(theError(again)).toMatchObject({
      status: "409",
      code: "conflict",
      detail: "Service name is already in use: dup",
    });
  });

  test("a PATCH to a display_name another account holds answers 409", async () => {
    await create("taken");
    const other = await create("other");
    const r = await emu.call("PATCH", `/iam/v2/service-accounts/${str(other.body, "id")}`, {
      display_name: "taken",
    });
    expect(r.status).toBe(409);
  });

  test("display_name is required and at most 64 characters", async () => {
    const missing = await emu.call("POST", "/iam/v2/service-accounts", { description: "x" });
    expect(missing.status).toBe(422);
    expect(theError(missing)).toMatchObject({
      detail: "display_name is required",
      source: { pointer: "/display_name" },
    });
    expect((await create("x".repeat(64))).status).toBe(201);
    const long = await create("y".repeat(65));
    expect(long.status).toBe(422);
    expect(theError(long)).toMatchObject({
      status: "422",
      code: "invalid_input",
      detail: "display_name must be at most 64 characters",
      source: { pointer: "/display_name" },
    });
  });

  // iam_v2.yaml's display_name parameter: "Pass multiple times to see results matching any of the values"
  // (explode: true). Its curl example writes "tf_runner_sa,mySA"; the parameter's own description is the
  // newer word and a display name may hold a comma, so each value is one whole name (issue 23).
  test("LIST filters by display_name (repeated for several names, exact match, a comma is part of a name)", async () => {
    const a = await create("test_service_account_display_name");
    await create("test_service_account_display_name_2");
    const c = await create("third");
    const one = await emu.call(
      "GET",
      "/iam/v2/service-accounts?display_name=test_service_account_display_name",
    );
    expect(one.status).toBe(200);
    expect(
      missingPaths(recorded("iam-v2/service-accounts/list__filtered_by_display_name.json"), one.body),
    ).toEqual([]);
    expect(idsOf([one.body])).toEqual([str(a.body, "id")]);
    expect(pick(one.body, "metadata.next")).toBeUndefined();
    const two = await emu.call(
      "GET",
      "/iam/v2/service-accounts?display_name=test_service_account_display_name&display_name=third",
    );
    expect(idsOf([two.body]).sort()).toEqual([str(a.body, "id"), str(c.body, "id")].sort());
    const repeated = await emu.call("GET", "/iam/v2/service-accounts?display_name=third&display_name=nope");
    expect(idsOf([repeated.body])).toEqual([str(c.body, "id")]);
    // Not split on the comma: no account is named "test_service_account_display_name,third".
    const joined = await emu.call(
      "GET",
      "/iam/v2/service-accounts?display_name=test_service_account_display_name,third",
    );
    expect(joined.status).toBe(200);
    expect(idsOf([joined.body])).toEqual([]);
    const comma = await create("payments, eu");
    const found = await emu.call(
      "GET",
      `/iam/v2/service-accounts?display_name=${encodeURIComponent("payments, eu")}`,
    );
    expect(idsOf([found.body])).toEqual([str(comma.body, "id")]);
  });

  test("deleting a service account removes its API keys and role bindings (cascade)", async () => {
    const sa = str((await create("owner")).body, "id");
    const keep = str((await create("keeper")).body, "id");
    const key = await emu.call("POST", "/iam/v2/api-keys", { spec: { owner: { id: sa } } });
    const kept = await emu.call("POST", "/iam/v2/api-keys", { spec: { owner: { id: keep } } });
    const crn =
      "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001/environment=env-demo01";
    const rb = await emu.call("POST", "/iam/v2/role-bindings", {
      principal: `User:${sa}`,
      role_name: "EnvironmentAdmin",
      crn_pattern: crn,
    });
    expect([key.status, kept.status, rb.status]).toEqual([202, 202, 201]);

    expect((await emu.call("DELETE", `/iam/v2/service-accounts/${sa}`)).status).toBe(204);
    expect((await emu.call("GET", `/iam/v2/api-keys/${str(key.body, "id")}`)).status).toBe(403);
    expect((await emu.call("GET", `/iam/v2/role-bindings/${str(rb.body, "id")}`)).status).toBe(403);
    expect((await emu.call("GET", `/iam/v2/api-keys/${str(kept.body, "id")}`)).status).toBe(200);
    const left = await emu.call("GET", `/iam/v2/role-bindings?crn_pattern=${encodeURIComponent(crn)}`);
    expect(pick(left.body, "data")).toEqual([]);
  });

  test("unknown request fields are ignored", async () => {
    const r = await emu.call("POST", "/iam/v2/service-accounts", {
      display_name: "x",
      favourite_colour: "blue",
      id: "sa-mine",
    });
    expect(r.status).toBe(201);
    expect(str(r.body, "id")).not.toBe("sa-mine");
    expect(pick(r.body, "favourite_colour")).toBeUndefined();
  });
});

describe("assigned_resource_owner on create", () => {
  const ORG = "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001";

  test("binds the principal ResourceOwner on the new service account, in the same call", async () => {
    const created = await emu.call("POST", "/iam/v2/service-accounts?assigned_resource_owner=u-demo02", {
      display_name: "owned",
    });
    expect(created.status).toBe(201);
    const crn = `${ORG}/service-account=${str(created.body, "id")}`;
    const bindings = await emu.call("GET", `/iam/v2/role-bindings?crn_pattern=${encodeURIComponent(crn)}`);
    expect(bindings.status).toBe(200);
    expect(pick(bindings.body, "data") as unknown[]).toEqual([
      expect.objectContaining({ principal: "User:u-demo02", role_name: "ResourceOwner", crn_pattern: crn }),
    ]);
  });

  test.each([
    [
      "x-1",
      "assigned_resource_owner must be the id of a user (u-…), service account (sa-…), identity pool (pool-…) or group mapping (group-…)",
    ],
    ["sa-nope01", "Principal sa-nope01 does not exist"],
  ])("400 for %s, and nothing is created", async (owner, detail) => {
    const r = await emu.call("POST", `/iam/v2/service-accounts?assigned_resource_owner=${owner}`, {
      display_name: "not-made",
    });
    expect(r.status).toBe(400);
    expect(theError(r)).toMatchObject({ detail, source: { parameter: "assigned_resource_owner" } });
    const list = await emu.call("GET", "/iam/v2/service-accounts?display_name=not-made");
    expect(idsOf([list.body])).toEqual([]);
  });
});
