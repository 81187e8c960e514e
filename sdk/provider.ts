/**
 * The provider object each SDK class hands to `dynamic.Resource`. Pulumi serializes it into every
 * resource's state, so it must stay tiny (at most 2 KB) and capture nothing but the object kind: each
 * method `require`s the provider module by package name when it runs (a string-literal `require` inside a
 * function is serialized as text; an import at module scope would be serialized by value, with its client
 * and credentials). Credentials and endpoint come from `configure` (stack config) or the environment.
 */
import type * as pulumi from "@pulumi/pulumi";

/**
 * One provider object per kind for the whole program: Pulumi caches a provider's serialized text by object
 * identity, so reusing it serializes each kind once instead of once per resource (about 30 ms each).
 */
const providers = new Map<string, pulumi.dynamic.ResourceProvider>();

/** The serialized provider for one object kind (the SDK class name); the same object on every call. */
export function makeProvider(kind: string): pulumi.dynamic.ResourceProvider {
  let p = providers.get(kind);
  if (p === undefined) {
    p = newProvider(kind);
    providers.set(kind, p);
  }
  return p;
}

function newProvider(kind: string): pulumi.dynamic.ResourceProvider {
  // Every name is one letter and methods are numbered (`op[0]` is configure … `op[6]` is delete, see
  // provider/index.ts) because the text is stored in every resource's state: this keeps it under 2 KB.
  const k = kind;
  // (No comment inside the arrow: the serializer keeps comments.)
  /* eslint-disable @typescript-eslint/no-require-imports -- resolved in the provider host at call time */
  const f = (m: number, a: unknown[]) => require("pulumi-confluent-iam/provider").op[m](k, ...a);
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    configure: (...a) => f(0, a),
    check: (...a) => f(1, a),
    diff: (...a) => f(2, a),
    create: (...a) => f(3, a),
    read: (...a) => f(4, a),
    update: (...a) => f(5, a),
    delete: (...a) => f(6, a),
  };
}
