import { roleBindingNoOrgAdmin as policy } from "pulumi-confluent-iam/policy";
import { ORG, roleBinding, runResource, UNKNOWN } from "./helpers";

const orgAdmin = (principal: string) =>
  roleBinding({
    principal,
    roleName: "OrganizationAdmin",
    crnPattern: `crn://confluent.cloud/organization=${ORG}`,
  });

const message = (principal: string) =>
  `OrganizationAdmin gives "${principal}" full control of the whole organization, and "${principal}" is not ` +
  "in allowedPrincipals; grant a narrower role (EnvironmentAdmin, CloudClusterAdmin, ...) or, if this " +
  "principal must administer the organization, add it to this policy's allowedPrincipals config.";

const UNKNOWN_PRINCIPAL =
  'OrganizationAdmin is granted to a principal that is not known at preview (e.g. "User:${sa.id}" of a ' +
  "service account this program creates); a principal that does not exist yet cannot be on " +
  "allowedPrincipals, so the grant cannot be approved. Create the principal first, add its id to this " +
  "policy's allowedPrincipals config, then bind it by that id; or grant a narrower role (EnvironmentAdmin, " +
  "CloudClusterAdmin, ...).";

const UNKNOWN_ROLE =
  "roleName is not known at preview (it is computed from another resource's output), so this binding may " +
  "grant OrganizationAdmin and cannot be checked against allowedPrincipals; write the role name as a " +
  'literal string such as "DeveloperRead".';

describe("role-binding-no-org-admin", () => {
  it("is mandatory, with an allowedPrincipals list defaulting to empty", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema).toEqual({
      properties: {
        allowedPrincipals: {
          type: "array",
          items: { type: "string" },
          default: [],
          description: 'Principals allowed to hold OrganizationAdmin, e.g. ["User:sa-platform"].',
        },
      },
    });
  });

  it("passes the baseline and other roles", async () => {
    expect(await runResource(policy, roleBinding())).toEqual([]);
    expect(await runResource(policy, roleBinding({ roleName: "EnvironmentAdmin" }))).toEqual([]);
  });

  it("reports OrganizationAdmin without config", async () => {
    expect(await runResource(policy, orgAdmin("User:sa-ci0001"))).toEqual([message("User:sa-ci0001")]);
  });

  it("passes an allow-listed principal, and still reports others", async () => {
    const config = { allowedPrincipals: ["User:sa-platform1"] };
    expect(await runResource(policy, orgAdmin("User:sa-platform1"), config)).toEqual([]);
    expect(await runResource(policy, orgAdmin("User:sa-ci0001"), config)).toEqual([
      message("User:sa-ci0001"),
    ]);
  });

  it("matches a bare id in the allow-list against User:<id>", async () => {
    expect(await runResource(policy, orgAdmin("User:u-admin1"), { allowedPrincipals: ["u-admin1"] })).toEqual(
      [],
    );
  });

  it("treats a malformed config as an empty allow-list", async () => {
    expect(
      await runResource(policy, orgAdmin("User:sa-platform1"), { allowedPrincipals: "User:sa-platform1" }),
    ).toEqual([message("User:sa-platform1")]);
  });

  it("fails closed on a principal unknown during preview (issue 18: a service account created in the same program)", async () => {
    expect(await runResource(policy, orgAdmin(UNKNOWN))).toEqual([UNKNOWN_PRINCIPAL]);
    // Even with an allow-list: a principal that does not exist yet cannot be on it.
    expect(
      await runResource(policy, orgAdmin(UNKNOWN), { allowedPrincipals: ["User:sa-platform1"] }),
    ).toEqual([UNKNOWN_PRINCIPAL]);
  });

  it("fails closed on a roleName unknown during preview", async () => {
    expect(await runResource(policy, roleBinding({ roleName: UNKNOWN }))).toEqual([UNKNOWN_ROLE]);
    expect(await runResource(policy, roleBinding({ roleName: UNKNOWN, principal: UNKNOWN }))).toEqual([
      UNKNOWN_ROLE,
    ]);
  });

  it("does not need the crnPattern: an unknown one changes nothing", async () => {
    expect(await runResource(policy, roleBinding({ crnPattern: UNKNOWN }))).toEqual([]);
    expect(
      await runResource(
        policy,
        roleBinding({ principal: "User:sa-ci0001", roleName: "OrganizationAdmin", crnPattern: UNKNOWN }),
      ),
    ).toEqual([message("User:sa-ci0001")]);
  });
});
