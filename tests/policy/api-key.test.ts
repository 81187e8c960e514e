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

  it("reports a user owner whose id is unknown during preview", async () => {
    expect(
      await runResource(policy, apiKey({ owner: { id: UNKNOWN, apiVersion: "iam/v2", kind: "User" } })),
    ).toEqual([`API key is owned by a user${USER_OWNED_FIX}`]);
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
