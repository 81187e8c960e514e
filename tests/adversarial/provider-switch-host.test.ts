/**
 * Issue 30, defect 4, for every object kind and for ApiKeyRotation (which holds several keys), through
 * Pulumi's dynamic-provider host: an object made with organization A's credentials, then given organization
 * B's (another emulator), is not found there. The update fails naming the object, B sees one read (and, for a
 * 403, the list probe that tells "gone" from "forbidden") and no write, and A sees nothing.
 */
import { secretWire, type PropertyMap } from "../../protocol";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorApi } from "../../testing/emulator-api";
import { providerTextOf, startHarness, urnOf, type Harness } from "../../testing/scenario";
import { table } from "../../testing/table";

let h: Harness;
let b: RunningEmulator;
let bApi: EmulatorApi;
beforeAll(async () => {
  h = await startHarness({ rbac: false });
  b = await startEmulator({
    port: 0,
    apiKey: "ORGBSWITCHFAKE01",
    apiSecret: "org-b-switch-fake-not-real-01",
  });
  bApi = new EmulatorApi(b);
});
afterAll(async () => {
  await h?.close();
  await b?.close();
});

const credsOf = (emu: RunningEmulator): PropertyMap => ({
  cloudApiKey: secretWire(emu.apiKey),
  cloudApiSecret: secretWire(emu.apiSecret),
  endpoint: emu.url,
});

// Objects that cannot be created (User) and those reached through Azure Resource Manager (its token does not
// change with a Provider) are left out.
const switchable = table.filter((e) => e.existing === undefined && e.kind !== "AzureMarketplaceApiKey");

it.each(switchable.map((e) => [e.kind, e] as const))(
  "%s: new credentials of another organization fail the update, which writes nothing",
  async (kind, entry) => {
    const text = await providerTextOf(entry);
    const deps = entry.prepare ? await entry.prepare(h.api) : {};
    const inputs = entry.inputs(deps, "switch");
    const urn = urnOf(kind, "switch");
    const made = await h.host.create(urn, { ...inputs, ...credsOf(h.emu), __provider: text });
    await h.api.clearLog();
    await bApi.clearLog();
    const err = await h.host
      .update(made.id, urn, made.outs, { ...inputs, ...credsOf(b), __provider: text })
      .then(
        () => "updated",
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
    expect(err).toMatch(
      new RegExp(
        `^${kind} \\S+ was not found with the new credentials or endpoint \\(GET /\\S+ on ${b.url.replace(/[.]/g, "\\.")} (answered 40[34]|found no such key)\\): it belongs to the organization of the credentials it was created or adopted with`,
      ),
    );
    expect(err).toContain("Nothing was changed and the stack keeps the old credentials for it.");
    // B: one read answered "missing" (404, or 403 followed by the one list probe that proves it gone).
    const bCalls = (await bApi.log()).map((e) => `${e.method} ${e.status}`);
    expect([["GET 404"], ["GET 403", "GET 200"]]).toContainEqual(bCalls);
    expect(await h.api.calls()).toEqual([]);
  },
);
