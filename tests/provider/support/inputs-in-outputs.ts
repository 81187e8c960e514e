/**
 * Every input value (at every depth) that the outputs do not hold as given: `path: input → output`. Issue 32
 * item 6: an input the API does not echo (a Kafka key's `managedResource.environment`) must stay in the
 * outputs, as @pulumi/confluentcloud keeps it.
 */
export function inputsNotInOutputs(inputs: unknown, outs: unknown, prefix = ""): string[] {
  if (inputs !== null && typeof inputs === "object" && !Array.isArray(inputs)) {
    const o = outs !== null && typeof outs === "object" ? (outs as Record<string, unknown>) : {};
    return Object.entries(inputs as Record<string, unknown>).flatMap(([k, v]) =>
      inputsNotInOutputs(v, o[k], prefix === "" ? k : `${prefix}.${k}`),
    );
  }
  return JSON.stringify(inputs) === JSON.stringify(outs)
    ? []
    : [`${prefix}: ${JSON.stringify(inputs)} → ${JSON.stringify(outs)}`];
}
