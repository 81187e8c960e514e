/**
 * Issue 32 item 6: every input comes back in the outputs, where the API does not echo it too (as
 * @pulumi/confluentcloud keeps it). Each kind of the fixture table is created against the emulator through
 * Pulumi's dynamic-provider host, and so is a Kafka key, whose answer has no `managedResource.environment`
 * (the emulator answers as the real API does; tests/provider/recorded-lifecycle.test.ts checks the same
 * against the recorded real answers). An input-only value (a credential) is never an output, by design.
 */
import { unwrapSecrets, type PropertyMap } from "../../protocol";
import { specs } from "../../provider/specs";
import { captureRegistration } from "../../testing/capture";
import { inputsNotInOutputs } from "./support/inputs-in-outputs";
import { plain, startHarness, urnOf, type Harness } from "../../testing/scenario";
import { apiKey, table } from "../../testing/table";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const creatable = table.filter((e) => e.existing === undefined);

/** The inputs less the spec's input-only ones (never written to the outputs). */
function comparedInputs(kind: string, inputs: PropertyMap): PropertyMap {
  const spec = specs.find((s) => s.kind === kind);
  const out: PropertyMap = { ...inputs };
  for (const k of spec?.inputOnly ?? []) delete out[k];
  return unwrapSecrets(out) as PropertyMap;
}

it.each(creatable.map((e) => [e.kind, e] as const))(
  "%s: create keeps every input in the outputs",
  async (kind, entry) => {
    const text = (await captureRegistration(entry.register)).providerText;
    const deps = entry.prepare ? await entry.prepare(h.api) : {};
    const inputs = entry.inputs(deps, "echo");
    const made = await h.host.create(urnOf(kind, "echo"), { ...inputs, __provider: text });
    expect(inputsNotInOutputs(comparedInputs(kind, inputs), unwrapSecrets(plain(made.outs)))).toEqual([]);
  },
);

it("a Kafka key: the answer has no environment, the outputs keep the program's, and refresh keeps it too", async () => {
  const text = (await captureRegistration(apiKey.register)).providerText;
  const owner = (
    (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "kafka-echo" })) as {
      id: string;
    }
  ).id;
  const inputs: PropertyMap = {
    displayName: "kafka-echo",
    owner: { id: owner, apiVersion: "iam/v2", kind: "ServiceAccount" },
    managedResource: {
      id: "lkc-demo01",
      apiVersion: "cmk/v2",
      kind: "Cluster",
      environment: { id: "env-demo01" },
    },
    disableWaitForReady: true,
  };
  const urn = urnOf("ApiKey", "kafka-echo");
  const made = await h.host.create(urn, { ...inputs, __provider: text });
  // The API's own answer leaves the environment out.
  const answered = (await h.api.ok("GET", `/iam/v2/api-keys/${made.id}`)) as { spec: { resource: object } };
  expect(answered.spec.resource).not.toHaveProperty("environment");
  expect(inputsNotInOutputs(inputs, unwrapSecrets(plain(made.outs)))).toEqual([]);
  const read = await h.host.read(made.id, urn, made.outs);
  expect(inputsNotInOutputs(inputs, unwrapSecrets(plain(read.props)))).toEqual([]);
  expect((plain(read.inputs ?? {}).managedResource as { environment?: unknown }).environment).toEqual({
    id: "env-demo01",
  });
  expect((await h.host.diff(made.id, urn, read.props, { ...inputs, __provider: text })).changes).toBe(false);
});
