/**
 * A `Provider` with OAuth arguments, as the provider's check sees them (provider-only inputs): exactly one
 * kind of credentials, each complete; every refusal names what is missing or extra, never a value.
 */
import { secretWire, type PropertyMap } from "../../protocol";
import { check } from "../../provider";
import { configureFromStack, resetConfiguration } from "../../provider/runtime";
import { Provider } from "../../sdk/provider-resource";

const base: PropertyMap = { displayName: "ci", description: "" };
const failures = async (extra: PropertyMap): Promise<string[]> =>
  (await check("ServiceAccount", {}, { ...base, ...extra })).failures.map(
    (f) => `${f.property}: ${f.reason}`,
  );

const saved = { ...process.env };
beforeEach(() => {
  for (const k of Object.keys(process.env)) {
    if (k.startsWith("CONFLUENT_OAUTH_") || k.startsWith("ACTIONS_ID_TOKEN")) delete process.env[k];
  }
});
afterAll(() => {
  process.env = saved;
});

describe("Provider OAuth arguments at check", () => {
  test("complete client credentials pass", async () => {
    expect(
      await failures({
        oauthIdentityPoolId: "pool-1",
        oauthExternalTokenUrl: "https://idp.example/token",
        oauthExternalClientId: "deployer",
        oauthExternalClientSecret: secretWire("client-secret-not-real"),
      }),
    ).toEqual([]);
  });

  test("a token file passes; in GitHub Actions the pool alone passes", async () => {
    expect(
      await failures({ oauthIdentityPoolId: "pool-1", oauthExternalAccessTokenFile: "/var/run/t" }),
    ).toEqual([]);
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = "https://token.actions.example/x?api-version=2.0";
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = "request-token-not-real";
    expect(await failures({ oauthIdentityPoolId: "pool-1" })).toEqual([]);
  });

  test("key and OAuth together is refused, naming the key", async () => {
    expect(
      await failures({
        cloudApiKey: secretWire("KEY"),
        cloudApiSecret: secretWire("secret-not-real"),
        oauthIdentityPoolId: "pool-1",
        oauthExternalAccessTokenFile: "/var/run/t",
      }),
    ).toEqual([
      "cloudApiKey: cannot be set together with OAuth (oauth… arguments): a Provider uses one kind of credentials; remove cloudApiKey and cloudApiSecret to sign in by OAuth, or the oauth… arguments to use the key",
    ]);
  });

  test("half of the client credentials names what is missing", async () => {
    expect(
      await failures({ oauthIdentityPoolId: "pool-1", oauthExternalTokenUrl: "https://idp.example/token" }),
    ).toEqual([
      "oauthExternalClientId: is required when oauthExternalTokenUrl is set: client credentials need oauthExternalTokenUrl, oauthExternalClientId and oauthExternalClientSecret",
      "oauthExternalClientSecret: is required when oauthExternalTokenUrl is set: client credentials need oauthExternalTokenUrl, oauthExternalClientId and oauthExternalClientSecret",
    ]);
  });

  test("a source without the pool names the pool", async () => {
    expect(await failures({ oauthExternalAccessTokenFile: "/var/run/t" })).toEqual([
      "oauthIdentityPoolId: is required when oauthExternalAccessTokenFile is set: OAuth needs the identity pool (pool-…) whose filter the external token must match and whose role bindings it acts with",
    ]);
  });

  test("the pool alone outside GitHub Actions, with no ready token in the environment, names the sources", async () => {
    expect(await failures({ oauthIdentityPoolId: "pool-1" })).toEqual([
      "oauthIdentityPoolId: is set but no external token source is: set oauthExternalTokenUrl with oauthExternalClientId and oauthExternalClientSecret (client credentials), oauthExternalAccessToken (a ready token) or oauthExternalAccessTokenFile (a file holding one), or run in GitHub Actions with the permission id-token: write (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN)",
    ]);
    process.env.CONFLUENT_OAUTH_EXTERNAL_ACCESS_TOKEN = "a.b.c";
    expect(await failures({ oauthIdentityPoolId: "pool-1" })).toEqual([]);
  });

  test("a ready token in the secret stack config counts as the source of a Provider with the pool alone", async () => {
    configureFromStack({
      get: (k) => (k === "confluentcloud:oauthExternalAccessToken" ? "a.b.c" : undefined),
    });
    try {
      expect(await failures({ oauthIdentityPoolId: "pool-1" })).toEqual([]);
    } finally {
      resetConfiguration();
    }
  });

  test("a ready token is refused as a Provider argument, since Provider arguments are stored", () => {
    expect(
      () =>
        new Provider("ci", {
          oauthIdentityPoolId: "pool-1",
          oauthExternalAccessToken: "a.b.c",
        } as unknown as ConstructorParameters<typeof Provider>[1]),
    ).toThrow(
      "Provider ci: oauthExternalAccessToken cannot be a Provider argument, because a Provider's arguments are " +
        "stored with each of its resources and a token must never be: give the token as the secret stack config " +
        "confluentcloud:oauthExternalAccessToken or the environment variable CONFLUENT_OAUTH_EXTERNAL_ACCESS_TOKEN, " +
        "or put it in a file and pass oauthExternalAccessTokenFile",
    );
  });
});
