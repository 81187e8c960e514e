/**
 * Identity providers and pools, provider integrations, BYOK keys and Azure Marketplace keys, with the
 * emulator failing on purpose (see support/faults-run.ts).
 */
import { defineFaultsRun } from "./support/faults-run";
import { extendedTable } from "./table";

defineFaultsRun(extendedTable, 11);

it("runs the objects beyond the first seven: identity providers and pools, integrations, BYOK and Azure keys", () => {
  expect(extendedTable.map((e) => e.kind)).toEqual([
    "IdentityProvider",
    "IdentityPool",
    "ProviderIntegration",
    "ByokKey",
    "AzureMarketplaceApiKey",
  ]);
});
