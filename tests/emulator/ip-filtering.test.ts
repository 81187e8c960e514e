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

const ORG = "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001";
const group = (group_name = "CorpNet", cidr_blocks = ["192.168.0.0/24"]) =>
  emu.call("POST", "/iam/v2/ip-groups", { group_name, cidr_blocks });

describe("ip groups", () => {
  test("full scenario: create 201, get, list over 3 pages, PATCH replaces cidr_blocks, delete 204, 404 after", async () => {
    const created = await emu.call(
      "POST",
      "/iam/v2/ip-groups",
      recorded("iam-v2/ip-groups/requests/create__ip_group.json"),
    );
    expect(created.status).toBe(201);
    const id = str(created.body, "id");
    expect(id).toMatch(/^ipg-/);
    expect(missingPaths(recorded("iam-v2/ip-groups/create_and_get__ip_group.json"), created.body)).toEqual(
      [],
    );
    expect((await emu.call("GET", `/iam/v2/ip-groups/${id}`)).body).toEqual(created.body);
    for (let i = 0; i < 4; i++) await group(`g${i}`);
    const pages = await allPages(emu, "/iam/v2/ip-groups?page_size=2");
    expect(pages).toHaveLength(3);
    expect(idsOf(pages)).toHaveLength(5);

    const updated = await emu.call(
      "PATCH",
      `/iam/v2/ip-groups/${id}`,
      recorded("iam-v2/ip-groups/requests/update__ip_group.json"),
    );
    expect(updated.status).toBe(200);
    expect(
      missingPaths(recorded("iam-v2/ip-groups/update_and_get__updated_ip_group.json"), updated.body),
    ).toEqual([]);
    expect(updated.body).toMatchObject({
      group_name: "UpdatedCorpNet",
      cidr_blocks: ["10.0.1.0/24", "172.16.5.0/24"],
    });

    expect((await emu.call("DELETE", `/iam/v2/ip-groups/${id}`)).status).toBe(204);
    const gone = await emu.call("GET", `/iam/v2/ip-groups/${id}`);
    expect(gone.status).toBe(404);
    expect(
      missingPaths(recorded("iam-v2/ip-groups/error_get_after_delete__ip_group.json"), gone.body),
    ).toEqual([]);
    expect(theError(gone)).toMatchObject({ status: "404", detail: "IP group not found: not found" });
  });

  test("cidr_blocks needs at least one valid CIDR; group_name at most 64 characters", async () => {
    const empty = await group("g", []);
    expect(empty.status).toBe(422);
    expect(theError(empty)).toMatchObject({
      detail: "cidr_blocks must contain at least 1 CIDR block",
      source: { pointer: "/cidr_blocks" },
    });
    const bad = await group("g", ["10.0.0.0/24", "10.0.0.300/8"]);
    expect(theError(bad)).toMatchObject({ source: { pointer: "/cidr_blocks/1" } });
    expect((await group("g", ["2001:db8::/32"])).status).toBe(201);
    expect((await group("x".repeat(65))).status).toBe(422);
  });

  test("the spec's limits: at most 25 CIDR blocks (maxItems), group_name only letters, digits, spaces and [ ] | & + - _ / . , (seed 000)", async () => {
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => `10.0.${i}.0/24`);
    expect((await group("g", blocks(25))).status).toBe(201);
    const many = await group("g", blocks(26));
    expect(many.status).toBe(422);
    expect(theError(many)).toMatchObject({
      status: "422",
      detail: "cidr_blocks must contain at most 25 CIDR blocks",
      source: { pointer: "/cidr_blocks" },
    });
    expect((await group("Corp Net [eu] | a&b + c-d_e/f.g,h Zürich 1")).status).toBe(201);
    for (const name of ["semi;colon", "at@sign", "tab\tname"]) {
      const r = await group(name);
      expect(r.status).toBe(422);
      expect(theError(r)).toMatchObject({
        detail: "group_name may contain only letters, digits, spaces and the characters [ ] | & + - _ / . ,",
        source: { pointer: "/group_name" },
      });
    }
    const g = str((await group()).body, "id");
    const patched = await emu.call("PATCH", `/iam/v2/ip-groups/${g}`, { cidr_blocks: blocks(26) });
    expect(patched.status).toBe(422);
  });

  test("a group an IP filter uses cannot be deleted (409)", async () => {
    const g = str((await group()).body, "id");
    const f = await emu.call("POST", "/iam/v2/ip-filters", {
      filter_name: "f",
      resource_group: "management",
      ip_groups: [{ id: g }],
    });
    const r = await emu.call("DELETE", `/iam/v2/ip-groups/${g}`);
    expect(r.status).toBe(409);
    expect(r.headers.get("location")).toBe(`${emu.url}/iam/v2/ip-filters/${str(f.body, "id")}`);
  });
});

describe("ip filters", () => {
  test("full scenario: create 201, get, list over 3 pages, update, delete 204, 404 after", async () => {
    const g1 = str((await group("one")).body, "id");
    const g2 = str((await group("two")).body, "id");
    const created = await emu.call("POST", "/iam/v2/ip-filters", {
      filter_name: "New Filter",
      resource_group: "multiple",
      resource_scope: ORG,
      operation_groups: ["MANAGEMENT", "FLINK"],
      ip_groups: [{ id: g1 }],
    });
    expect(created.status).toBe(201);
    const id = str(created.body, "id");
    expect(id).toMatch(/^ipf-/);
    expect(missingPaths(recorded("iam-v2/ip-filters/create_and_get__ip_filter.json"), created.body)).toEqual(
      [],
    );
    expect(pick(created.body, "ip_groups")).toEqual([
      { id: g1, related: `${emu.url}/iam/v2/ip-groups/${g1}`, resource_name: `${ORG}/ip-group=${g1}` },
    ]);
    expect((await emu.call("GET", `/iam/v2/ip-filters/${id}`)).body).toEqual(created.body);

    for (let i = 0; i < 4; i++) {
      await emu.call("POST", "/iam/v2/ip-filters", {
        filter_name: `f${i}`,
        resource_group: "management",
        ip_groups: [{ id: g2 }],
      });
    }
    const pages = await allPages(emu, "/iam/v2/ip-filters?page_size=2");
    expect(pages).toHaveLength(3);
    expect(idsOf(pages)).toHaveLength(5);

    const updated = await emu.call("PATCH", `/iam/v2/ip-filters/${id}`, {
      filter_name: "Updated Filter",
      operation_groups: ["MANAGEMENT"],
      ip_groups: [{ id: g2 }],
    });
    expect(updated.status).toBe(200);
    expect(
      missingPaths(recorded("iam-v2/ip-filters/update_and_get__updated_ip_filter.json"), updated.body),
    ).toEqual([]);
    expect(updated.body).toMatchObject({
      filter_name: "Updated Filter",
      operation_groups: ["MANAGEMENT"],
      ip_groups: [{ id: g2 }],
    });

    expect((await emu.call("DELETE", `/iam/v2/ip-filters/${id}`)).status).toBe(204);
    const gone = await emu.call("GET", `/iam/v2/ip-filters/${id}`);
    expect(gone.status).toBe(404);
    expect(theError(gone)).toMatchObject({ detail: "IP filter not found: not found" });
  });

  test("referenced IP groups must exist", async () => {
    const r = await emu.call("POST", "/iam/v2/ip-filters", {
      filter_name: "f",
      resource_group: "management",
      ip_groups: [{ id: "ipg-nope" }],
    });
    expect(r.status).toBe(422);
    expect(theError(r)).toMatchObject({
      detail: "IP group ipg-nope does not exist",
      source: { pointer: "/ip_groups/0/id" },
    });
    const none = await emu.call("POST", "/iam/v2/ip-filters", {
      filter_name: "f",
      resource_group: "management",
      ip_groups: [],
    });
    expect(theError(none)).toMatchObject({ source: { pointer: "/ip_groups" } });
  });

  test("resource_scope can be PATCHed in place (2025 spec)", async () => {
    const g = str((await group("scope")).body, "id");
    const created = await emu.call("POST", "/iam/v2/ip-filters", {
      filter_name: "scoped",
      resource_group: "management",
      resource_scope: ORG,
      ip_groups: [{ id: g }],
    });
    const id = str(created.body, "id");
    const env = `${ORG}/environment=env-demo01`;
    const patched = await emu.call("PATCH", `/iam/v2/ip-filters/${id}`, { resource_scope: env });
    expect(patched.status).toBe(200);
    expect(pick(patched.body, "resource_scope")).toBe(env);
    expect(str(patched.body, "id")).toBe(id);
    expect(pick((await emu.call("GET", `/iam/v2/ip-filters/${id}`)).body, "resource_scope")).toBe(env);
    const bad = await emu.call("PATCH", `/iam/v2/ip-filters/${id}`, { resource_scope: "env-demo01" });
    expect(bad.status).toBe(422);
    expect(theError(bad)).toMatchObject({ source: { pointer: "/resource_scope" } });
  });

  test("resource_group is management or multiple; operation_groups need multiple; resource_scope is a CRN", async () => {
    const g = str((await group()).body, "id");
    const post = (body: Record<string, unknown>) =>
      emu.call("POST", "/iam/v2/ip-filters", { filter_name: "f", ip_groups: [{ id: g }], ...body });
    const rg = await post({ resource_group: "everything" });
    expect(theError(rg)).toMatchObject({
      detail: 'resource_group must be "management" or "multiple"',
      source: { pointer: "/resource_group" },
    });
    const ops = await post({ resource_group: "management", operation_groups: ["FLINK"] });
    expect(theError(ops)).toMatchObject({ source: { pointer: "/operation_groups" } });
    const scope = await post({ resource_group: "management", resource_scope: "env-demo01" });
    expect(theError(scope)).toMatchObject({ source: { pointer: "/resource_scope" } });
    const defaulted = await post({ resource_group: "management" });
    expect(defaulted.status).toBe(201);
    expect(pick(defaulted.body, "resource_scope")).toBe(ORG);
  });

  test("LIST filters by resource_scope, with include_parent_scopes adding organization-wide filters", async () => {
    const g = str((await group()).body, "id");
    const env = `${ORG}/environment=env-demo01`;
    const orgWide = await emu.call("POST", "/iam/v2/ip-filters", {
      filter_name: "org",
      resource_group: "management",
      ip_groups: [{ id: g }],
    });
    const envOnly = await emu.call("POST", "/iam/v2/ip-filters", {
      filter_name: "env",
      resource_group: "management",
      resource_scope: env,
      ip_groups: [{ id: g }],
    });
    const scoped = await emu.call("GET", `/iam/v2/ip-filters?resource_scope=${encodeURIComponent(env)}`);
    expect(idsOf([scoped.body])).toEqual([str(envOnly.body, "id")]);
    const withParents = await emu.call(
      "GET",
      `/iam/v2/ip-filters?resource_scope=${encodeURIComponent(env)}&include_parent_scopes=true`,
    );
    expect(idsOf([withParents.body]).sort()).toEqual(
      [str(orgWide.body, "id"), str(envOnly.body, "id")].sort(),
    );
  });
});
