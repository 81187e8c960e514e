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

const ORG = "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001";
const CLUSTER = `${ORG}/environment=env-demo01/cloud-cluster=lkc-demo01`;
const bind = (principal: string, role_name: string, crn_pattern: string) =>
  emu.call("POST", "/iam/v2/role-bindings", { principal, role_name, crn_pattern });

describe("role bindings", () => {
  test("full scenario: create 201, get, list over 3 pages, no PATCH (405), DELETE answers 200 with the binding, 403 after", async () => {
    const created = await bind("User:u-demo01", "CloudClusterAdmin", CLUSTER);
    expect(created.status).toBe(201);
    const id = str(created.body, "id");
    expect(id).toMatch(/^rb-/);
    expect(
      missingPaths(recorded("iam-v2/role-bindings/create_and_get__role_binding.json"), created.body),
    ).toEqual([]);
    expect(created.body).toMatchObject({
      kind: "RoleBinding",
      principal: "User:u-demo01",
      role_name: "CloudClusterAdmin",
      crn_pattern: CLUSTER,
    });
    const got = await emu.call("GET", `/iam/v2/role-bindings/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    for (const role of ["DeveloperRead", "DeveloperWrite", "DeveloperManage", "ResourceOwner"]) {
      expect((await bind("User:u-demo02", role, `${CLUSTER}/kafka=lkc-demo01/topic=t`)).status).toBe(201);
    }
    const pages = await allPages(
      emu,
      `/iam/v2/role-bindings?page_size=2&crn_pattern=${encodeURIComponent(CLUSTER)}`,
    );
    expect(pages).toHaveLength(3);
    expect(idsOf(pages)).toHaveLength(5);

    const patch = await emu.call("PATCH", `/iam/v2/role-bindings/${id}`, { role_name: "Operator" });
    expect(patch.status).toBe(405);

    const deleted = await emu.call("DELETE", `/iam/v2/role-bindings/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual(created.body);
    const gone = await emu.call("GET", `/iam/v2/role-bindings/${id}`);
    expect(gone.status).toBe(403);
    expect(gone.body).toEqual(recorded("iam-v2/role-bindings/error_get_after_delete__role_binding.json"));
    expect((await emu.call("DELETE", `/iam/v2/role-bindings/${id}`)).status).toBe(403);
  });

  test("403 with the flat MDS body for a role binding that never existed", async () => {
    const r = await emu.call("GET", "/iam/v2/role-bindings/rb-nope");
    expect(r.status).toBe(403);
    expect(r.body).toEqual({
      error_code: 40301,
      message: "Either unauthorized to access role binding or role binding does not exist",
    });
  });

  test("LIST without crn_pattern answers 400", async () => {
    const r = await emu.call("GET", "/iam/v2/role-bindings?principal=User:u-demo01");
    expect(r.status).toBe(400);
    expect(theError(r)).toMatchObject({
      detail: "crn_pattern is required",
      source: { parameter: "crn_pattern" },
    });
  });

  test("LIST filters by principal, role_name and a partial crn_pattern", async () => {
    const a = await bind("User:u-demo01", "CloudClusterAdmin", CLUSTER);
    const b = await bind("User:u-demo02", "CloudClusterAdmin", CLUSTER);
    const c = await bind("User:u-demo02", "EnvironmentAdmin", `${ORG}/environment=env-prod01`);
    const q = (s: string) => emu.call("GET", `/iam/v2/role-bindings?${s}`);
    expect(idsOf([(await q(`crn_pattern=${encodeURIComponent(ORG)}`)).body]).sort()).toEqual(
      [a, b, c].map((x) => str(x.body, "id")).sort(),
    );
    expect(
      idsOf([
        (await q(`crn_pattern=${encodeURIComponent(ORG)}&principal=User:u-demo02&role_name=EnvironmentAdmin`))
          .body,
      ]),
    ).toEqual([str(c.body, "id")]);
    expect(
      idsOf([(await q(`crn_pattern=${encodeURIComponent(CLUSTER)}&principal=User:u-demo01`)).body]),
    ).toEqual([str(a.body, "id")]);
  });

  test("an identical (principal, role_name, crn_pattern) answers 409, comparing crn_pattern URL-decoded", async () => {
    const first = await bind("User:u-demo01", "CloudClusterAdmin", `${CLUSTER}/kafka=lkc-demo01/topic=a/b`);
    const encoded = await bind(
      "User:u-demo01",
      "CloudClusterAdmin",
      `${CLUSTER}/kafka=lkc-demo01/topic=a%2Fb`,
    );
    expect(encoded.status).toBe(409);
    expect(encoded.headers.get("location")).toBe(`${emu.url}/iam/v2/role-bindings/${str(first.body, "id")}`);
    expect(
      (await bind("User:u-demo02", "CloudClusterAdmin", `${CLUSTER}/kafka=lkc-demo01/topic=a/b`)).status,
    ).toBe(201);
  });

  test("principal and crn_pattern patterns are validated", async () => {
    const p = await bind("u-demo01", "CloudClusterAdmin", CLUSTER);
    expect(p.status).toBe(400);
    expect(theError(p)).toMatchObject({
      detail: "principal must match (^User:.+$)|(^Group:.+$)",
      source: { pointer: "/principal" },
    });
    const c = await bind("User:u-demo01", "CloudClusterAdmin", "lkc-demo01");
    expect(c.status).toBe(400);
    expect(theError(c)).toMatchObject({
      detail: "crn_pattern: must match ^crn://.+$",
      source: { pointer: "/crn_pattern" },
    });
    const r = await bind("Group:admins", "", CLUSTER);
    expect(theError(r)).toMatchObject({ source: { pointer: "/role_name" } });
    expect(pick((await bind("Group:admins", "CloudClusterAdmin", CLUSTER)).body, "principal")).toBe(
      "Group:admins",
    );
  });
});

describe("CRN patterns the real API refuses (issue 30): 400 in the standard envelope, nothing stored", () => {
  const DEMO = `${ORG}/environment=env-demo01`;
  const refused = (detail: string) => ({
    errors: [
      {
        id: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
        status: "400",
        code: "invalid_input",
        detail,
        source: { pointer: "/crn_pattern" },
      },
    ],
  });
  const DOTS =
    'crn_pattern: must not contain a "." or ".." segment (nor one percent-encoded, such as %2e%2e); ' +
    "name each scope once, from the organization down";

  test.each([
    ["..", `${DEMO}/../environment=env-prod01`],
    ["%2e%2e", `${DEMO}/%2e%2e/environment=env-prod01`],
    ["%2E%2E", `${DEMO}/%2E%2E/environment=env-prod01`],
    ["%252e%252e (encoded twice)", `${DEMO}/%252e%252e/environment=env-prod01`],
    [".", `${DEMO}/./cloud-cluster=lkc-demo01`],
    ["a dot value", `${DEMO}/cloud-cluster=..`],
    ["before the environment", `${ORG}/../organization=b0b0cafe-0000-4000-8000-000000000002`],
  ])("a dot segment (%s)", async (_what, pattern) => {
    const r = await bind("User:u-demo01", "DeveloperRead", pattern);
    expect(r.status).toBe(400);
    expect(r.body).toEqual(refused(DOTS));
    const list = await emu.call("GET", `/iam/v2/role-bindings?crn_pattern=${encodeURIComponent(ORG)}`);
    expect(arr(list.body, "data")).toEqual([]);
  });

  test.each([
    ["cloud-cluster", "lkc-prod01"],
    ["schema-registry", "lsrc-demo01"],
  ])("a %s of another environment than the CRN's", async (type, id) => {
    const env = type === "schema-registry" ? "env-prod01" : "env-demo01";
    const owner = type === "schema-registry" ? "env-demo01" : "env-prod01";
    const r = await bind("User:u-demo01", "CloudClusterAdmin", `${ORG}/environment=${env}/${type}=${id}`);
    expect(r.status).toBe(400);
    expect(r.body).toEqual(
      refused(
        `crn_pattern: ${type}=${id} is not in environment=${env} (it is in ${owner}); put it under ` +
          `environment=${owner}`,
      ),
    );
  });

  test("the same scopes written correctly are accepted (201)", async () => {
    expect((await bind("User:u-demo01", "DeveloperRead", `${ORG}/environment=env-prod01`)).status).toBe(201);
    expect(
      (
        await bind(
          "User:u-demo01",
          "CloudClusterAdmin",
          `${ORG}/environment=env-prod01/cloud-cluster=lkc-prod01`,
        )
      ).status,
    ).toBe(201);
    // A name with dots that is not a dot segment, and a cluster the seed does not know, are left to the API.
    expect(
      (await bind("User:u-demo01", "DeveloperRead", `${CLUSTER}/kafka=lkc-demo01/topic=a..b`)).status,
    ).toBe(201);
    expect(
      (await bind("User:u-demo01", "CloudClusterAdmin", `${DEMO}/cloud-cluster=lkc-unseeded`)).status,
    ).toBe(201);
  });
});
