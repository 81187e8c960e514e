/** What every SDK class does the same way: the type token, output keys, secret outputs. */
import * as pulumi from "@pulumi/pulumi";
import { makeProvider } from "./provider";

/** The `module` part of every type token: `pulumi-nodejs:dynamic/confluent:<Class>`. */
export const TOKEN_MODULE = "confluent";

/** The type token of an SDK class. */
export function typeTokenOf(kind: string): string {
  return `pulumi-nodejs:dynamic/${TOKEN_MODULE}:${kind}`;
}

/** True when `obj` is a resource registered with this type token (works across copies of the package). */
export function hasType(obj: unknown, token: string): boolean {
  return (
    typeof obj === "object" && obj !== null && (obj as { __pulumiType?: unknown }).__pulumiType === token
  );
}

/**
 * The arguments of `dynamic.Resource`'s constructor for one object: its provider, the inputs with every
 * output key set to `undefined` (so the outputs exist on the resource), options with the secret outputs.
 */
export function registration(
  kind: string,
  args: object,
  outputKeys: readonly string[],
  opts: pulumi.CustomResourceOptions | undefined,
  secretOutputs: readonly string[] = [],
): [pulumi.dynamic.ResourceProvider, pulumi.Inputs, pulumi.CustomResourceOptions | undefined] {
  const props: pulumi.Inputs = {};
  for (const k of outputKeys) props[k] = undefined;
  Object.assign(props, args);
  const options =
    secretOutputs.length === 0
      ? opts
      : {
          ...opts,
          additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secretOutputs],
        };
  return [makeProvider(kind), props, options];
}
