import { roleBindingKnownRole as policy } from "pulumi-confluent-iam/policy";
import { PREDEFINED_ROLES } from "../../policy/shared/roles";
import { apiKey, DELETE, roleBinding, runResource, UNKNOWN } from "./helpers";

describe("role-binding-known-role", () => {
  it("is mandatory", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it("passes the baseline and every predefined role", async () => {
    expect(await runResource(policy, roleBinding())).toEqual([]);
    for (const roleName of PREDEFINED_ROLES)
      expect(await runResource(policy, roleBinding({ roleName }))).toEqual([]);
  });

  it("suggests the nearest role for a typo", async () => {
    expect(await runResource(policy, roleBinding({ roleName: "DevloperRead" }))).toEqual([
      'roleName "DevloperRead" is not a Confluent Cloud predefined role; did you mean "DeveloperRead"? ' +
        "Role names are case-sensitive.",
    ]);
  });

  it("rejects a role in the wrong case (the API's names are case-sensitive) and suggests the right case", async () => {
    expect(await runResource(policy, roleBinding({ roleName: "organizationadmin" }))).toEqual([
      'roleName "organizationadmin" is not a Confluent Cloud predefined role; did you mean "OrganizationAdmin"? ' +
        "Role names are case-sensitive.",
    ]);
  });

  it("suggests the closest role for a Confluent Platform role name", async () => {
    expect(await runResource(policy, roleBinding({ roleName: "ClusterAdmin" }))).toEqual([
      'roleName "ClusterAdmin" is not a Confluent Cloud predefined role; did you mean "CloudClusterAdmin"? ' +
        "Role names are case-sensitive.",
    ]);
  });

  it("reports a roleName that is not a string", async () => {
    expect(await runResource(policy, roleBinding({ roleName: 7 }))).toEqual([
      `roleName must be a string naming one of Confluent Cloud's predefined roles, e.g. "DeveloperRead".`,
    ]);
  });

  it("does not judge a roleName unknown during preview, or absent", async () => {
    expect(await runResource(policy, roleBinding({ roleName: UNKNOWN }))).toEqual([]);
    expect(await runResource(policy, roleBinding({ roleName: DELETE }))).toEqual([]);
  });

  it("ignores other resource types, matched by type token", async () => {
    expect(await runResource(policy, { ...apiKey(), props: { roleName: "Nope" } })).toEqual([]);
    expect(
      await runResource(policy, {
        ...roleBinding({ roleName: "Nope" }),
        cls: "pulumi-nodejs:dynamic/other:RoleBinding",
      }),
    ).toEqual([]);
  });
});
