import { basic, pick, startTestEmulator, str, type TestEmulator } from "./helpers";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const SUB = "00000000-0000-0000-0000-000000000000";
const ORG = `/subscriptions/${SUB}/resourceGroups/myResourceGroup/providers/Microsoft.Confluent/organizations/myOrganization`;
const V = "api-version=2024-07-01";
const bearer = () => `Bearer ${emu.azureToken}`;
const create = (env = "env-demo01", cluster = "lkc-demo01", query = V) =>
  emu.call(
    "POST",
    `${ORG}/environments/${env}/clusters/${cluster}/createAPIKey?${query}`,
    { name: "CI kafka access key", description: "This API key provides kafka access to cluster x" },
    { auth: bearer() },
  );

describe("Azure Marketplace API keys (Microsoft.Confluent)", () => {
  test("create answers 200 with the ARM shape and the secret; get answers it without; delete 200, then 404", async () => {
    const created = await create();
    expect(created.status).toBe(200);
    const id = str(created.body, "id");
    expect(created.body).toMatchObject({
      kind: "ApiKey",
      properties: {
        spec: {
          name: "CI kafka access key",
          description: "This API key provides kafka access to cluster x",
          owner: { id: "u-demo01", kind: "User" },
          // As the seed 003 sample: a Kafka key's resource names no environment.
          resource: { id: "lkc-demo01", kind: "Cluster" },
        },
      },
    });
    for (const f of ["createdTimestamp", "resourceName", "self", "updatedTimestamp"]) {
      expect(typeof pick(created.body, `properties.metadata.${f}`)).toBe("string");
    }
    expect(str(created.body, "properties.spec.secret")).toHaveLength(64);

    const got = await emu.call("GET", `${ORG}/apiKeys/${id}?${V}`, undefined, { auth: bearer() });
    expect(got.status).toBe(200);
    expect(pick(got.body, "properties.spec.secret")).toBe("");

    // The key is in the iam/v2 store too, and authenticates at its cluster (not on the Cloud API).
    expect((await emu.call("GET", `/iam/v2/api-keys/${id}`)).status).toBe(200);
    const own = basic(id, str(created.body, "properties.spec.secret"));
    expect((await emu.call("GET", "/kafka/v3/clusters/lkc-demo01", undefined, { auth: own })).status).toBe(
      200,
    );
    expect((await emu.call("GET", "/iam/v2/users", undefined, { auth: own })).status).toBe(401);

    expect(
      (await emu.call("DELETE", `${ORG}/apiKeys/${id}?${V}`, undefined, { auth: bearer() })).status,
    ).toBe(200);
    const gone = await emu.call("GET", `${ORG}/apiKeys/${id}?${V}`, undefined, { auth: bearer() });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error: { code: "NotFound", message: `API key ${id} not found` } });
    expect(
      (await emu.call("DELETE", `${ORG}/apiKeys/${id}?${V}`, undefined, { auth: bearer() })).status,
    ).toBe(204);
  });

  test("a Schema Registry key is created the same way", async () => {
    const r = await create("env-demo01", "lsrc-demo01");
    expect(r.status).toBe(200);
    expect(pick(r.body, "properties.spec.resource.kind")).toBe("SchemaRegistry");
  });

  test("errors use the ARM envelope: bad token 401, unknown cluster 404, wrong api-version 400", async () => {
    const noAuth = await emu.call(
      "POST",
      `${ORG}/environments/env-demo01/clusters/lkc-demo01/createAPIKey?${V}`,
      {},
      { auth: emu.auth },
    );
    expect(noAuth.status).toBe(401);
    expect(noAuth.body).toEqual({
      error: { code: "AuthenticationFailed", message: "Authentication failed: the bearer token is invalid" },
    });
    const cluster = await create("env-demo01", "lkc-prod01");
    expect(cluster.status).toBe(404);
    expect(cluster.body).toEqual({
      error: { code: "NotFound", message: "Cluster lkc-prod01 not found in environment env-demo01" },
    });
    const env = await create("env-nope");
    expect(pick(env.body, "error.code")).toBe("NotFound");
    const version = await create("env-demo01", "lkc-demo01", "api-version=2020-01-01");
    expect(version.status).toBe(400);
    expect(pick(version.body, "error.code")).toBe("InvalidApiVersionParameter");
    const missing = await create("env-demo01", "lkc-demo01", "");
    expect(pick(missing.body, "error.code")).toBe("MissingApiVersionParameter");
    const sub = await emu.call(
      "POST",
      `/subscriptions/not-a-uuid/resourceGroups/rg/providers/Microsoft.Confluent/organizations/o/environments/env-demo01/clusters/lkc-demo01/createAPIKey?${V}`,
      {},
      { auth: bearer() },
    );
    expect(pick(sub.body, "error.code")).toBe("InvalidSubscriptionId");
    const route = await emu.call("GET", `/subscriptions/${SUB}/nothing?${V}`, undefined, { auth: bearer() });
    expect(route.status).toBe(404);
    expect(pick(route.body, "error.code")).toBe("NotFound");
  });
});
