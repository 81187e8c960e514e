// OAuth for CI, the bootstrap: run once with a static admin key (or by an administrator), then delete that
// key. It trusts the CI's OIDC issuer, makes an identity pool whose filter admits only the workflow runs of
// one repository's branch, and binds the pool to the role CI needs. From then on CI signs in by OAuth:
// its OIDC token is exchanged for a short-lived Confluent token (README "Signing in by OAuth").
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const config = new pulumi.Config();
const organizationId = config.get("organizationId") ?? "b0b0cafe-0000-4000-8000-000000000001";
// GitHub Actions' issuer and keys; the emulator's test identity provider (--test-idp) prints its own.
const issuer = config.get("issuer") ?? "https://token.actions.githubusercontent.com";
const jwksUri = config.get("jwksUri") ?? "https://token.actions.githubusercontent.com/.well-known/jwks";
const repository = config.require("repository"); // owner/name
const branch = config.get("branch") ?? "main";
// CI manages the organization's IAM, as the static key it replaces did.
const roleName = config.get("roleName") ?? "OrganizationAdmin";

const ci = new confluentcloud.IdentityProvider("ci-oidc", {
  displayName: "ci-oidc",
  description: "The CI's OIDC issuer (GitHub Actions)",
  issuer,
  jwksUri,
});

// Only runs of this repository on this branch match: a pull request's run (another ref) or a fork's (another
// repository) is refused at the token exchange. GitHub's claims: repository, ref.
const deploy = new confluentcloud.IdentityPool("ci-deploy", {
  identityProvider: { id: ci.id },
  displayName: "ci-deploy",
  description: `Deploy runs of ${repository} on ${branch}`,
  identityClaim: "claims.sub",
  filter: `claims.repository == "${repository}" && claims.ref == "refs/heads/${branch}"`,
});

new confluentcloud.RoleBinding("ci-deploy-role", {
  principal: pulumi.interpolate`User:${deploy.id}`,
  roleName,
  crnPattern: `crn://confluent.cloud/organization=${organizationId}`,
});

// CI's setting: CONFLUENT_OAUTH_IDENTITY_POOL_ID (or confluentcloud:oauthIdentityPoolId).
export const identityPoolId = deploy.id;
export const identityProviderId = ci.id;
