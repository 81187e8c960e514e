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
  // Each method calls the operation of the same name (provider/index.ts `kind`), so the provider module may
  // change its operations freely as long as the names stay. Every name is one letter and the arguments go
  // as one list because the text is stored in every resource's state: this keeps it under 2 KB.
  const k = kind;
  // (No comment inside the arrow: the serializer keeps comments.)
  /* eslint-disable @typescript-eslint/no-require-imports -- resolved in the provider host at call time */
  const f = () => require("pulumi-confluent-iam/provider").kind(k);
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    configure: (...a) => f().configure(a),
    check: (...a) => f().check(a),
    diff: (...a) => f().diff(a),
    create: (...a) => f().create(a),
    read: (...a) => f().read(a),
    update: (...a) => f().update(a),
    delete: (...a) => f().delete(a),
  };
}
