/**
 * Adoption: a create with an import ID (the `import` resource option, which reaches the provider as the
 * provider-only input `importId`) reads the existing object instead of POSTing a new one.
 */
import { changedFields, mergeOutputs, shown, withoutInputOnly } from "./compare";
import { fetchOne, patchFields } from "./calls";
import type { OperationContext, Spec } from "./spec";
import { isSecretWire, unwrapSecrets, withoutInternalKeys, type PropertyMap } from "../protocol";

/**
 * One GET instead of the POST. The object must already be what the program declares in its replace-fields
 * (adoption never replaces); differing update-fields are brought in line with one PATCH. No readiness wait:
 * an adopted object is in use already. Answers the adopted object's id and outputs.
 */
export async function adopt<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  context: OperationContext,
  wireInputs: PropertyMap,
  inputs: I,
  importId: string,
): Promise<{ id: string; outs: PropertyMap }> {
  const declared = withoutInternalKeys(wireInputs);
  const plainDeclared = unwrapSecrets(declared) as PropertyMap;
  const loc = spec.locate(importId, plainDeclared);
  // A 403 here may be a missing permission as well as a missing object: the message below says both, so
  // no LIST probe is spent on telling them apart.
  let { fresh } = await fetchOne(spec, context, loc, plainDeclared);
  if (fresh === undefined) {
    throw new Error(
      `Cannot import ${spec.noun} ${importId}: it does not exist (or these credentials cannot see it). ` +
        `Remove the import option to create a new one.`,
    );
  }
  const known = fresh;
  // A field the API does not answer cannot be judged (it is kept as the program declares it).
  const answered = (fields: readonly string[]) =>
    fields.filter((f) => {
      const w = spec.writeOnly?.[f];
      return f in known || (w !== undefined && w.output in known);
    });
  const patchable = spec.updateRequest ? spec.updateInPlace : [];
  const fixed = changedFields(known, declared, answered(spec.replaceOnChange), spec).concat(
    changedFields(known, declared, answered(spec.updateInPlace.filter((f) => !patchable.includes(f))), spec),
  );
  if (fixed.length > 0) {
    // A value the program marked secret is not written into the message, nor what the API holds for it.
    const hidden = (f: string, v: unknown): string =>
      isSecretWire(declared[f]) ? "[secret]" : shown(f, v, spec);
    const what = fixed
      .map((f) => `${f} is ${hidden(f, known[f])} but the program declares ${hidden(f, declared[f])}`)
      .join("; ");
    throw new Error(
      `Cannot import ${spec.noun} ${importId}: ${what}. Importing cannot change ` +
        `${fixed.length === 1 ? "this field" : "these fields"} (a change would replace the ${spec.noun}): ` +
        `change the program to match, or remove the import option to create a new ${spec.noun}.`,
    );
  }
  if (spec.verifyAdopted) await spec.verifyAdopted(context, loc.id, inputs);
  const toPatch = changedFields(known, declared, answered(patchable), spec);
  if (toPatch.length > 0 && spec.updateRequest) {
    context.log(
      `${spec.kind} ${loc.id}: adopting it; ${toPatch.join(", ")} differ${toPatch.length === 1 ? "s" : ""} ` +
        `from the program, so one ${spec.updateMethod ?? "PATCH"} makes the ${spec.noun} match it`,
    );
    // A field the program leaves out is set to its default, so that the object matches the program.
    fresh = { ...known, ...(await patchFields(spec, context, loc, toPatch, inputs)) };
  } else {
    context.log(`${spec.kind} ${loc.id}: adopted as it is (no API change)`);
  }
  return {
    id: loc.id,
    outs: withoutInputOnly(mergeOutputs(declared, fresh, spec.secretOutputs), spec.inputOnly),
  };
}
