import {
  allPages,
  arr,
  basic,
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
let sa: string;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());
beforeEach(async () => {
  await emu.reset();
  sa = str((await emu.call("POST", "/iam/v2/service-accounts", { display_name: "owner" })).body, "id");
});

const createKey = (spec: Record<string, unknown>) => emu.call("POST", "/iam/v2/api-keys", { spec });

describe("api keys", () => {
  test("full scenario: create answers 202 with the secret once; get, list over 3 pages, update, delete, 403 after", async () => {
    const created = await createKey({
      display_name: "CI Kafka API Key",
      description: "kafka access",
      owner: { id: sa, kind: "ServiceAccount" },
      resource: { id: "lkc-demo01", kind: "Cluster" },
    });
    expect(created.status).toBe(202);
    const id = str(created.body, "id");
    expect(id).toMatch(/^[A-Z0-9]{16}$/);
    expect(created.headers.get("location")).toBe(`${emu.url}/iam/v2/api-keys/${id}`);
    expect(str(created.body, "spec.secret")).toHaveLength(64);
    expect(missingPaths(recorded("iam-v2/api-keys/create__kafka_api_key.json"), created.body)).toEqual([]);
    expect(created.body).toMatchObject({
      api_version: "iam/v2",
      kind: "ApiKey",
      metadata: {
        resource_name: `crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001/service-account=${sa}/api-key=${id}`,
      },
      spec: {
        display_name: "CI Kafka API Key",
        owner: { id: sa, kind: "ServiceAccount", api_version: "iam/v2" },
        resource: { id: "lkc-demo01", kind: "Cluster", api_version: "cmk/v2" },
      },
    });
    // As recorded: a Kafka key's resource names no environment.
    expect(pick(created.body, "spec.resource")).not.toHaveProperty("environment");

    const got = await emu.call("GET", `/iam/v2/api-keys/${id}`);
    expect(got.status).toBe(200);
    expect(pick(got.body, "spec.secret")).toBe("");
    expect(missingPaths(recorded("iam-v2/api-keys/get__created_kafka_api_key.json"), got.body)).toEqual([]);

    for (let i = 0; i < 4; i++) expect((await createKey({ owner: { id: sa } })).status).toBe(202);
    const pages = await allPages(emu, "/iam/v2/api-keys?page_size=2");
    expect(pages).toHaveLength(3);
    expect(idsOf(pages)).toHaveLength(5);
    for (const p of pages) for (const k of arr(p, "data")) expect(pick(k, "spec.secret")).toBe("");

    const updated = await emu.call(
      "PATCH",
      `/iam/v2/api-keys/${id}`,
      recorded("iam-v2/api-keys/requests/update__api_key.json"),
    );
    expect(updated.status).toBe(200);
    expect(
      missingPaths(recorded("iam-v2/api-keys/update_and_get__updated_kafka_api_key.json"), updated.body),
    ).toEqual([]);
    expect(updated.body).toMatchObject({
      spec: { display_name: "CI Kafka API Key updated", secret: "", resource: { id: "lkc-demo01" } },
    });

    expect((await emu.call("DELETE", `/iam/v2/api-keys/${id}`)).status).toBe(204);
    const gone = await emu.call("GET", `/iam/v2/api-keys/${id}`);
    expect(gone.status).toBe(403);
    expect(
      missingPaths(recorded("iam-v2/api-keys/error_get_after_delete__kafka_api_key.json"), gone.body),
    ).toEqual([]);
    expect(theError(gone)).toMatchObject({
      status: "403",
      code: "forbidden_access",
      detail: "Forbidden Access",
    });
    expect((await emu.call("PATCH", `/iam/v2/api-keys/${id}`, { spec: { description: "x" } })).status).toBe(
      403,
    );
    expect((await emu.call("DELETE", `/iam/v2/api-keys/${id}`)).status).toBe(403);
  });

  test("no spec.resource makes a Cloud API key, answered with the synthetic cloud resource", async () => {
    const request = recorded("iam-v2/api-keys/requests/create__cloud_api_key.json");
    const created = await createKey({
      ...(pick(request, "spec") as object),
      owner: { id: sa, kind: "ServiceAccount" },
    });
    expect(created.status).toBe(202);
    expect(missingPaths(recorded("iam-v2/api-keys/create__cloud_api_key.json"), created.body)).toEqual([]);
    expect(pick(created.body, "spec.resource")).toEqual({
      api_version: "iam/v2",
      id: "cloud",
      kind: "Cloud",
      related: "cloud",
      resource_name: "cloud",
    });
    const got = await emu.call("GET", `/iam/v2/api-keys/${str(created.body, "id")}`);
    expect(missingPaths(recorded("iam-v2/api-keys/get__created_cloud_api_key.json"), got.body)).toEqual([]);
  });

  test("a Schema Registry key answers the SchemaRegistry resource", async () => {
    const r = await createKey({ owner: { id: sa }, resource: { id: "lsrc-demo01" } });
    expect(r.status).toBe(202);
    expect(pick(r.body, "spec.resource")).toMatchObject({
      id: "lsrc-demo01",
      kind: "SchemaRegistry",
      environment: "env-demo01",
    });
  });

  test("a user can own a key", async () => {
    const r = await createKey({ owner: { id: "u-demo02", kind: "User" } });
    expect(r.status).toBe(202);
    expect(pick(r.body, "spec.owner")).toMatchObject({ id: "u-demo02", kind: "User" });
  });

  test("the owner must exist", async () => {
    const r = await createKey({ owner: { id: "sa-missing" } });
    expect(r.status).toBe(422);
    expect(theError(r)).toMatchObject({
      detail: "Owner sa-missing does not exist",
      source: { pointer: "/spec/owner/id" },
    });
    const none = await emu.call("POST", "/iam/v2/api-keys", { spec: {} });
    expect(none.status).toBe(422);
    expect(theError(none)).toMatchObject({
      detail: "spec.owner is required",
      source: { pointer: "/spec/owner" },
    });
  });

  test("the resource must be a seeded cluster or Schema Registry, in the environment given", async () => {
    const r = await createKey({ owner: { id: sa }, resource: { id: "lkc-nope" } });
    expect(r.status).toBe(422);
    expect(theError(r)).toMatchObject({
      detail: "Resource lkc-nope does not exist",
      source: { pointer: "/spec/resource/id" },
    });
    const wrongEnv = await createKey({
      owner: { id: sa },
      resource: { id: "lkc-demo01", environment: "env-prod01" },
    });
    expect(wrongEnv.status).toBe(422);
    expect(theError(wrongEnv)).toMatchObject({ source: { pointer: "/spec/resource/environment" } });
  });

  test("LIST filters by spec.owner and spec.resource", async () => {
    const kafka = await createKey({ owner: { id: sa }, resource: { id: "lkc-demo01" } });
    const cloud = await createKey({ owner: { id: "u-demo01" } });
    const byOwner = await emu.call("GET", `/iam/v2/api-keys?spec.owner=${sa}`);
    expect(idsOf([byOwner.body])).toEqual([str(kafka.body, "id")]);
    const byResource = await emu.call("GET", "/iam/v2/api-keys?spec.resource=lkc-demo01");
    expect(idsOf([byResource.body])).toEqual([str(kafka.body, "id")]);
    const cloudKeys = await emu.call("GET", "/iam/v2/api-keys?spec.resource=cloud");
    expect(idsOf([cloudKeys.body])).toEqual([str(cloud.body, "id")]);
  });

  test("PATCH changes display_name and description only; owner and resource stay", async () => {
    const k = await createKey({ owner: { id: sa }, display_name: "a" });
    const r = await emu.call("PATCH", `/iam/v2/api-keys/${str(k.body, "id")}`, {
      spec: { description: "new", owner: { id: "u-demo01" } },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ spec: { display_name: "a", description: "new", owner: { id: sa } } });
  });

  test("deleting a user removes the user's API keys", async () => {
    const k = await createKey({ owner: { id: "u-demo02" } });
    expect((await emu.call("DELETE", "/iam/v2/users/u-demo02")).status).toBe(204);
    expect((await emu.call("GET", `/iam/v2/api-keys/${str(k.body, "id")}`)).status).toBe(403);
  });
});

describe("Flink, Tableflow and Global keys", () => {
  const ORG = "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001";

  test("a Flink key (fcpm/v2 Region): 202 with the region and its environment, as recorded; GET, PATCH, DELETE, then 403", async () => {
    const request = pick(recorded("iam-v2/api-keys/requests/create__flink_api_key.json"), "spec") as {
      resource: Record<string, unknown>;
    };
    const created = await createKey({
      ...request,
      owner: { id: sa, kind: "ServiceAccount" },
      resource: { ...request.resource, environment: "env-demo01" },
    });
    expect(created.status).toBe(202);
    expect(missingPaths(recorded("iam-v2/api-keys/create__flink_api_key.json"), created.body)).toEqual([]);
    expect(pick(created.body, "spec.resource")).toEqual({
      api_version: "fcpm/v2",
      id: "aws.us-east-1",
      environment: "env-demo01",
      kind: "Region",
      related: `${emu.url}/fcpm/v2/regions?cloud=aws`,
      resource_name: `${ORG}/environment=env-demo01/flink-region=aws.us-east-1`,
    });
    const id = str(created.body, "id");
    const got = await emu.call("GET", `/iam/v2/api-keys/${id}`);
    expect(got.status).toBe(200);
    expect(pick(got.body, "spec.secret")).toBe("");
    expect(missingPaths(recorded("iam-v2/api-keys/get__created_flink_api_key.json"), got.body)).toEqual([]);
    const updated = await emu.call("PATCH", `/iam/v2/api-keys/${id}`, {
      spec: { display_name: "CI Flink API Key updated" },
    });
    expect(updated.status).toBe(200);
    expect(
      missingPaths(recorded("iam-v2/api-keys/update_and_get__updated_flink_api_key.json"), updated.body),
    ).toEqual([]);
    const listed = await emu.call("GET", "/iam/v2/api-keys?spec.resource=aws.us-east-1");
    expect(idsOf([listed.body])).toEqual([id]);
    expect((await emu.call("DELETE", `/iam/v2/api-keys/${id}`)).status).toBe(204);
    const gone = await emu.call("GET", `/iam/v2/api-keys/${id}`);
    expect(gone.status).toBe(403);
    expect(theError(gone)).toMatchObject({ code: "forbidden_access", detail: "Forbidden Access" });
  });

  test.each([
    ["tableflow", "tableflow/v1", "Tableflow"],
    ["global", "global/v1", "Global"],
  ])("a %s key: 202 with the synthetic %s resource, as recorded", async (id, apiVersion, kind) => {
    const created = await createKey({
      display_name: `CI ${kind} API Key`,
      owner: { id: sa, kind: "ServiceAccount" },
      resource: { id, kind, api_version: apiVersion },
    });
    expect(created.status).toBe(202);
    expect(missingPaths(recorded(`iam-v2/api-keys/create__${id}_api_key.json`), created.body)).toEqual([]);
    expect(pick(created.body, "spec.resource")).toEqual({
      api_version: apiVersion,
      id,
      kind,
      related: id,
      resource_name: id,
    });
    const got = await emu.call("GET", `/iam/v2/api-keys/${str(created.body, "id")}`);
    expect(missingPaths(recorded(`iam-v2/api-keys/get__created_${id}_api_key.json`), got.body)).toEqual([]);
    expect(pick(got.body, "spec.resource")).toEqual(pick(created.body, "spec.resource"));
  });

  test.each([
    [
      { id: "tableflow" },
      "/spec/resource/api_version",
      "Resource tableflow needs api_version tableflow/v1 (got none)",
    ],
    [
      { id: "global", api_version: "iam/v2" },
      "/spec/resource/api_version",
      "Resource global needs api_version global/v1 (got iam/v2)",
    ],
    [
      { id: "aws.us-east-1", kind: "Region", environment: "env-demo01" },
      "/spec/resource/api_version",
      "Resource aws.us-east-1 needs api_version fcpm/v2 (got none)",
    ],
    [
      { id: "aws.us-east-1", kind: "Region", api_version: "fcpm/v2" },
      "/spec/resource/environment",
      "A Flink key for aws.us-east-1 needs spec.resource.environment",
    ],
    [
      { id: "gcp.us-central1", kind: "Region", api_version: "fcpm/v2", environment: "env-nope" },
      "/spec/resource/environment",
      "Environment env-nope does not exist",
    ],
  ])("422 for the resource %j", async (resource, pointer, detail) => {
    const r = await createKey({ owner: { id: sa }, resource });
    expect(r.status).toBe(422);
    expect(theError(r)).toMatchObject({ detail, source: { pointer } });
  });

  test("a Global key authenticates on the Cloud API as its owner, and on a cluster's data plane; a Flink key on neither", async () => {
    const global = await createKey({
      owner: { id: sa },
      resource: { id: "global", api_version: "global/v1" },
    });
    const flink = await createKey({
      owner: { id: sa },
      resource: { id: "aws.us-east-1", api_version: "fcpm/v2", environment: "env-demo01" },
    });
    const as = (k: typeof global) => basic(str(k.body, "id"), str(k.body, "spec.secret"));
    // The owner holds no role: authenticated (403, not 401), and never the admin's rights.
    expect((await emu.call("GET", "/org/v2/environments", undefined, { auth: as(global) })).status).toBe(403);
    expect(
      (await emu.call("GET", "/kafka/v3/clusters/lkc-demo01", undefined, { auth: as(global) })).status,
    ).toBe(200);
    expect((await emu.call("GET", "/org/v2/environments", undefined, { auth: as(flink) })).status).toBe(401);
    expect(
      (await emu.call("GET", "/kafka/v3/clusters/lkc-demo01", undefined, { auth: as(flink) })).status,
    ).toBe(401);
  });
});
