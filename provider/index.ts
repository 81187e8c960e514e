/**
 * The provider module: the only module a serialized provider `require`s (as `pulumi-confluent-iam/provider`),
 * at call time, inside the dynamic-provider host. Each function takes the object kind (the SDK class name)
 * first, then the dynamic provider method's own arguments.
 */
import { withoutUndefined } from "../protocol";
import type {
  CheckResult,
  CreateResult,
  DiffResult,
  PropertyMap,
  ReadResult,
  UpdateResult,
} from "../protocol";
import { adapters } from "./specs";
import { configureFromStack, type ConfigSource } from "./runtime";
import { PartialCreateError } from "./spec";

export type { Adapter } from "./adapter";
export type { CheckResult, DiffResult } from "../protocol";
export { makeAdapter } from "./adapter";
export { adapters } from "./specs";
export { PartialCreateError, type Spec } from "./spec";
export {
  CONFIG_KEYS,
  ENV_KEYS,
  TUNING_ENV,
  DEFAULT_ENDPOINT,
  MISSING_CREDENTIALS_MESSAGE,
  getClient,
  closeClients,
  resolveCredentials,
} from "./runtime";
export { typeTokenOf as typeToken } from "../protocol";

function adapterFor(kind: string) {
  const a = adapters[kind];
  if (!a)
    throw new Error(`Unknown Confluent object kind ${JSON.stringify(kind)}: this package has no spec for it`);
  return a;
}

/** `configure({ config })` of the dynamic provider: remembers the stack config for this process. */
export async function configure(_kind: string, req: { config: ConfigSource }): Promise<void> {
  configureFromStack(req.config);
}

export function check(kind: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
  return adapterFor(kind).check(olds, news);
}

export function diff(kind: string, id: string, olds: PropertyMap, news: PropertyMap): Promise<DiffResult> {
  return adapterFor(kind).diff(id, olds, news);
}

/**
 * Every answer that carries properties goes through {@link withoutUndefined} here, at the boundary with the
 * host, whatever a spec's `toOutputs` built: a nested `undefined` would fail the host's serialization after
 * the object was made (an API key's secret lost with it). A create that fails after the object exists
 * (`PartialCreateError`) gets the same treatment, so the object stays in state.
 */
export async function create(kind: string, inputs: PropertyMap): Promise<CreateResult> {
  try {
    return withoutUndefined(await adapterFor(kind).create(inputs));
  } catch (e) {
    throw cleanPartial(e);
  }
}

/** A `PartialCreateError` (create, or an update that changed objects before failing) with clean properties. */
function cleanPartial(e: unknown): unknown {
  return e instanceof PartialCreateError
    ? new PartialCreateError(e.message, e.id, withoutUndefined(e.properties), e.reasons)
    : e;
}

export function read(kind: string, id: string, props: PropertyMap): Promise<ReadResult> {
  return adapterFor(kind).read(id, props).then(withoutUndefined);
}

export function update(
  kind: string,
  id: string,
  olds: PropertyMap,
  news: PropertyMap,
): Promise<UpdateResult> {
  return adapterFor(kind)
    .update(id, olds, news)
    .then(withoutUndefined, (e: unknown) => {
      throw cleanPartial(e);
    });
}

// `delete` is a reserved word, so the function is named remove and exported under both names.
function remove(kind: string, id: string, props: PropertyMap): Promise<void> {
  return adapterFor(kind).delete(id, props);
}
export { remove, remove as delete };

/** The operations by name: the dynamic provider's method names. */
interface Operations {
  configure: typeof configure;
  check: typeof check;
  diff: typeof diff;
  create: typeof create;
  read: typeof read;
  update: typeof update;
  delete: typeof remove;
}

/** An operation's arguments after the kind. */
type ArgsAfterKind<F> = F extends (kind: string, ...args: infer A) => unknown ? A : never;

/** The operations of one kind, each taking the dynamic provider method's arguments as one list. */
export type KindOperations = {
  readonly [M in keyof Operations]: (args: ArgsAfterKind<Operations[M]>) => ReturnType<Operations[M]>;
};

const kinds = new Map<string, KindOperations>();

/**
 * The operations of one object kind by name, as the serialized provider calls them after 0.1.0
 * (`kind(k).check(args)`; see sdk/provider.ts): adding, removing or reordering operations here changes
 * nothing for texts already stored in state, as long as the names stay. The arguments come as one list
 * because every byte of the call is repeated in the state of every resource.
 */
export function kind(k: string): KindOperations {
  let ops = kinds.get(k);
  if (ops === undefined) {
    ops = {
      configure: (a) => configure(k, ...a),
      check: (a) => check(k, ...a),
      diff: (a) => diff(k, ...a),
      create: (a) => create(k, ...a),
      read: (a) => read(k, ...a),
      update: (a) => update(k, ...a),
      delete: (a) => remove(k, ...a),
    };
    kinds.set(k, ops);
  }
  return ops;
}

/**
 * The operations by number, as the provider text of 0.1.0 calls them (`op[m](kind, ...args)`), which stays
 * in a stack's state until each resource is written again. Frozen: never reorder, never append (new texts
 * call {@link kind} by name). tests/provider/released-provider-text.test.ts runs that text.
 */
export const op = [configure, check, diff, create, read, update, remove] as const;
