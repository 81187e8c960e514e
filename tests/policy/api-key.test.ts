import { apiKeyDescribed, apiKeyOwnedByServiceAccount } from "pulumi-confluent-iam/policy";
import { apiKey, DELETE, ipGroup, runResource, UNKNOWN } from "./helpers";

const USER_OWNED_FIX =
  ": a user's key carries all of the user's permissions and is deleted with the user. Confluent recommends " +
  "service accounts for production: set owner to a ServiceAccount (sa-…) that holds only the roles the key needs.";

describe("api-key-owned-by-service-account", () => {
  const policy = apiKeyOwnedByServiceAccount;

  it("is advisory", () => {
    expect(policy.enforcementLevel).toBe("advisory");
  });

  it("passes a key owned by a service account, and a Cloud key (no managedResource)", async () => {
    expect(await runResource(policy, apiKey())).toEqual([]);
    expect(await runResource(policy, apiKey({ managedResource: DELETE }))).toEqual([]);
  });

  it("reports a key owned by a user", async () => {
    expect(
      await runResource(policy, apiKey({ owner: { id: "u-demo01", apiVersion: "iam/v2", kind: "User" } })),
    ).toEqual([`API key is owned by user "u-demo01"${USER_OWNED_FIX}`]);
  });

  it("reports a user owner by id when kind is unknown during preview", async () => {
    expect(
      await runResource(policy, apiKey({ owner: { id: "u-demo01", apiVersion: "iam/v2", kind: UNKNOWN } })),
    ).toEqual([`API key is owned by user "u-demo01"${USER_OWNED_FIX}`]);
  });

  it("reports a user-owned key disguised as a service account's (judged by the id; evasion of issue 23)", async () => {
    expect(await runResource(policy, apiKey({ owner: { id: "u-demo02", kind: "ServiceAccount" } }))).toEqual([
      `API key is owned by user "u-demo02" (though owner.kind says "ServiceAccount")${USER_OWNED_FIX}`,
    ]);
  });

  it("passes a service account's key whatever owner.kind says", async () => {
    expect(await runResource(policy, apiKey({ owner: { id: "sa-abc123", kind: "User" } }))).toEqual([]);
    expect(await runResource(policy, apiKey({ owner: { id: "sa-abc123" } }))).toEqual([]);
  });

  it("reports a user owner whose id is unknown during preview, by the declared kind", async () => {
    expect(
      await runResource(policy, apiKey({ owner: { id: UNKNOWN, apiVersion: "iam/v2", kind: "User" } })),
    ).toEqual([`API key is owned by a user (owner.kind; its id is not known at preview)${USER_OWNED_FIX}`]);
  });

  it("does not judge an owner whose id is unknown during preview and whose kind is not User", async () => {
    expect(await runResource(policy, apiKey({ owner: { id: UNKNOWN } }))).toEqual([]);
    expect(await runResource(policy, apiKey({ owner: { id: UNKNOWN, kind: "ServiceAccount" } }))).toEqual([]);
  });

  it("does not judge an owner unknown during preview", async () => {
    expect(await runResource(policy, apiKey({ owner: UNKNOWN }))).toEqual([]);
  });

  it("ignores other types", async () => {
    expect(
      await runResource(policy, { ...ipGroup(), props: { owner: { id: "u-1", kind: "User" } } }),
    ).toEqual([]);
  });
});

describe("api-key-described", () => {
  const policy = apiKeyDescribed;
  const MESSAGE =
    "API key has no description; add one that says which application or use case the key serves, so it can be " +
    "told apart from other keys and safely rotated or deleted.";

  it("is advisory", () => {
    expect(policy.enforcementLevel).toBe("advisory");
  });

  it("passes a described key", async () => {
    expect(await runResource(policy, apiKey())).toEqual([]);
  });

  it("reports a key without a description", async () => {
    expect(await runResource(policy, apiKey({ description: DELETE }))).toEqual([MESSAGE]);
  });

  it("reports a blank description", async () => {
    expect(await runResource(policy, apiKey({ description: "  " }))).toEqual([MESSAGE]);
  });

  it("does not judge a description unknown during preview (declared but not known)", async () => {
    expect(await runResource(policy, apiKey({ description: UNKNOWN }))).toEqual([]);
    expect(await runResource(policy, apiKey({ description: undefined }))).toEqual([]);
  });
});

describe("ApiKeyRotation is judged as the API keys it makes", () => {
  const rotation = (overrides: Record<string, unknown>) => {
    const r = apiKey({ disableWaitForReady: DELETE, rotationPeriod: "P90D", ...overrides }, "rotated-key");
    return { ...r, cls: "ApiKeyRotation" };
  };

  it("a rotation owned by a user is reported", async () => {
    expect(
      await runResource(
        apiKeyOwnedByServiceAccount,
        rotation({ owner: { id: "u-demo01", apiVersion: "iam/v2", kind: "User" } }),
      ),
    ).toEqual([`API key is owned by user "u-demo01"${USER_OWNED_FIX}`]);
    expect(await runResource(apiKeyOwnedByServiceAccount, rotation({}))).toEqual([]);
  });

  it("a rotation without a description is reported", async () => {
    expect(await runResource(apiKeyDescribed, rotation({ description: DELETE }))).toEqual([
      "API key has no description; add one that says which application or use case the key serves, so it " +
        "can be told apart from other keys and safely rotated or deleted.",
    ]);
    expect(await runResource(apiKeyDescribed, rotation({}))).toEqual([]);
  });
});
