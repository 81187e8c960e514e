/** What every SDK class does the same way: the type token, output keys, secret outputs. */
import * as pulumi from "@pulumi/pulumi";
import { IMPORT_ID, SECRET_PROVIDER_INPUTS } from "../protocol";
import { makeProvider } from "./provider";
import { Provider, PROVIDER_OAUTH_ARGS, providerOf } from "./provider-resource";

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
 * Throws unless `args` can be a resource's args: an object whose properties are the inputs. A whole args
 * object that is an Output (`pulumi.secret({...})`, `pulumi.output(...)`, an `apply`), a Promise or an array
 * would be copied property by property into the inputs, and the provider would then report the Output's
 * own members (`isKnown: is not a property`) instead of saying what is wrong.
 */
export function checkArgsObject(kind: string, args: unknown): void {
  if (args === undefined || args === null) return;
  let given: string | undefined;
  if (pulumi.Output.isInstance(args))
    given = "an Output (pulumi.secret, pulumi.output, apply or interpolate)";
  else if (typeof args !== "object") given = `a ${typeof args}`;
  else if (Array.isArray(args)) given = "an array";
  else if (typeof (args as { then?: unknown }).then === "function") given = "a Promise";
  if (given === undefined) return;
  throw new Error(
    `new ${kind}(name, args): args must be a plain object of inputs, not ${given}. Pass an object and ` +
      "wrap individual values in pulumi.secret instead, e.g. { someInput: pulumi.secret(value) }",
  );
}

/**
 * The arguments of `dynamic.Resource`'s constructor for one object: its provider, the inputs with every
 * output key set to `undefined` (so the outputs exist on the resource), options with the secret outputs.
 *
 * The `import` option is taken out of the options and passed as the provider-only input `importId`: the
 * engine cannot import a dynamic-provider resource (its Read carries no serialized provider, and Pulumi's
 * dynamic-provider host fails with "code must be a string, not undefined"; pulumi/pulumi#16175), so the
 * provider's create adopts the object instead. Every class registers through here, so all of them can.
 *
 * A {@link Provider} (the `provider` option, or one a parent holds through `provider`/`providers`) is
 * passed the same way, as the provider-only inputs `cloudApiKey` and `cloudApiSecret` (secrets, and
 * additional secret outputs, since read and delete use the stored outputs) and `endpoint`. The option
 * itself is removed: the engine never sees a Provider as a resource's provider.
 */
export function registration(
  spec: Registered,
  args: object,
  opts: pulumi.CustomResourceOptions | undefined,
): [pulumi.dynamic.ResourceProvider, pulumi.Inputs, pulumi.CustomResourceOptions | undefined] {
  const { kind, outputKeys, secretOutputs } = spec;
  checkArgsObject(kind, args);
  const props: pulumi.Inputs = {};
  for (const k of [...outputKeys, IMPORT_ID]) props[k] = undefined;
  Object.assign(props, args);
  let options = opts;
  if (opts?.import !== undefined) {
    const { import: importId, ...rest } = opts;
    props[IMPORT_ID] = importId;
    options = rest;
  }
  const provider = providerOf(options);
  const extraSecrets: string[] = [];
  if (provider !== undefined) {
    if (Provider.isInstance(options?.provider)) {
      const { provider: _taken, ...rest } = options;
      options = rest;
    }
    const given = Provider.argsOf(provider);
    if (given.cloudApiKey !== undefined) props.cloudApiKey = pulumi.secret(given.cloudApiKey);
    if (given.cloudApiSecret !== undefined) props.cloudApiSecret = pulumi.secret(given.cloudApiSecret);
    if (given.endpoint !== undefined) props.endpoint = given.endpoint;
    for (const k of PROVIDER_OAUTH_ARGS) {
      const v = given[k];
      if (v !== undefined) props[k] = k === "oauthExternalClientSecret" ? pulumi.secret(v) : v;
    }
    extraSecrets.push(...SECRET_PROVIDER_INPUTS);
  }
  if (secretOutputs.length > 0 || extraSecrets.length > 0) {
    options = {
      ...options,
      additionalSecretOutputs: [
        ...(options?.additionalSecretOutputs ?? []),
        ...secretOutputs,
        ...extraSecrets,
      ],
    };
  }
  return [makeProvider(kind), props, options];
}
