/**
 * `Provider`: credentials and endpoint for the resources and lookups given it, with
 * @pulumi/confluentcloud's argument names, so `new confluentcloud.Provider("prod", {...})` and
 * `{ provider: prod }` port by changing the import line.
 *
 * A dynamic resource cannot have a provider resource of its own (its provider is always `pulumi-nodejs`),
 * and a real `pulumi.ProviderResource` would make the Pulumi CLI look for a `confluentcloud` plugin. So
 * `Provider` is a component resource that holds its arguments in the program:
 * - `registration` (sdk/base.ts) takes it out of a resource's options (or finds it on the parent) and
 *   passes its values as the provider-only inputs `cloudApiKey` (secret), `cloudApiSecret` (secret) and
 *   `endpoint` (protocol/index.ts `PROVIDER_INPUTS`); the engine never sees it as a provider.
 * - Given to a component (`provider` or `providers`), the SDK keeps it in the component's providers map
 *   under {@link Provider.getPackage} (`confluentcloud`, so `providers: { confluentcloud: prod }` works
 *   as it did), and children find it there. The SDK also asks `ProviderResource.register` for a
 *   provider reference to send with the component: {@link Provider.__registrationId} answers none, so the
 *   component's registration carries no provider reference the engine would have to resolve.
 */
import * as pulumi from "@pulumi/pulumi";

/** The component type token of a {@link Provider}. */
export const PROVIDER_TYPE = "confluent-iam:index:Provider";

/**
 * The package a {@link Provider} answers in `getPackage()`: the key of a component's providers map, the
 * same as @pulumi/confluentcloud's provider, so programs that key the map by it keep working.
 */
export const PROVIDER_PACKAGE = "confluentcloud";

/** Marks a Provider of this package, across copies of the package in one program. */
const BRAND = "__confluentIamProvider";

/** Where a Provider keeps its name (for messages). */
const NAME = "__confluentIamProviderName";

/** Where a Provider keeps its arguments (a non-enumerable member, readable by any copy of the package). */
const ARGS = "__confluentIamProviderArgs";

/** Arguments of {@link Provider}: the names of @pulumi/confluentcloud's provider arguments. */
export interface ProviderArgs {
  /**
   * Cloud API key of the organization to manage. Set it together with `cloudApiSecret`; without both,
   * the resources use the stack config (`confluentcloud:cloudApiKey`) or `CONFLUENT_CLOUD_API_KEY`.
   * Stored encrypted (a secret) in every resource's state.
   */
  cloudApiKey?: pulumi.Input<string>;
  /** The key's secret. Stored encrypted (a secret) in every resource's state. */
  cloudApiSecret?: pulumi.Input<string>;
  /**
   * The API's origin, e.g. `https://api.confluent.cloud` (the default). Without it, the stack config
   * `confluentcloud:endpoint` or `CONFLUENT_CLOUD_ENDPOINT`, then the default.
   */
  endpoint?: pulumi.Input<string>;

  // OAuth instead of the key and secret (provider/oauth.ts; README "Signing in by OAuth"): the members of
  // @pulumi/confluentcloud's provider `oauth` block, flattened. Stored with each resource as the key and
  // secret are (the client secret encrypted); the tokens themselves never are.
  /** The identity pool (`pool-…`) the exchanged token acts as. Required for OAuth. */
  oauthIdentityPoolId?: pulumi.Input<string>;
  /** The identity provider's token URL, for client credentials (with the client id and secret). */
  oauthExternalTokenUrl?: pulumi.Input<string>;
  /** The client id at `oauthExternalTokenUrl`. */
  oauthExternalClientId?: pulumi.Input<string>;
  /** The client secret at `oauthExternalTokenUrl`. Stored encrypted (a secret). */
  oauthExternalClientSecret?: pulumi.Input<string>;
  /** The scope asked of `oauthExternalTokenUrl` (Microsoft Entra ID needs one). */
  oauthExternalTokenScope?: pulumi.Input<string>;
  /** The Confluent token's lifetime in seconds, at most 900 (the API's default). */
  oauthStsTokenExpiredInSeconds?: pulumi.Input<string>;
  /** A file holding a ready external token, read again at each exchange (Kubernetes projected tokens). */
  oauthExternalAccessTokenFile?: pulumi.Input<string>;
  /** The audience asked of GitHub Actions' OIDC token request (and of the token URL). */
  oauthExternalTokenAudience?: pulumi.Input<string>;
}

/** The OAuth arguments of {@link ProviderArgs}, in the order they are passed. */
export const PROVIDER_OAUTH_ARGS = [
  "oauthIdentityPoolId",
  "oauthExternalTokenUrl",
  "oauthExternalClientId",
  "oauthExternalClientSecret",
  "oauthExternalTokenScope",
  "oauthStsTokenExpiredInSeconds",
  "oauthExternalAccessTokenFile",
  "oauthExternalTokenAudience",
] as const satisfies readonly (keyof ProviderArgs)[];

/**
 * The error for a Provider given a key without its secret or a secret without its key (`given` is the one
 * set): it would otherwise mix one from here with the other from the stack config or the environment.
 * @internal
 */
export function halfCredentialsMessage(name: string, given: "cloudApiKey" | "cloudApiSecret"): string {
  const missing = given === "cloudApiKey" ? "cloudApiSecret" : "cloudApiKey";
  return (
    `Provider ${name}: ${missing} is required when ${given} is set: a Provider sets cloudApiKey and ` +
    `cloudApiSecret together; set both, or neither to use the stack config or the environment`
  );
}

/** A value given for an argument: not undefined and not "" (an Output counts as given). */
const isGiven = (v: unknown): boolean => v !== undefined && v !== null && v !== "";

/**
 * Credentials and endpoint for the resources given this provider through the `provider` resource option,
 * directly or through a component parent's `provider`/`providers`, and for lookups given it in their
 * invoke options. Several providers in one program manage several organizations.
 *
 * Changing its credentials or endpoint updates each resource in place, without an API call; it never
 * replaces an object.
 *
 * @example
 * const prod = new Provider("prod", { cloudApiKey, cloudApiSecret });
 * new ServiceAccount("ci", { displayName: "ci" }, { provider: prod });
 */
export class Provider extends pulumi.ComponentResource {
  /** True when `obj` is a Provider of this package (any copy of it). */
  static isInstance(obj: unknown): obj is Provider {
    return typeof obj === "object" && obj !== null && (obj as Record<string, unknown>)[BRAND] === true;
  }

  /**
   * The provider's name. It has no cloud-side id; this member makes a Provider usable where Pulumi's
   * options type a `ProviderResource` (`provider`, `providers`).
   */
  readonly id: pulumi.Output<string>;

  /** @internal */
  readonly [BRAND] = true;

  /**
   * Throws when only one of `cloudApiKey` and `cloudApiSecret` is set, even if no resource uses the
   * provider yet. (A value behind an Output that turns out empty is caught when a resource or lookup uses it.)
   */
  constructor(name: string, args: ProviderArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const key = isGiven(args.cloudApiKey);
    if (key !== isGiven(args.cloudApiSecret)) {
      throw new Error(halfCredentialsMessage(name, key ? "cloudApiKey" : "cloudApiSecret"));
    }
    super(PROVIDER_TYPE, name, {}, opts);
    // The arguments are kept in the program only: never registered, so they are nowhere in the provider's
    // own state, and not enumerable, so nothing that walks the object prints them.
    if ((args as Record<string, unknown>).oauthExternalAccessToken !== undefined) {
      throw new Error(
        `Provider ${name}: oauthExternalAccessToken cannot be a Provider argument, because a Provider's ` +
          `arguments are stored with each of its resources and a token must never be: give the token as the ` +
          `secret stack config confluentcloud:oauthExternalAccessToken or the environment variable ` +
          `CONFLUENT_OAUTH_EXTERNAL_ACCESS_TOKEN, or put it in a file and pass oauthExternalAccessTokenFile`,
      );
    }
    Object.defineProperty(this, ARGS, { value: Object.freeze({ ...args }), enumerable: false });
    Object.defineProperty(this, NAME, { value: name, enumerable: false });
    this.id = this.urn.apply(() => name);
    this.registerOutputs({});
  }

  /** The key of this provider in a component's providers map (as @pulumi/confluentcloud's). */
  getPackage(): string {
    return PROVIDER_PACKAGE;
  }

  /**
   * Asked by the SDK's `ProviderResource.register` when a component is given this provider: no provider
   * reference exists, so none is sent to the engine (the SDK leaves a missing one out of the component's
   * providers map). The value it tries to remember is dropped.
   * @internal
   */
  get __registrationId(): undefined {
    return undefined;
  }
  set __registrationId(_ignored: string | undefined) {
    // Nothing to remember: see the getter.
  }

  /** The name given to the constructor (for messages). @internal */
  static nameOf(provider: Provider): string {
    return String((provider as unknown as Record<string, unknown>)[NAME] ?? "");
  }

  /** The arguments (for `registration` and the lookups). @internal */
  static argsOf(provider: Provider): Readonly<ProviderArgs> {
    return ((provider as unknown as Record<string, unknown>)[ARGS] ?? {}) as Readonly<ProviderArgs>;
  }
}

/**
 * The Provider in effect for a resource or lookup with these options: `provider` when it is one of this
 * package's, else the nearest one a parent holds (a component's `provider`/`providers`, inherited down the
 * parent chain by the SDK). Another package's provider is left alone (and undefined returned).
 */
export function providerOf(
  opts: { provider?: unknown; parent?: pulumi.Resource } | undefined,
): Provider | undefined {
  if (Provider.isInstance(opts?.provider)) return opts.provider;
  const inherited = opts?.parent?.getProvider(`${PROVIDER_PACKAGE}:index:Provider`);
  return Provider.isInstance(inherited) ? inherited : undefined;
}
