/**
 * AzureMarketplaceApiKey's credential: an Azure AD token given as a secret input is used by create and never
 * stored; without AZURE_ACCESS_TOKEN in the environment, refresh and destroy say where to put one. No token
 * and no key secret ever reaches a message or the host's output.
 */
import { captureRegistration } from "../../testing/capture";
import { plain, startHarness, urnOf, type Harness } from "../../testing/scenario";
import { azureMarketplaceApiKey } from "../../testing/table";
import { isSecretWire, secretWire } from "../../protocol";
import * as sdk from "pulumi-confluent-iam";

let h: Harness;
let text = "";
const urn = urnOf("AzureMarketplaceApiKey", "az");
const WRONG_TOKEN = "wrong-azure-token-not-a-real-one";

beforeAll(async () => {
  // A host with neither the token nor the endpoint in its environment.
  h = await startHarness({}, () => ({
    AZURE_ACCESS_TOKEN: undefined,
    AZURE_RESOURCE_MANAGER_ENDPOINT: undefined,
  }));
  text = (await captureRegistration(azureMarketplaceApiKey.register)).providerText;
});
afterAll(async () => {
  await h?.close();
});

const inputs = (extra: Record<string, unknown>) => ({
  __provider: text,
  ...azureMarketplaceApiKey.inputs({}, "tok"),
  azureResourceManagerEndpoint: h.emu.url,
  ...extra,
});

it("the SDK class makes azureAccessToken a secret input", async () => {
  let res: unknown;
  const reg = await captureRegistration(
    () =>
      (res = new sdk.AzureMarketplaceApiKey("az", {
        subscriptionId: "00000000-0000-4000-8000-0000000000a1",
        resourceGroupName: "rg",
        organizationName: "org",
        managedResource: { id: "lkc-demo01", environment: { id: "env-demo01" } },
        azureAccessToken: "plain-token-from-a-program",
      })),
  );
  expect(sdk.AzureMarketplaceApiKey.isInstance(res)).toBe(true);
  expect(reg.type).toBe("pulumi-nodejs:dynamic/confluent:AzureMarketplaceApiKey");
  expect(isSecretWire(reg.inputs.azureAccessToken)).toBe(true);
});

describe("with the token only as an input", () => {
  let id = "";
  let outs: Record<string, unknown> = {};

  it("create uses the input token and the input endpoint; the outputs never hold the token", async () => {
    await h.api.clearLog();
    const made = await h.host.create(urn, inputs({ azureAccessToken: secretWire(h.emu.azureToken) }));
    id = made.id;
    outs = made.outs;
    expect(Object.keys(plain(outs)).sort()).toEqual(
      [
        "azureResourceManagerEndpoint",
        "description",
        "displayName",
        "managedResource",
        "organizationName",
        "owner",
        "resourceGroupName",
        "resourceKind",
        "secret",
        "subscriptionId",
      ].sort(),
    );
    expect(JSON.stringify(outs)).not.toContain(h.emu.azureToken);
    expect(await h.api.calls()).toEqual([
      "POST /subscriptions/00000000-0000-4000-8000-0000000000a1/resourceGroups/confluent-rg/providers/" +
        "Microsoft.Confluent/organizations/confluent-org/environments/env-demo01/clusters/lkc-demo01/createAPIKey",
    ]);
    expect((await h.api.log())[0]!.query).toEqual({ "api-version": "2024-07-01" });
  });

  it("refresh without AZURE_ACCESS_TOKEN fails and says where to put a token (it is never stored)", async () => {
    await expect(h.host.read(id, urn, outs)).rejects.toThrow(
      `Cannot read Azure Marketplace API key ${id}: no Azure AD token. The token is never stored in the stack ` +
        `(it expires within hours), so set the environment variable AZURE_ACCESS_TOKEN (e.g. az account ` +
        `get-access-token --resource https://management.azure.com --query accessToken -o tsv).`,
    );
  });

  it("destroy without AZURE_ACCESS_TOKEN fails without pretending the key is gone", async () => {
    await h.api.clearLog();
    await expect(h.host.delete(id, urn, outs)).rejects.toThrow(
      `Could not delete Azure Marketplace API key ${id}; it still exists: Cannot delete Azure Marketplace API key ${id}: no Azure AD token.`,
    );
    expect(await h.api.calls()).toEqual([]);
    expect(((await h.api.dump()).api_keys ?? []).map((k) => k.id)).toContain(id);
  });

  it("neither the token nor the key's secret appears in anything the host printed", () => {
    const secret = String(plain(outs).secret);
    expect(secret.length).toBeGreaterThan(20);
    expect(h.host.stderr()).not.toContain(secret);
    expect(h.host.stderr()).not.toContain(h.emu.azureToken);
  });
});

it("a token Azure refuses: 401, and the message does not show the token", async () => {
  const err = await h.host.create(urn, inputs({ azureAccessToken: secretWire(WRONG_TOKEN) })).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(err?.message).toContain(
    "POST /subscriptions/00000000-0000-4000-8000-0000000000a1/resourceGroups/confluent-rg/providers/" +
      "Microsoft.Confluent/organizations/confluent-org/environments/env-demo01/clusters/lkc-demo01/createAPIKey" +
      " failed with 401",
  );
  expect(err?.message).not.toContain(WRONG_TOKEN);
  expect(h.host.stderr()).not.toContain(WRONG_TOKEN);
});

it("no token at all: create says both ways to give one", async () => {
  await expect(h.host.create(urn, inputs({}))).rejects.toThrow(
    "Cannot create Azure Marketplace API key: no Azure AD token. Set the azureAccessToken input (as a secret) " +
      "or the environment variable AZURE_ACCESS_TOKEN",
  );
});

it("an ARM resource id imports the key; a bare key id cannot (the organization is not known)", async () => {
  await expect(h.host.read("EMU0000000000001", urn, { __provider: text })).rejects.toThrow(
    "Cannot find Azure Marketplace API key EMU0000000000001: its organization is not known. Import an Azure " +
      "Marketplace API key by its Azure resource id: /subscriptions/<subscription id>/resourceGroups/<resource group>" +
      "/providers/Microsoft.Confluent/organizations/<organization>/apiKeys/<key id>.",
  );
});
