/**
 * Azure Resource Manager may answer 403 for an Azure Marketplace API key that no longer exists (Microsoft's
 * own examples show it). As for iam/v2 keys, "gone" is believed only after the same token is shown able to
 * read what the key belongs to: one GET of the Confluent organization resource. A purpose-built ARM server
 * on loopback answers 403 for the key, and 200 or 403 for the organization.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { adapters, closeClients } from "pulumi-confluent-iam/provider";

const SUB = "00000000-0000-4000-8000-0000000000a1";
const ORG_PATH = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Confluent/organizations/org`;
const KEY_PATH = `${ORG_PATH}/apiKeys/GONEKEY0001`;
const QUERY = "?api-version=2024-07-01";

let server: http.Server;
let url = "";
/** The answer to GET of the organization. */
let orgStatus = 200;
const seen: string[] = [];

const FORBIDDEN = JSON.stringify({
  error: {
    code: "AuthorizationFailed",
    message: "The client does not have authorization to perform action.",
  },
});

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => {
      const path = (req.url ?? "").replace(/\?.*$/, "");
      if (path === ORG_PATH && req.method === "GET" && orgStatus === 200) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: ORG_PATH, name: "org", type: "Microsoft.Confluent/organizations" }));
        return;
      }
      res.writeHead(403, { "content-type": "application/json" });
      res.end(FORBIDDEN);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AZURE_ACCESS_TOKEN = "azure-gone-test-token-not-real";
  // The adapter builds its Cloud client for every call; the Azure key never uses it.
  process.env.CONFLUENT_CLOUD_ENDPOINT = url;
  process.env.CONFLUENT_CLOUD_API_KEY = "AZUREGONETESTKEY";
  process.env.CONFLUENT_CLOUD_API_SECRET = "azure-gone-test-secret-not-real";
});

beforeEach(() => {
  seen.length = 0;
  orgStatus = 200;
});

afterAll(async () => {
  await closeClients();
  await new Promise((r) => server.close(r));
  for (const v of [
    "AZURE_ACCESS_TOKEN",
    "CONFLUENT_CLOUD_ENDPOINT",
    "CONFLUENT_CLOUD_API_KEY",
    "CONFLUENT_CLOUD_API_SECRET",
  ]) {
    delete process.env[v];
  }
});

const props = () => ({
  subscriptionId: SUB,
  resourceGroupName: "rg",
  organizationName: "org",
  managedResource: { id: "lkc-demo01", environment: { id: "env-demo01" } },
  azureResourceManagerEndpoint: url,
});

it("a key answering 403, with a token that can read the organization, reads as gone (GET key, GET organization)", async () => {
  const res = await adapters.AzureMarketplaceApiKey!.read("GONEKEY0001", props());
  expect(res).toEqual({ id: "", props: {} });
  expect(seen).toEqual([`GET ${KEY_PATH}${QUERY}`, `GET ${ORG_PATH}${QUERY}`]);
});

it("a key whose DELETE answers 403, with a token that can read the organization, is deleted already (no error)", async () => {
  await expect(adapters.AzureMarketplaceApiKey!.delete("GONEKEY0001", props())).resolves.toBeUndefined();
  expect(seen).toEqual([`DELETE ${KEY_PATH}${QUERY}`, `GET ${ORG_PATH}${QUERY}`]);
});

it("a 403 from a token that cannot read the organization either is a permission error, on read and on delete", async () => {
  orgStatus = 403;
  const permission = (action: string): string =>
    `Cannot ${action} Azure Marketplace API key GONEKEY0001: Azure Resource Manager answered 403 Forbidden, and ` +
    `the token in use cannot read the organization org either (403), so this is a missing permission, not a ` +
    `deleted key. Use an Azure AD token of an identity with access to the Confluent organization resource.`;
  await expect(adapters.AzureMarketplaceApiKey!.read("GONEKEY0001", props())).rejects.toThrow(
    permission("read"),
  );
  await expect(adapters.AzureMarketplaceApiKey!.delete("GONEKEY0001", props())).rejects.toThrow(
    `Could not delete Azure Marketplace API key GONEKEY0001; it still exists: ${permission("delete")}`,
  );
  expect(seen).toEqual([
    `GET ${KEY_PATH}${QUERY}`,
    `GET ${ORG_PATH}${QUERY}`,
    `DELETE ${KEY_PATH}${QUERY}`,
    `GET ${ORG_PATH}${QUERY}`,
  ]);
});
