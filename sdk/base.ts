/** What every SDK class does the same way: the type token, output keys, secret outputs. */
import * as pulumi from "@pulumi/pulumi";
import { IMPORT_ID } from "../protocol";
import { makeProvider } from "./provider";

export { IMPORT_ID, TOKEN_MODULE, typeTokenOf } from "../protocol";

/** True when `obj` is a resource registered with this type token (works across copies of the package). */
export function hasType(obj: unknown, token: string): boolean {
  return (
    typeof obj === "object" && obj !== null && (obj as { __pulumiType?: unknown }).__pulumiType === token
  );
}

/**
 * What a class registers, taken from its spec's field table (provider/fields.ts): the kind, every output
 * key, the secret outputs. Classes pass the spec itself, so none of these is typed twice.
 */
export interface Registered {
  kind: string;
  outputKeys: readonly string[];
  secretOutputs: readonly string[];
}

/**
 * The arguments of `dynamic.Resource`'s constructor for one object: its provider, the inputs with every
 * output key set to `undefined` (so the outputs exist on the resource), options with the secret outputs.
 *
 * The `import` option is taken out of the options and passed as the provider-only input `importId`: the
 * engine cannot import a dynamic-provider resource (its Read carries no serialized provider, and Pulumi's
 * dynamic-provider host fails with "code must be a string, not undefined"; pulumi/pulumi#16175), so the
 * provider's create adopts the object instead. Every class registers through here, so all of them can.
 */
export function registration(
  spec: Registered,
  args: object,
  opts: pulumi.CustomResourceOptions | undefined,
): [pulumi.dynamic.ResourceProvider, pulumi.Inputs, pulumi.CustomResourceOptions | undefined] {
  const { kind, outputKeys, secretOutputs } = spec;
  const props: pulumi.Inputs = {};
  for (const k of [...outputKeys, IMPORT_ID]) props[k] = undefined;
  Object.assign(props, args);
  let options = opts;
  if (opts?.import !== undefined) {
    const { import: importId, ...rest } = opts;
    props[IMPORT_ID] = importId;
    options = rest;
  }
  if (secretOutputs.length > 0) {
    options = {
      ...options,
      additionalSecretOutputs: [...(options?.additionalSecretOutputs ?? []), ...secretOutputs],
    };
  }
  return [makeProvider(kind), props, options];
}
