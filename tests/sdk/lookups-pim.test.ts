/**
 * getProviderIntegration (pim/v1), getProviderIntegrationSetup and getProviderIntegrationAuthorization
 * (pim/v2), called as a program would, against the emulator. Each reads through its resource's spec: the
 * routes with `?environment=`, the fields of the outputs, and 404 as missing. The calls are counted.
 */
import {
  getProviderIntegration,
  getProviderIntegrationAuthorization,
  getProviderIntegrationAuthorizationOutput,
  getProviderIntegrationSetup,
} from "pulumi-confluent-iam";
import { closeClients } from "pulumi-confluent-iam/provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorApi } from "../../testing/emulator-api";
import { callLine, clearLookupEnv, useEndpoint, useLookupTuning } from "./support/lookup-env";

let emu: RunningEmulator;
let api: EmulatorApi;
const TENANT = "12345678-1234-4234-8234-123456789abc";
const ROLE = "arn:aws:iam::123456789012:role/s3-sink";

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  api = new EmulatorApi(emu);
  useEndpoint(emu.url, emu.apiKey, emu.apiSecret);
  useLookupTuning(300);
});
afterAll(async () => {
  clearLookupEnv();
  await closeClients();
  await emu.close();
});

const calls = async (): Promise<string[]> => (await api.log()).map(callLine);

describe("pim lookups", () => {
  it("getProviderIntegration (pim/v1) by id is one GET, by name one list of the environment; the AWS side is a one-element list", async () => {
    const made = (await api.ok("POST", "/pim/v1/integrations", {
      display_name: "s3-sink",
      provider: "AWS",
      config: { kind: "AwsIntegrationConfig", customer_iam_role_arn: ROLE },
      environment: { id: "env-demo01" },
    })) as { id: string; config: { iam_role_arn: string; external_id: string } };
    const expected = {
      id: made.id,
      displayName: "s3-sink",
      environment: { id: "env-demo01" },
      aws: [
        { customerRoleArn: ROLE, iamRoleArn: made.config.iam_role_arn, externalId: made.config.external_id },
      ],
      usages: [],
    };
    await api.clearLog();
    expect(await getProviderIntegration({ id: made.id, environment: { id: "env-demo01" } })).toEqual(
      expected,
    );
    expect(
      await getProviderIntegration({ displayName: "s3-sink", environment: { id: "env-demo01" } }),
    ).toEqual(expected);
    expect(await calls()).toEqual([
      `GET /pim/v1/integrations/${made.id}?environment=env-demo01`,
      "GET /pim/v1/integrations?environment=env-demo01&page_size=100",
    ]);
    await expect(
      getProviderIntegration({ displayName: "nope", environment: { id: "env-demo01" } }),
    ).rejects.toThrow(
      'getProviderIntegration: no provider integration has displayName "nope" under environment env-demo01 ' +
        "(the API listed 1 provider integration). Check the displayName, or look the provider integration up by id.",
    );
    await expect(getProviderIntegration({ environment: { id: "env-demo01" } })).rejects.toThrow(
      "getProviderIntegration needs exactly one of id or displayName (got none)",
    );
  });

  it("getProviderIntegrationSetup and getProviderIntegrationAuthorization give Confluent's side from the setup on, and the customer's once authorized", async () => {
    const pi = (await api.ok("POST", "/pim/v2/integrations", {
      display_name: "azure-lookup",
      provider: "AZURE",
      environment: { id: "env-demo01" },
    })) as { id: string; config: { confluent_multi_tenant_app_id: string } };
    const app = pi.config.confluent_multi_tenant_app_id;
    const env = { id: "env-demo01" };
    expect(await getProviderIntegrationSetup({ displayName: "azure-lookup", environment: env })).toEqual({
      id: pi.id,
      displayName: "azure-lookup",
      environment: env,
      cloud: "AZURE",
      status: "DRAFT",
      usages: [],
    });
    // Before the authorization: the app id a program gives its azuread.ServicePrincipal.
    expect(await getProviderIntegrationAuthorization({ id: pi.id, environment: env })).toEqual({
      id: pi.id,
      providerIntegrationId: pi.id,
      environment: env,
      azures: [{ customerAzureTenantId: "", confluentMultiTenantAppId: app }],
      gcps: [],
    });
    await api.ok("PATCH", `/pim/v2/integrations/${pi.id}`, {
      config: { kind: "AzureIntegrationConfig", customer_azure_tenant_id: TENANT },
      environment: env,
    });
    await api.clearLog();
    const after = await new Promise((resolve) =>
      getProviderIntegrationAuthorizationOutput({ id: pi.id, environment: env }).apply(resolve),
    );
    expect(after).toMatchObject({
      azures: [{ customerAzureTenantId: TENANT, confluentMultiTenantAppId: app }],
    });
    expect((await getProviderIntegrationSetup({ id: pi.id, environment: env })).status).toBe("CREATED");
    expect(await calls()).toEqual([
      `GET /pim/v2/integrations/${pi.id}?environment=env-demo01`,
      `GET /pim/v2/integrations/${pi.id}?environment=env-demo01`,
    ]);
  });

  it("a missing integration, or no environment, says so", async () => {
    await expect(
      getProviderIntegrationAuthorization({ id: "cspi-nope0", environment: { id: "env-demo01" } }),
    ).rejects.toThrow("no provider integration with id cspi-nope0: the API answered 404");
    await expect(getProviderIntegrationSetup({ id: "cspi-1", environment: { id: "" } })).rejects.toThrow(
      "getProviderIntegrationSetup needs environment.id: the id (env-…) of the environment the provider " +
        "integration belongs to",
    );
  });
});
