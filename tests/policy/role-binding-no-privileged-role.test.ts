import { roleBindingNoPrivilegedRole as policy } from "pulumi-confluent-iam/policy";
import { CLUSTER_CRN, ORG, roleBinding, runResource, UNKNOWN } from "./helpers";

const ORG_CRN = `crn://confluent.cloud/organization=${ORG}`;
const ENV_CRN = `${ORG_CRN}/environment=env-demo01`;

const POWER: Record<string, [string, string]> = {
  AccountAdmin: [
    ORG_CRN,
    "manage every user and service account of the organization, and their role bindings",
  ],
  ResourceKeyAdmin: [
    ORG_CRN,
    "create and delete API keys for every resource of the organization, for any principal",
  ],
  EnvironmentAdmin: [ENV_CRN, "manage every cluster of the environment and grant roles on it to anyone"],
  CloudClusterAdmin: [CLUSTER_CRN, "manage the cluster, its API keys and who may access it"],
};

const message = (role: string, principal: string) =>
  `${role} lets "${principal}" ${POWER[role][1]}, and "${principal}" is not in allowedPrincipals; grant a ` +
  "narrower role (DeveloperRead/Write/Manage on the resources it needs) or, if this principal must hold it, " +
  "add it to this policy's allowedPrincipals config.";

describe("role-binding-no-privileged-role", () => {
  it("is advisory, with the same allowedPrincipals setting as role-binding-no-org-admin", () => {
    expect(policy.enforcementLevel).toBe("advisory");
    expect(policy.configSchema).toEqual({
      properties: {
        allowedPrincipals: {
          type: "array",
          items: { type: "string" },
          default: [],
          description:
            'Principals allowed to hold AccountAdmin, ResourceKeyAdmin, EnvironmentAdmin or CloudClusterAdmin, e.g. ["User:sa-platform"].',
        },
      },
    });
  });

  it("passes the baseline, resource roles and OrganizationAdmin (judged by role-binding-no-org-admin)", async () => {
    expect(await runResource(policy, roleBinding())).toEqual([]);
    expect(await runResource(policy, roleBinding({ roleName: "DeveloperManage" }))).toEqual([]);
    expect(
      await runResource(policy, roleBinding({ roleName: "OrganizationAdmin", crnPattern: ORG_CRN })),
    ).toEqual([]);
  });

  it.each(Object.keys(POWER))(
    "reports %s (evasion of issue 23: privileged roles nobody reviews)",
    async (role) => {
      const [crnPattern] = POWER[role];
      expect(await runResource(policy, roleBinding({ roleName: role, crnPattern }))).toEqual([
        message(role, "User:sa-abc123"),
      ]);
    },
  );

  it("passes an allow-listed principal, by full principal or bare id, and still reports others", async () => {
    const binding = (principal: string) =>
      roleBinding({ principal, roleName: "EnvironmentAdmin", crnPattern: ENV_CRN });
    expect(
      await runResource(policy, binding("User:sa-platform1"), { allowedPrincipals: ["User:sa-platform1"] }),
    ).toEqual([]);
    expect(
      await runResource(policy, binding("User:sa-platform1"), { allowedPrincipals: ["sa-platform1"] }),
    ).toEqual([]);
    expect(
      await runResource(policy, binding("User:sa-ci0001"), { allowedPrincipals: ["sa-platform1"] }),
    ).toEqual([message("EnvironmentAdmin", "User:sa-ci0001")]);
  });

  it("treats a malformed config as an empty allow-list", async () => {
    const binding = roleBinding({
      principal: "User:sa-platform1",
      roleName: "AccountAdmin",
      crnPattern: ORG_CRN,
    });
    expect(await runResource(policy, binding, { allowedPrincipals: "User:sa-platform1" })).toEqual([
      message("AccountAdmin", "User:sa-platform1"),
    ]);
  });

  it("reports a privileged role granted to a principal unknown during preview (it cannot be allow-listed)", async () => {
    expect(
      await runResource(
        policy,
        roleBinding({ principal: UNKNOWN, roleName: "ResourceKeyAdmin", crnPattern: ORG_CRN }),
        {
          allowedPrincipals: ["User:sa-platform1"],
        },
      ),
    ).toEqual([
      `ResourceKeyAdmin (which can ${POWER.ResourceKeyAdmin[1]}) is granted to a principal that is not known at ` +
        "preview; a principal that does not exist yet cannot be on allowedPrincipals. Create the principal first " +
        "and add its id to this policy's allowedPrincipals config, or grant a narrower role.",
    ]);
  });

  it("skips an unknown roleName (role-binding-no-org-admin reports it, mandatory) and an unknown crnPattern", async () => {
    expect(await runResource(policy, roleBinding({ roleName: UNKNOWN }))).toEqual([]);
    expect(
      await runResource(policy, roleBinding({ roleName: "CloudClusterAdmin", crnPattern: UNKNOWN })),
    ).toEqual([message("CloudClusterAdmin", "User:sa-abc123")]);
  });
});
