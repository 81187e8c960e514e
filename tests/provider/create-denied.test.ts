/**
 * A create refused with 403 (provider/messages.ts createDeniedMessage): every kind that can be created names
 * the roles that may create it; the lifecycle test (tests/runner/rbac-lifecycle.test.ts) shows the whole
 * message as a user sees it against the RBAC emulator.
 */
import { createDeniedMessage } from "../../provider/messages";

const ANSWER = "POST /iam/v2/service-accounts failed with 403 Forbidden: Forbidden Access (request id r-1)";

describe("createDeniedMessage", () => {
  it("names the object, quotes the answer, says nothing was created and which role is missing", () => {
    expect(createDeniedMessage("ServiceAccount", "service account", 'display name "ci"', ANSWER)).toBe(
      'Cannot create service account with display name "ci": POST /iam/v2/service-accounts failed with 403 ' +
        "Forbidden: Forbidden Access (request id r-1). The credentials in use lack the permission to create it; " +
        "nothing was created. Missing permission: grant the credentials' owner OrganizationAdmin or AccountAdmin " +
        "(service accounts are organization-wide), or run with credentials that have it.",
    );
  });

  it.each([
    [
      "ApiKey",
      "OrganizationAdmin for a Cloud API key; for a cluster's key, EnvironmentAdmin or CloudClusterAdmin over that cluster, or ResourceKeyAdmin",
    ],
    ["Invitation", "OrganizationAdmin or AccountAdmin (invitations are organization-wide)"],
    ["IpGroup", "OrganizationAdmin (IP groups are organization-wide)"],
    ["IpFilter", "OrganizationAdmin (IP filters are organization-wide)"],
    ["IdentityProvider", "OrganizationAdmin or AccountAdmin (identity providers are organization-wide)"],
    ["IdentityPool", "OrganizationAdmin or AccountAdmin (identity pools are organization-wide)"],
    ["ProviderIntegration", "OrganizationAdmin, or EnvironmentAdmin on the integration's environment"],
    ["ByokKey", "OrganizationAdmin (BYOK keys are organization-wide)"],
  ])("%s: grant %s", (kind, roles) => {
    expect(createDeniedMessage(kind, "object", undefined, "A")).toBe(
      "Cannot create object: A. The credentials in use lack the permission to create it; nothing was created. " +
        `Missing permission: grant the credentials' owner ${roles}, or run with credentials that have it.`,
    );
  });

  it("a kind without a known role still says what to do", () => {
    expect(createDeniedMessage("Other", "thing", undefined, "A")).toBe(
      "Cannot create thing: A. The credentials in use lack the permission to create it; nothing was created. " +
        "Missing permission: run with credentials whose owner may create it.",
    );
  });
});
