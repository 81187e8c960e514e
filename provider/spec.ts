/**
 * What a spec is: everything about one Confluent object, in one place. The generic adapter
 * (provider/adapter.ts) turns a spec into a Pulumi dynamic `ResourceProvider`; nothing about a particular
 * object lives anywhere else. Specs are written as field tables and built with `defineSpec`
 * (provider/fields.ts), which derives the bodies, outputs and field lists below from them.
 */
import type { z } from "zod";
import type { ConfluentClient } from "./client";
import type { PropertyMap } from "../protocol";
import type { Adapter } from "./adapter";

/** Query parameters of one request. */
export type Query = Record<string, string | number | undefined>;

/** One HTTP route: path (already with ids filled in) and query. */
export interface Route {
  path: string;
  query?: Query;
}

/**
 * Where an existing object lives. `id` is the object's own API id; other members are the parents some
 * routes need (`environment` for provider integrations, `identityProvider` for identity pools, …).
 */
export interface Locator {
  id: string;
  [parent: string]: string | undefined;
}

/** What a create hook or a wait gets to work with. */
export interface OperationContext {
  /** The management client (a `Provider`'s credentials when the resource has them, else config or env). */
  client: ConfluentClient;
  /** Writes a progress line the user sees while `pulumi up` waits. */
  log: (message: string) => void;
  /** The endpoint `client` calls (a `Provider`'s, else config/env); absent: resolve it from config/env. */
  endpoint?: string;
}

/**
 * A failure after the remote object came into existence. The dynamic host turns an error with `id` into
 * Pulumi's "resource initialization failed" answer, so the object stays in state instead of being orphaned.
 */
export class PartialCreateError extends Error {
  /** Id of the object that exists. */
  readonly id: string;
  /** Its outputs, as far as they are known. */
  readonly properties: PropertyMap;
  /** Why it is not ready. */
  readonly reasons: string[];

  constructor(message: string, id: string, properties: PropertyMap, reasons: string[]) {
    super(message);
    this.name = "PartialCreateError";
    this.id = id;
    this.properties = properties;
    this.reasons = reasons;
  }
}

/** How an input the API never answers is compared: through one of its outputs. */
export interface WriteOnly {
  /** The output key the API answers (`fingerprints`). */
  output: string;
  /** Whether the (plain) input matches the (plain) output. */
  same(input: unknown, output: unknown): boolean;
}

/** How a field's values are compared in `diff`. */
export type Normalizer = (value: unknown) => unknown;

/**
 * One Confluent object. `I` is the parsed (plain, validated, defaulted) input type, `R` the parsed API
 * response type.
 */
export interface Spec<I extends Record<string, unknown>, R> {
  /** SDK class name; also the type token's last part (`pulumi-nodejs:dynamic/confluent:<kind>`). */
  kind: string;
  /** What users call it, lower case ("service account"). */
  noun: string;
  /** Import ID format, for docs and messages (`sa-…`, `<envId>/<keyId>`). */
  importIdFormat: string;
  /**
   * What an import ID must match (checked when a program adopts an object with the `import` resource
   * option, which reaches the provider as the provider-only input `importId`). Absent: any non-empty id.
   */
  importIdPattern?: RegExp;
  /**
   * The import ID of an object from its API id and the inputs, when the import ID names a parent too
   * (`op-…/pool-…`); used in messages that tell the user which `import` option to write. Absent: the id.
   */
  importIdOf?(id: string, inputs: I): string;

  /**
   * The inputs' shape. The adapter makes it strict (unknown keys are typos) and adds `crossCheck`. Every
   * message must say what to change.
   */
  inputs: z.ZodObject<z.ZodRawShape>;
  /** Rules across fields (exactly one of …), added with `superRefine`. */
  crossCheck?: (value: I, ctx: z.RefinementCtx) => void;
  /** Response body of GET/POST/PATCH; `.passthrough()` so new API fields do not break us. */
  response: z.ZodType<R, z.ZodTypeDef, unknown>;

  /** Inputs whose change replaces the object. */
  replaceOnChange: readonly string[];
  /** Inputs the API can change in place (sent, when changed, in one PATCH). */
  updateInPlace: readonly string[];
  /** Inputs only the provider uses (no API field): a change is an in-place update with no API call. */
  providerOnly?: readonly string[];
  /**
   * Inputs that are never written to the outputs (credentials such as an Azure AD token): create and update
   * use them, state never holds them, and they are not compared.
   */
  inputOnly?: readonly string[];
  /** Inputs the server fills in when omitted: not compared while the user leaves them out. */
  serverDefaulted?: readonly string[];
  /** Defaults used when comparing (a missing value equals its default). */
  defaults?: Readonly<Record<string, unknown>>;
  /** Per-field normalization before comparing (URL-decoding a CRN, ordering a set). */
  normalize?: Readonly<Record<string, Normalizer>>;
  /** Outputs that are secret (the SDK class lists them in `additionalSecretOutputs`). */
  secretOutputs: readonly string[];

  /** How a missing object answers GET: always 404; also 403 where the API hides existence. */
  goneStatuses: readonly number[];
  /** What to grant when a 403 turns out to be a permission problem. */
  readPermissionHint: string;

  /** Where the object lives, from its id and its stored properties (or from a composite import ID). */
  locate(id: string, props: PropertyMap): Locator;
  /** POST route and body. */
  createRequest(inputs: I): Route & { body: unknown };
  /** GET/DELETE route of one object. */
  itemRoute(loc: Locator): Route;
  /** A LIST route the same credentials would need (probed with page_size=1 to interpret a 403). */
  listRoute(loc: Locator): Route | undefined;
  /**
   * The list that holds this object, for answering overlapping reads together (provider/coalesce.ts); its
   * items must match `response`. Absent (or undefined for an object): every read is a GET.
   */
  listRead?: {
    route(loc: Locator, props: PropertyMap): Route | undefined;
    /** `page_size` of the list calls. @default 100 */
    pageSize?: number;
  };
  /**
   * The update request: a PATCH carrying only the changed fields, or (`method: "PUT"`) a PUT carrying every
   * in-place field; absent when the API has neither.
   */
  updateRequest?(
    loc: Locator,
    changed: Partial<I>,
    inputs: I,
  ): Route & { body: unknown; method?: "PATCH" | "PUT" };
  /**
   * Inputs the API takes but never answers (a certificate chain), by key: where the outputs lack the input
   * (after an import, or after a refresh found it changed behind the program's back) it is compared through
   * an output the API does answer (`same(input, output)`: the chain's fingerprints). Refresh drops such an
   * input from the outputs when `same` says it no longer matches, so the next diff shows the change.
   */
  writeOnly?: Readonly<Record<string, WriteOnly>>;
  /** The method `updateRequest` uses, for messages: PATCH (default) or PUT. */
  updateMethod?: "PATCH" | "PUT";

  /** The object's API id in a response. */
  idOf(body: R): string;
  /** API body → outputs (camelCase, including every input the API echoes). */
  toOutputs(body: R): PropertyMap;

  /**
   * Unique attributes, for reconciling a create whose outcome is unknown and for naming the object a 409
   * conflicts with. Absent when the object has none (API keys): the adapter then fails with advice.
   */
  findExisting?(client: ConfluentClient, inputs: I): Promise<R | undefined>;
  /**
   * For an object without unique attributes (API keys): the objects matching `inputs` stamped as created at
   * or after `since` (ms since the epoch on the API's clock; 0 lists every match), and those without a
   * creation time. After an unknown outcome, none found means the create did not happen and may be sent
   * again; what was found is deleted when `discardCreated` says so, else the create fails naming it (never
   * a second object). provider/create.ts judges each match against the API's clock again.
   */
  findCreatedSince?(client: ConfluentClient, inputs: I, since: number): Promise<R[]>;
  /**
   * For a kind with `findCreatedSince`: deletes an object a create provably made whose answer was lost,
   * when such an object cannot be used (an API key: its secret was only in that answer). The create is then
   * sent again. Absent: such objects fail the create, named.
   */
  discardCreated?(client: ConfluentClient, found: R): Promise<void>;
  /** Why a discarded object cannot be used, for the progress line ("its secret was in the lost answer"). */
  discardReason?: string;
  /** Words for the unique attributes, for messages ("display name \"ci\""). */
  describeUnique?(inputs: I): string;
  /**
   * For a kind with `findCreatedSince`: the advice when a create's outcome was unknown and matching objects
   * (`ids`) appeared since it was sent. It follows "The <noun> create request's outcome is unknown (…), and
   * a matching <noun> appeared since it was sent: <ids>." and says why the create did not take them, how to
   * tell a stray from one of the stack's own, and how to delete or keep it (API keys: `confluent api-key
   * delete`). Absent: general advice (provider/create.ts).
   */
  strayCreatedAdvice?(ids: readonly string[]): string;

  /**
   * Why these inputs cannot make a new object (only adopt one), said before any call; undefined: they can.
   * (An API key's `secret` input belongs to an existing key: the API makes a new key's secret.)
   */
  refuseCreate?(inputs: I): string | undefined;
  /**
   * Runs during adoption after the object was read and found to match the program's replace-fields, before
   * any write: checks what the program declares that the API never answers (an API key's `secret`).
   */
  verifyAdopted?(ctx: OperationContext, id: string, inputs: I): Promise<void>;
  /** Replaces the POST entirely (User cannot be created; the Azure key uses another API). */
  create?(ctx: OperationContext, inputs: I): Promise<{ id: string; outs: PropertyMap }>;
  /** Runs after a successful POST (API key readiness); throw `PartialCreateError` to keep the object. */
  afterCreate?(ctx: OperationContext, id: string, inputs: I, outs: PropertyMap): Promise<PropertyMap>;
  /** Runs after the PATCH (or instead of it when only provider-only inputs changed). */
  afterUpdate?(
    ctx: OperationContext,
    loc: Locator,
    olds: PropertyMap,
    inputs: I,
    outs: PropertyMap,
  ): Promise<PropertyMap>;
  /** Replaces GET for read (the Azure key). Return undefined when the object is gone. */
  read?(ctx: OperationContext, loc: Locator, props: PropertyMap): Promise<PropertyMap | undefined>;
  /** Decides, before DELETE, that nothing must be sent (an accepted invitation with allowDeletion). */
  skipDelete?(props: PropertyMap): string | undefined;
  /** Replaces DELETE (the Azure key). */
  delete?(ctx: OperationContext, loc: Locator, props: PropertyMap): Promise<void>;
  /** Advice added to a failed DELETE, by status code. */
  deleteHints?: Readonly<Record<number, string>>;

  /**
   * Operations the object performs itself, replacing the generic ones whole, with the dynamic provider's
   * own (wire-level) arguments: for an object that manages several API objects under one resource
   * (ApiKeyRotation keeps up to two keys, and its diff reads the clock). `check` stays generic. Called once,
   * when the adapter is built.
   */
  operations?(): Partial<Pick<Adapter, OwnOperation>>;
}

/** The operations a spec may perform itself ({@link Spec.operations}). */
export type OwnOperation = "diff" | "create" | "read" | "update" | "delete";
