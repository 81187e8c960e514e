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

const integration = (displayName: string, env = "env-demo01") =>
  emu.call("POST", "/pim/v1/integrations", {
    display_name: displayName,
    provider: "aws",
    config: {
      kind: "AwsIntegrationConfig",
      customer_iam_role_arn: "arn:aws:iam::000000000000:role/my-test-aws-role",
    },
    environment: { id: env },
  });

describe("pim/v1 provider integrations", () => {
  test("full scenario: create 201 filling iam_role_arn and external_id, get, list over 3 pages, no PATCH (405), delete 204, 404 after", async () => {
    const request = recorded("pim-v1/integrations/requests/create__aws_integration.json") as Record<
      string,
      unknown
    >;
    const created = await emu.call("POST", "/pim/v1/integrations", {
      ...request,
      environment: { id: "env-demo01" },
    });
    expect(created.status).toBe(201);
    const id = str(created.body, "id");
    expect(missingPaths(recorded("pim-v1/integrations/create__aws_integration.json"), created.body)).toEqual(
      [],
    );
    expect(created.body).toMatchObject({
      api_version: "pim/v1",
      kind: "Integration",
      provider: "AWS",
      usages: [],
      environment: { id: "env-demo01" },
      config: {
        kind: "AwsIntegrationConfig",
        customer_iam_role_arn: "arn:aws:iam::000000000000:role/my-test-aws-role",
      },
    });
    expect(str(created.body, "config.iam_role_arn")).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(str(created.body, "config.external_id")).toMatch(/^[0-9a-f-]{36}$/);

    const got = await emu.call("GET", `/pim/v1/integrations/${id}?environment=env-demo01`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
    expect(missingPaths(recorded("pim-v1/integrations/get__aws_integration.json"), got.body)).toEqual([]);

    for (let i = 0; i < 4; i++) await integration(`i${i}`);
    await integration("elsewhere", "env-prod01");
    const pages = await allPages(emu, "/pim/v1/integrations?environment=env-demo01&page_size=2");
    expect(pages).toHaveLength(3);
    expect(idsOf(pages)).toHaveLength(5);
    expect(missingPaths(recorded("pim-v1/integrations/list__aws_integrations.json"), pages[0])).toEqual([]);

    expect((await emu.call("PATCH", `/pim/v1/integrations/${id}`, { display_name: "x" })).status).toBe(405);
    expect((await emu.call("DELETE", `/pim/v1/integrations/${id}?environment=env-demo01`)).status).toBe(204);
    const gone = await emu.call("GET", `/pim/v1/integrations/${id}?environment=env-demo01`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error_code: 404, message: `Provider Integration ${id} not found` });
  });

  test("GET, LIST and DELETE without ?environment= answer 400", async () => {
    const id = str((await integration("x")).body, "id");
    for (const [method, path] of [
      ["GET", `/pim/v1/integrations/${id}`],
      ["GET", "/pim/v1/integrations"],
      ["DELETE", `/pim/v1/integrations/${id}`],
    ] as const) {
      const r = await emu.call(method, path);
      expect(r.status).toBe(400);
      expect(theError(r)).toMatchObject({
        detail: "environment is required",
        source: { parameter: "environment" },
      });
    }
  });

  test("an integration read through another environment is not found", async () => {
    const id = str((await integration("x")).body, "id");
    expect((await emu.call("GET", `/pim/v1/integrations/${id}?environment=env-prod01`)).status).toBe(404);
  });

  test("the body is validated: config kind, role ARN, a known environment", async () => {
    const post = (body: Record<string, unknown>) =>
      emu.call("POST", "/pim/v1/integrations", {
        config: { kind: "AwsIntegrationConfig", customer_iam_role_arn: "arn:aws:iam::000000000000:role/r" },
        environment: { id: "env-demo01" },
        ...body,
      });
    expect(theError(await post({ config: { kind: "GcpIntegrationConfig" } }))).toMatchObject({
      source: { pointer: "/config/kind" },
    });
    expect(
      theError(await post({ config: { kind: "AwsIntegrationConfig", customer_iam_role_arn: "nope" } })),
    ).toMatchObject({
      source: { pointer: "/config/customer_iam_role_arn" },
    });
    expect(theError(await post({ environment: { id: "env-nope" } }))).toMatchObject({
      detail: "Environment env-nope does not exist",
      source: { pointer: "/environment/id" },
    });
    expect(theError(await post({ provider: "GCP" }))).toMatchObject({ source: { pointer: "/provider" } });
    expect(theError(await post({ display_name: "x".repeat(61) }))).toMatchObject({
      source: { pointer: "/display_name" },
    });
  });
});

describe("byok/v1 keys", () => {
  const aws = (n: number) => ({
    key: { kind: "AwsKey", key_arn: `arn:aws:kms:us-west-2:111111111111:key/${n}` },
  });

  test("full scenario (AWS): create 201 filling roles, provider and state, get, list over 3 pages, PATCH display_name, delete 204, 404 after", async () => {
    const created = await emu.call(
      "POST",
      "/byok/v1/keys",
      recorded("byok-v1/keys/requests/create__aws_key.json"),
    );
    expect(created.status).toBe(201);
    const id = str(created.body, "id");
    expect(id).toMatch(/^cck-/);
    expect(missingPaths(recorded("byok-v1/keys/create_and_get__aws_key.json"), created.body)).toEqual([]);
    expect(
      missingPaths(recorded("byok-v1/keys/get__aws_key_with_validation.json"), created.body, [
        "metadata.deleted_at",
      ]),
    ).toEqual([]);
    expect(created.body).toMatchObject({ provider: "AWS", state: "AVAILABLE", key: { kind: "AwsKey" } });
    expect(str(created.body, "key.roles.0")).toMatch(/^arn:aws:iam::111111111111:role\//);
    expect((await emu.call("GET", `/byok/v1/keys/${id}`)).body).toEqual(created.body);

    for (let i = 0; i < 4; i++) await emu.call("POST", "/byok/v1/keys", aws(i));
    const pages = await allPages(emu, "/byok/v1/keys?page_size=2");
    expect(pages).toHaveLength(3);
    expect(idsOf(pages)).toHaveLength(5);

    const updated = await emu.call("PATCH", `/byok/v1/keys/${id}`, {
      display_name: "Key for billing cluster",
    });
    expect(updated.status).toBe(200);
    expect(pick(updated.body, "display_name")).toBe("Key for billing cluster");

    expect((await emu.call("DELETE", `/byok/v1/keys/${id}`)).status).toBe(204);
    const gone = await emu.call("GET", `/byok/v1/keys/${id}`);
    expect(gone.status).toBe(404);
    expect(theError(gone)).toMatchObject({ status: "404" });
  });

  test("Azure and GCP keys get application_id / security_group and their provider", async () => {
    const az = await emu.call(
      "POST",
      "/byok/v1/keys",
      recorded("byok-v1/keys/requests/create__azure_key.json"),
    );
    expect(az.status).toBe(201);
    expect(missingPaths(recorded("byok-v1/keys/create_and_get__azure_key.json"), az.body)).toEqual([]);
    expect(az.body).toMatchObject({ provider: "Azure", key: { kind: "AzureKey" } });
    expect(str(az.body, "key.application_id")).toMatch(/^[0-9a-f-]{36}$/);
    const gcp = await emu.call(
      "POST",
      "/byok/v1/keys",
      recorded("byok-v1/keys/requests/create__gcp_key.json"),
    );
    expect(gcp.status).toBe(201);
    expect(missingPaths(recorded("byok-v1/keys/create_and_get__gcp_key.json"), gcp.body)).toEqual([]);
    expect(gcp.body).toMatchObject({ provider: "GCP", key: { kind: "GcpKey" } });
    const byProvider = await emu.call("GET", "/byok/v1/keys?provider=GCP");
    expect(idsOf([byProvider.body])).toEqual([str(gcp.body, "id")]);
  });

  test("each key kind has its required fields; an unknown kind is refused", async () => {
    const post = (key: Record<string, unknown>) => emu.call("POST", "/byok/v1/keys", { key });
    expect(theError(await post({ kind: "AwsKey" }))).toMatchObject({
      detail: "key.key_arn is required",
      source: { pointer: "/key/key_arn" },
    });
    expect(
      theError(
        await post({
          kind: "AzureKey",
          key_id: "https://v.vault.azure.net/keys/k",
          tenant_id: "00000000-0000-0000-0000-000000000000",
        }),
      ),
    ).toMatchObject({
      source: { pointer: "/key/key_vault_id" },
    });
    expect(theError(await post({ kind: "GcpKey" }))).toMatchObject({ source: { pointer: "/key/key_id" } });
    expect(theError(await post({ kind: "OciKey" }))).toMatchObject({
      detail: "key.kind must be one of AwsKey, AzureKey, GcpKey",
    });
    expect(theError(await emu.call("POST", "/byok/v1/keys", {}))).toMatchObject({
      detail: "key is required",
    });
  });

  test("a PATCH of an x-immutable key field is refused with 422 naming the field", async () => {
    const id = str((await emu.call("POST", "/byok/v1/keys", aws(1))).body, "id");
    const r = await emu.call("PATCH", `/byok/v1/keys/${id}`, {
      key: { key_arn: "arn:aws:kms:us-west-2:111111111111:key/2" },
    });
    expect(r.status).toBe(422);
    expect(theError(r)).toMatchObject({
      detail: "key.key_arn is immutable and cannot be updated",
      source: { pointer: "/key/key_arn" },
    });
    expect(pick((await emu.call("GET", `/byok/v1/keys/${id}`)).body, "key.key_arn")).toBe(
      "arn:aws:kms:us-west-2:111111111111:key/1",
    );
  });

  test("registering the same customer key twice answers 409", async () => {
    const first = await emu.call("POST", "/byok/v1/keys", aws(7));
    const again = await emu.call("POST", "/byok/v1/keys", aws(7));
    expect(again.status).toBe(409);
    expect(again.headers.get("location")).toBe(`${emu.url}/byok/v1/keys/${str(first.body, "id")}`);
  });
});
