/**
 * pim/v2 provider integrations, as provider-integration_v2.yaml describes them: a DRAFT integration, its
 * validation (which changes nothing), the PATCH that maps the customer side (DRAFT only; the integration
 * becomes CREATED), and the documented values that make validation fail.
 */
import { pick, startTestEmulator, str, theError, type TestEmulator } from "./helpers";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const TENANT = "12345678-1234-4234-8234-123456789abc";
const SA = "connectors@my-project.iam.gserviceaccount.com";

const draft = async (name: string, provider = "AZURE"): Promise<string> => {
  const res = await emu.call("POST", "/pim/v2/integrations", {
    display_name: name,
    provider,
    environment: { id: "env-demo01" },
  });
  expect(res.status).toBe(201);
  return str(res.body, "id");
};

const azureConfig = (tenant: string) => ({
  kind: "AzureIntegrationConfig",
  customer_azure_tenant_id: tenant,
});

describe("pim/v2 provider integrations", () => {
  test("POST makes a DRAFT integration with Confluent's side filled in, and a Location naming its environment", async () => {
    const res = await emu.call("POST", "/pim/v2/integrations", {
      display_name: "azure-1",
      provider: "azure",
      environment: { id: "env-demo01" },
    });
    expect(res.status).toBe(201);
    const id = str(res.body, "id");
    expect(id).toMatch(/^cspi-/);
    expect(res.headers.get("location")).toBe(`${emu.url}/pim/v2/integrations/${id}?environment=env-demo01`);
    expect(res.body).toMatchObject({
      api_version: "pim/v2",
      kind: "Integration",
      display_name: "azure-1",
      provider: "AZURE",
      status: "DRAFT",
      usages: [],
      environment: { id: "env-demo01" },
      config: { kind: "AzureIntegrationConfig" },
    });
    expect(str(res.body, "config.confluent_multi_tenant_app_id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(pick(res.body, "config.customer_azure_tenant_id")).toBeUndefined();
    const gcp = await emu.call(
      "GET",
      `/pim/v2/integrations/${await draft("gcp-1", "GCP")}?environment=env-demo01`,
    );
    expect(str(gcp.body, "config.google_service_account")).toMatch(
      /@cflt-emulator\.iam\.gserviceaccount\.com$/,
    );
  });

  test("POST refuses another cloud (422) and an unknown environment (422)", async () => {
    const aws = await emu.call("POST", "/pim/v2/integrations", {
      display_name: "x",
      provider: "AWS",
      environment: { id: "env-demo01" },
    });
    expect(aws.status).toBe(422);
    expect(theError(aws)).toMatchObject({ detail: 'provider must be AZURE or GCP (got "AWS")' });
    const env = await emu.call("POST", "/pim/v2/integrations", {
      display_name: "x",
      provider: "GCP",
      environment: { id: "env-nope" },
    });
    expect(env.status).toBe(422);
    expect(theError(env)).toMatchObject({ source: { pointer: "/environment/id" } });
  });

  test("GET, LIST and DELETE need ?environment= (400); another environment or a missing id is 404", async () => {
    const id = await draft("a");
    expect((await emu.call("GET", `/pim/v2/integrations/${id}`)).status).toBe(400);
    expect((await emu.call("GET", "/pim/v2/integrations")).status).toBe(400);
    expect((await emu.call("DELETE", `/pim/v2/integrations/${id}`)).status).toBe(400);
    const other = await emu.call("GET", `/pim/v2/integrations/${id}?environment=env-prod01`);
    expect(other.status).toBe(404);
    expect(theError(other)).toMatchObject({ status: "404", detail: `Provider Integration ${id} not found` });
    const list = await emu.call("GET", "/pim/v2/integrations?environment=env-demo01&provider=gcp");
    expect(pick(list.body, "data")).toEqual([]);
    expect((await emu.call("DELETE", `/pim/v2/integrations/${id}?environment=env-demo01`)).status).toBe(204);
    expect((await emu.call("GET", `/pim/v2/integrations/${id}?environment=env-demo01`)).status).toBe(404);
  });

  test("validate: 204 for a ready cloud side, and it changes nothing; a DRAFT integration needs the config (400)", async () => {
    const id = await draft("v");
    const none = await emu.call("POST", "/pim/v2/integrations:validate", {
      id,
      environment: { id: "env-demo01" },
    });
    expect(none.status).toBe(400);
    expect(theError(none)).toMatchObject({
      detail: `config is required to validate integration ${id}: it is DRAFT and has no customer configuration yet`,
      source: { pointer: "/config" },
    });
    const ok = await emu.call("POST", "/pim/v2/integrations:validate", {
      id,
      environment: { id: "env-demo01" },
      config: azureConfig(TENANT),
    });
    expect(ok.status).toBe(204);
    const after = await emu.call("GET", `/pim/v2/integrations/${id}?environment=env-demo01`);
    expect(pick(after.body, "status")).toBe("DRAFT");
    const missing = await emu.call("POST", "/pim/v2/integrations:validate", {
      id: "cspi-nope0",
      environment: { id: "env-demo01" },
      config: azureConfig(TENANT),
    });
    expect(missing.status).toBe(404);
  });

  test("validate fails (400 validation_failed) for the documented unready tenants and service accounts, naming what is missing", async () => {
    const az = await draft("az");
    const app = str(
      (await emu.call("GET", `/pim/v2/integrations/${az}?environment=env-demo01`)).body,
      "config.confluent_multi_tenant_app_id",
    );
    const bad = await emu.call("POST", "/pim/v2/integrations:validate", {
      id: az,
      environment: { id: "env-demo01" },
      config: azureConfig("deadbeef-0000-4000-8000-000000000001"),
    });
    expect(bad.status).toBe(400);
    expect(theError(bad)).toMatchObject({
      code: "validation_failed",
      detail:
        "Provider integration validation failed: Azure tenant deadbeef-0000-4000-8000-000000000001 has no " +
        `service principal for the Confluent multi-tenant app ${app}, or it has not been granted access`,
    });
    const gcp = await draft("g", "GCP");
    const gsa = str(
      (await emu.call("GET", `/pim/v2/integrations/${gcp}?environment=env-demo01`)).body,
      "config.google_service_account",
    );
    const denied = await emu.call("POST", "/pim/v2/integrations:validate", {
      id: gcp,
      environment: { id: "env-demo01" },
      config: {
        kind: "GcpIntegrationConfig",
        customer_google_service_account: "no-access@p.iam.gserviceaccount.com",
      },
    });
    expect(denied.status).toBe(400);
    expect(theError(denied)).toMatchObject({
      detail:
        `Provider integration validation failed: Confluent's service account ${gsa} cannot impersonate ` +
        "no-access@p.iam.gserviceaccount.com: it lacks roles/iam.serviceAccountTokenCreator on that service account",
    });
    const wrongKind = await emu.call("POST", "/pim/v2/integrations:validate", {
      id: gcp,
      environment: { id: "env-demo01" },
      config: azureConfig(TENANT),
    });
    expect(wrongKind.status).toBe(400);
    expect(theError(wrongKind)).toMatchObject({ source: { pointer: "/config/kind" } });
  });

  test("PATCH maps the customer side and makes the integration CREATED; a second PATCH is 409 (DRAFT only)", async () => {
    const id = await draft("p", "GCP");
    const noEnv = await emu.call("PATCH", `/pim/v2/integrations/${id}`, {
      config: { kind: "GcpIntegrationConfig", customer_google_service_account: SA },
    });
    expect(noEnv.status).toBe(422);
    const badSa = await emu.call("PATCH", `/pim/v2/integrations/${id}`, {
      config: { kind: "GcpIntegrationConfig", customer_google_service_account: "me@example.com" },
      environment: { id: "env-demo01" },
    });
    expect(badSa.status).toBe(422);
    expect(theError(badSa)).toMatchObject({ source: { pointer: "/config/customer_google_service_account" } });
    const patched = await emu.call("PATCH", `/pim/v2/integrations/${id}`, {
      config: { kind: "GcpIntegrationConfig", customer_google_service_account: SA },
      environment: { id: "env-demo01" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      status: "CREATED",
      config: { kind: "GcpIntegrationConfig", customer_google_service_account: SA },
    });
    // Once CREATED the stored config is validated (no config needed), and no PATCH is taken.
    const validated = await emu.call("POST", "/pim/v2/integrations:validate", {
      id,
      environment: { id: "env-demo01" },
    });
    expect(validated.status).toBe(204);
    const again = await emu.call("PATCH", `/pim/v2/integrations/${id}`, {
      config: { kind: "GcpIntegrationConfig", customer_google_service_account: SA },
      environment: { id: "env-demo01" },
    });
    expect(again.status).toBe(409);
    expect(theError(again)).toMatchObject({
      detail: `Provider integration ${id} is CREATED: only integrations in DRAFT status can be updated`,
    });
  });
});
