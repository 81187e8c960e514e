/**
 * A `filter` longer than 300 characters (IdentityPool, GroupMapping, CertificatePool). The specs' 300 is a
 * per-organization server limit that Confluent raises on request (ADDENDA.md), so preview checks only that
 * the filter is not empty and the server judges its length: against an organization whose limit was raised
 * (an emulator with `filterMaxLength: 1000`) a 400-character filter is created and updated; against one at
 * the default 300 (a second emulator, reached through the resource's own Provider inputs), the API's 400
 * reaches the user with its message, and nothing is made.
 */
import { secretWire, type PropertyMap } from "../../protocol";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { captureRegistration } from "../../testing/capture";
import { EmulatorApi } from "../../testing/emulator-api";
import { plain, startHarness, urnOf, type Harness, type ScenarioEntry } from "../../testing/scenario";
import { certificatePool, groupMapping, identityPool } from "../../testing/table";

/** A balanced CEL filter of exactly `n` characters. */
const filterOf = (n: number): string => `claims.sub == "${"x".repeat(n - 16)}"`;

let h: Harness;
/** An organization whose filter limit is the default 300. */
let strict: RunningEmulator;
let strictApi: EmulatorApi;
beforeAll(async () => {
  h = await startHarness({ filterMaxLength: 1000 });
  strict = await startEmulator({ port: 0 });
  strictApi = new EmulatorApi(strict);
});
afterAll(async () => {
  await h?.close();
  await strict?.close();
});

const kinds: [string, ScenarioEntry, string, "PATCH" | "PUT"][] = [
  ["IdentityPool", identityPool, "/iam/v2/identity-providers/{parent}/identity-pools", "PATCH"],
  ["GroupMapping", groupMapping, "/iam/v2/sso/group-mappings", "PATCH"],
  ["CertificatePool", certificatePool, "/iam/v2/certificate-authorities/{parent}/identity-pools", "PUT"],
];

/** The collection a create POSTs to, from the inputs' parent reference. */
function collectionOf(template: string, inputs: PropertyMap): string {
  const parent = (inputs.identityProvider ?? inputs.certificateAuthority) as { id?: string } | undefined;
  return template.replace("{parent}", parent?.id ?? "");
}

describe.each(kinds)("%s", (kind, entry, template, update) => {
  let text = "";
  beforeAll(async () => {
    text = (await captureRegistration(entry.register)).providerText;
  });

  it("preview takes a 400-character filter: only an empty one is refused there", async () => {
    const deps = entry.prepare ? await entry.prepare(h.api) : {};
    const urn = urnOf(kind, "check-long");
    const long = await h.host.check(
      urn,
      {},
      { ...entry.inputs(deps, "chk"), filter: filterOf(400), __provider: text },
    );
    expect(long.failures).toEqual([]);
    const empty = await h.host.check(urn, {}, { ...entry.inputs(deps, "chk"), filter: "", __provider: text });
    expect(empty.failures).toEqual([
      { property: "filter", reason: "must not be empty; set a non-empty value" },
    ]);
  });

  it("an organization with a raised limit: a 400-character filter reaches the API, is created, and updated to 999", async () => {
    const deps = entry.prepare ? await entry.prepare(h.api) : {};
    const inputs = { ...entry.inputs(deps, "long"), filter: filterOf(400) };
    const urn = urnOf(kind, "long");
    await h.api.clearLog();
    const made = await h.host.create(urn, { ...inputs, __provider: text });
    expect(await h.api.calls()).toEqual([`POST ${collectionOf(template, inputs)}`]);
    expect(plain(made.outs).filter).toBe(filterOf(400));
    const news = { ...inputs, filter: filterOf(999), __provider: text };
    await h.api.clearLog();
    const updated = await h.host.update(made.id, urn, made.outs, news);
    expect(await h.api.calls()).toEqual([`${update} ${collectionOf(template, inputs)}/${made.id}`]);
    expect(plain(updated.outs).filter).toBe(filterOf(999));
    expect((await h.host.diff(made.id, urn, updated.outs, news)).changes).toBe(false);
  });

  it("an organization at the default 300: the API's 400 reaches the user with its message; nothing is made", async () => {
    const deps = entry.prepare ? await entry.prepare(strictApi) : {};
    const inputs = { ...entry.inputs(deps, "strict"), filter: filterOf(400) };
    await strictApi.clearLog();
    const err = await h.host
      .create(urnOf(kind, "strict"), {
        ...inputs,
        cloudApiKey: secretWire(strict.apiKey),
        cloudApiSecret: secretWire(strict.apiSecret),
        endpoint: strict.url,
        __provider: text,
      })
      .then(
        () => "created",
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
    const path = collectionOf(template, inputs);
    // The whole message the user sees (the request id differs per request).
    expect(err.replace(/\(request id [0-9a-f-]{36}\)$/, "(request id …)")).toBe(
      `POST ${path} failed with 400 Bad Request: filter must be at most 300 characters (got 400); this limit ` +
        `is set per organization (request id …)`,
    );
    expect(await strictApi.calls()).toEqual([`POST ${path}`]);
    const list = (await strictApi.ok("GET", path)) as { data: unknown[] };
    expect(list.data).toEqual([]);
  });
});
