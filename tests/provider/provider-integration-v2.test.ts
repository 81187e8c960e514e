/**
 * The pim/v2 authorization through Pulumi's dynamic-provider host, beyond the table's scenario: a cloud side
 * that is not ready fails the create with the API's words and the fix (and changes nothing, so the
 * integration can still be authorized), the cloud blocks, and a delete that leaves the integration's
 * customer configuration in place (pim/v2 has no call that removes it).
 */
import { providerIntegrationAuthorization } from "../../testing/table";
import { providerTextOf, startHarness, urnOf, type Harness } from "../../testing/scenario";
import type { PropertyMap } from "../../protocol";

let h: Harness;
let text = "";
beforeAll(async () => {
  h = await startHarness();
  text = await providerTextOf(providerIntegrationAuthorization);
});
afterAll(async () => {
  await h?.close();
});

const urn = urnOf("ProviderIntegrationAuthorization", "authz");
const GOOD = "12345678-1234-4234-8234-123456789abc";
const UNREADY = "deadbeef-0000-4000-8000-000000000001";

interface Integration {
  id: string;
  status: string;
  config: Record<string, string>;
}

async function draft(cloud: "AZURE" | "GCP"): Promise<Integration> {
  return (await h.api.ok("POST", "/pim/v2/integrations", {
    display_name: `authz-${cloud}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
    provider: cloud,
    environment: { id: "env-demo01" },
  })) as Integration;
}

const read = async (id: string): Promise<Integration> =>
  (await h.api.ok("GET", `/pim/v2/integrations/${id}?environment=env-demo01`)) as Integration;

const inputs = (id: string, cloud: PropertyMap): PropertyMap => ({
  __provider: text,
  providerIntegrationId: id,
  environment: { id: "env-demo01" },
  ...cloud,
});

describe("ProviderIntegrationAuthorization", () => {
  it("an Azure tenant without Confluent's service principal fails the create with the API's words and the fix; nothing changes, so the right tenant then authorizes it", async () => {
    const pi = await draft("AZURE");
    const app = pi.config.confluent_multi_tenant_app_id ?? "";
    await h.api.clearLog();
    await expect(
      h.host.create(urn, inputs(pi.id, { azure: { customerAzureTenantId: UNREADY } })),
    ).rejects.toThrow(
      `Provider integration ${pi.id} failed validation, so it was not authorized (nothing was changed: it ` +
        `stays DRAFT): Provider integration validation failed: Azure tenant ${UNREADY} has no service ` +
        `principal for the Confluent multi-tenant app ${app}, or it has not been granted access. Fix the ` +
        `Azure side: in tenant ${UNREADY}, create the service principal of Confluent's multi-tenant app ${app} ` +
        `(az ad sp create --id ${app}, or an azuread.ServicePrincipal with clientId ${app}) and grant it ` +
        `access to the resources Confluent should use; then run pulumi up again.`,
    );
    // The validation, then one GET (on this failure path only) to name Confluent's app; no PATCH.
    expect(await h.api.calls()).toEqual([
      "POST /pim/v2/integrations:validate",
      `GET /pim/v2/integrations/${pi.id}`,
    ]);
    expect((await read(pi.id)).status).toBe("DRAFT");

    const made = await h.host.create(urn, inputs(pi.id, { azure: { customerAzureTenantId: GOOD } }));
    expect(made.id).toBe(pi.id);
    expect(made.outs.azure).toEqual({ customerAzureTenantId: GOOD, confluentMultiTenantAppId: app });
    expect(await read(pi.id)).toMatchObject({
      status: "CREATED",
      config: { customer_azure_tenant_id: GOOD },
    });
  });

  it("a Google service account Confluent may not impersonate fails the create naming the grant to add", async () => {
    const pi = await draft("GCP");
    const gsa = pi.config.google_service_account ?? "";
    const sa = "no-access-sa@my-project.iam.gserviceaccount.com";
    await expect(
      h.host.create(urn, inputs(pi.id, { gcp: { customerGoogleServiceAccount: sa } })),
    ).rejects.toThrow(
      `Provider integration ${pi.id} failed validation, so it was not authorized (nothing was changed: it ` +
        `stays DRAFT): Provider integration validation failed: Confluent's service account ${gsa} cannot ` +
        `impersonate ${sa}: it lacks roles/iam.serviceAccountTokenCreator on that service account. Fix the ` +
        `Google Cloud side: let Confluent's service account ${gsa} impersonate ${sa} (gcloud iam ` +
        `service-accounts add-iam-policy-binding ${sa} --member=serviceAccount:${gsa} ` +
        `--role=roles/iam.serviceAccountTokenCreator); then run pulumi up again.`,
    );
    const ok = "connectors@my-project.iam.gserviceaccount.com";
    const made = await h.host.create(urn, inputs(pi.id, { gcp: { customerGoogleServiceAccount: ok } }));
    expect(made.outs.gcp).toEqual({ customerGoogleServiceAccount: ok, googleServiceAccount: gsa });
  });

  it("the block of the other cloud is refused naming the one to set", async () => {
    const pi = await draft("GCP");
    await expect(
      h.host.create(urn, inputs(pi.id, { azure: { customerAzureTenantId: GOOD } })),
    ).rejects.toThrow(
      `Cannot authorize provider integration ${pi.id}: it is a GCP integration, but the program sets ` +
        `azure.customerAzureTenantId. Set gcp { customerGoogleServiceAccount } instead.`,
    );
  });

  it("an integration that does not exist is named with what to check", async () => {
    await expect(
      h.host.create(urn, inputs("cspi-nope0", { azure: { customerAzureTenantId: GOOD } })),
    ).rejects.toThrow(
      "Cannot authorize provider integration cspi-nope0: there is none in environment env-demo01 (the API " +
        "answered 404 to its validation). Check providerIntegrationId and environment: they are the " +
        "ProviderIntegrationSetup's id and environment.",
    );
  });

  it("check wants exactly one of azure and gcp", async () => {
    const none = await h.host.check(urn, {}, inputs("cspi-abc1", {}));
    expect(none.failures).toEqual([
      {
        property: "azure",
        reason: "exactly one of azure, gcp must be set (got none); set the block of the integration's cloud",
      },
    ]);
    const both = await h.host.check(
      urn,
      {},
      inputs("cspi-abc1", {
        azure: { customerAzureTenantId: GOOD },
        gcp: { customerGoogleServiceAccount: "connectors@my-project.iam.gserviceaccount.com" },
      }),
    );
    expect(both.failures).toEqual([
      {
        property: "gcp",
        reason: "exactly one of azure, gcp must be set (got azure, gcp); keep only the integration's cloud",
      },
    ]);
  });

  it("delete sends nothing and says so: the integration keeps its customer configuration and status until its setup deletes it", async () => {
    const pi = await draft("AZURE");
    const made = await h.host.create(urn, inputs(pi.id, { azure: { customerAzureTenantId: GOOD } }));
    await h.api.clearLog();
    await h.host.delete(made.id, urn, { ...made.outs, __provider: text });
    expect(await h.api.calls()).toEqual([]);
    expect(h.host.stderr()).toContain(
      `ProviderIntegrationAuthorization ${pi.id}: not deleted: pim/v2 has no call that removes a customer ` +
        "configuration; the integration keeps it (and its status) until the ProviderIntegrationSetup that made " +
        "it is deleted",
    );
    expect(await read(pi.id)).toMatchObject({
      status: "CREATED",
      config: { customer_azure_tenant_id: GOOD },
    });
  });
});
