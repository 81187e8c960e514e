/**
 * The runner's credential check with OAuth settings (runner/credentials.ts `resolveOAuth`): from stack config,
 * then the environment; a key too, or incomplete settings, stop the command naming the config keys and
 * variables, never a value.
 */
import { resolveOAuth } from "../../runner/credentials";

describe("resolveOAuth", () => {
  test("no OAuth setting: undefined (the key and secret path applies)", () => {
    expect(resolveOAuth({}, {})).toBeUndefined();
  });

  test("the pool from stack config and a ready token from the environment", () => {
    expect(
      resolveOAuth(
        { "confluentcloud:oauthIdentityPoolId": "pool-1", "confluentcloud:endpoint": "http://127.0.0.1:1/" },
        { CONFLUENT_OAUTH_EXTERNAL_ACCESS_TOKEN: "a.b.c" },
      ),
    ).toEqual({
      oauth: { identityPoolId: "pool-1", expiresIn: undefined, source: { kind: "token", value: "a.b.c" } },
      endpoint: "http://127.0.0.1:1",
      endpointFrom: "stack config confluentcloud:endpoint",
    });
  });

  test("a key and OAuth together stop the command, naming both", () => {
    expect(() =>
      resolveOAuth(
        { "confluentcloud:oauthIdentityPoolId": "pool-1" },
        { CONFLUENT_CLOUD_API_KEY: "KEY", CONFLUENT_OAUTH_EXTERNAL_ACCESS_TOKEN: "a.b.c" },
      ),
    ).toThrow(
      "Both a Cloud API key (CONFLUENT_CLOUD_API_KEY) and OAuth (stack config confluentcloud:oauthIdentityPoolId, " +
        "environment variable CONFLUENT_OAUTH_EXTERNAL_ACCESS_TOKEN) are set: use one kind of credentials; remove " +
        "the key and secret to sign in by OAuth, or the OAuth settings to use the key.",
    );
  });

  test("incomplete settings name the config key and the variable of what is missing", () => {
    expect(() => resolveOAuth({}, { CONFLUENT_OAUTH_EXTERNAL_CLIENT_ID: "deployer" })).toThrow(
      "OAuth credentials are incomplete: confluentcloud:oauthIdentityPoolId (or CONFLUENT_OAUTH_IDENTITY_POOL_ID) " +
        "is required when oauthExternalClientId is set: OAuth needs the identity pool (pool-…) whose filter the " +
        "external token must match and whose role bindings it acts with; confluentcloud:oauthExternalTokenUrl (or " +
        "CONFLUENT_OAUTH_EXTERNAL_TOKEN_URL) is required when oauthExternalClientId is set: client credentials need " +
        "oauthExternalTokenUrl, oauthExternalClientId and oauthExternalClientSecret; " +
        "confluentcloud:oauthExternalClientSecret (or CONFLUENT_OAUTH_EXTERNAL_CLIENT_SECRET) is required when " +
        "oauthExternalClientId is set: client credentials need oauthExternalTokenUrl, oauthExternalClientId and " +
        "oauthExternalClientSecret",
    );
  });
});
