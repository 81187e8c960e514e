import * as path from "path";
import {
  describeExampleLifecycle,
  exampleFolder,
  idOf,
  plan,
  repoRoot,
  startExample,
  type ExampleRun,
} from "./harness";

describe("examples/azure-integration", () => {
  describeExampleLifecycle({
    folder: "azure-integration",
    project: "confluent-iam-azure-integration",
    creates: ["create azure", "create azure-authorization"],
    // A new name is a new integration (display_name is immutable): the authorization follows it (validate,
    // PATCH), the old authorization's delete sends nothing, and the old integration is deleted.
    variant: {
      config: ["displayName=azure-integration-v2"],
      plan: ["replace azure", "replace azure-authorization"],
      writes: (before) => [
        "POST /pim/v2/integrations",
        "POST /pim/v2/integrations:validate",
        expect.stringMatching(/^PATCH \/pim\/v2\/integrations\/cspi-\w+$/) as unknown as string,
        `DELETE /pim/v2/integrations/${idOf(before, "azure")}`,
      ],
    },
  });
});

describe("examples/azure-integration with a tenant that is not ready yet", () => {
  let ex: ExampleRun;
  const UNREADY = "deadbeef-0000-4000-8000-000000000001";
  beforeAll(async () => {
    ex = await startExample(
      path.join(repoRoot, "examples", "azure-integration"),
      "confluent-iam-azure-integration",
    );
  });
  afterAll(async () => {
    await ex.close();
  });

  it("up makes the setup, then fails the authorization naming the command that fixes the tenant; nothing is authorized", async () => {
    const r = await ex.run("up", [`azureTenantId=${UNREADY}`]);
    expect(r.exitCode).toBe(1);
    const id = idOf(ex.state(), "azure");
    const integration = (await ex.api("GET", `/pim/v2/integrations/${id}?environment=env-demo01`)).body as {
      status: string;
      config: { confluent_multi_tenant_app_id: string };
    };
    const app = integration.config.confluent_multi_tenant_app_id;
    expect(r.errors.join("\n")).toContain(
      `Provider integration ${id} failed validation, so it was not authorized (nothing was changed: it stays ` +
        `DRAFT): Provider integration validation failed: Azure tenant ${UNREADY} has no service principal for ` +
        `the Confluent multi-tenant app ${app}, or it has not been granted access. Fix the Azure side: in ` +
        `tenant ${UNREADY}, create the service principal of Confluent's multi-tenant app ${app} (az ad sp ` +
        `create --id ${app}, or an azuread.ServicePrincipal with clientId ${app})`,
    );
    expect(integration.status).toBe("DRAFT");
    expect(ex.state().resources.map((x) => x.name)).toEqual(["azure"]);
  });

  it("with the tenant ready, the next up authorizes it: one validation, one PATCH, and the integration is CREATED", async () => {
    await ex.clearRequests();
    const r = await ex.run("up", []);
    expect(r.errors).toEqual([]);
    expect(plan(r)).toEqual(["create azure-authorization"]);
    const id = idOf(ex.state(), "azure");
    expect(await ex.writes()).toEqual([
      "POST /pim/v2/integrations:validate",
      `PATCH /pim/v2/integrations/${id}`,
    ]);
    const integration = (await ex.api("GET", `/pim/v2/integrations/${id}?environment=env-demo01`)).body as {
      status: string;
      config: { confluent_multi_tenant_app_id: string };
    };
    expect(integration.status).toBe("CREATED");
    expect(r.outputs.azureSetupCommand).toBe(
      `az ad sp create --id ${integration.config.confluent_multi_tenant_app_id}`,
    );
  });
});

it("examples/azure-integration is a folder a user can run: Pulumi.yaml naming the project and index.ts, and a README", () => {
  expect(exampleFolder("azure-integration")).toEqual({
    project: "confluent-iam-azure-integration",
    main: "index.ts",
    readme: true,
  });
});
