import { environmentSeparation as policy } from "pulumi-confluent-iam/policy";
import { apiKey, ORG, roleBinding, runStack, UNKNOWN, urnOf } from "./helpers";

const ORG_CRN = `crn://confluent.cloud/organization=${ORG}`;
const env = (id: string) =>
  `${ORG_CRN}/environment=${id}/cloud-cluster=lkc-${id.slice(4)}/kafka=lkc-${id.slice(4)}/topic=orders`;
const CONFIG = { productionEnvironments: ["env-prod01"] };
const FIX =
  "Use separate principals for production (env-prod01) and for other environments, and grant roles at the " +
  "environment or below rather than at the organization.";

// Baseline: one principal per side, each writing only in its own environments.
const baseline = () => [
  roleBinding(
    { principal: "User:sa-prod", roleName: "DeveloperWrite", crnPattern: env("env-prod01") },
    "prod-writer",
  ),
  roleBinding(
    { principal: "User:sa-dev", roleName: "DeveloperWrite", crnPattern: env("env-dev01") },
    "dev-writer",
  ),
  roleBinding(
    { principal: "User:sa-dev", roleName: "DeveloperRead", crnPattern: env("env-prod01") },
    "dev-reads-prod",
  ),
  apiKey(),
];

describe("environment-separation", () => {
  it("is a mandatory stack policy configured with the production environments", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(Object.keys(policy.configSchema?.properties ?? {})).toEqual(["productionEnvironments"]);
  });

  it("passes the baseline: writers separated, reading across is fine", async () => {
    expect(await runStack(policy, baseline(), CONFIG)).toEqual([]);
  });

  it("rule 1: reports a principal with write-level roles in a production and a non-production environment", async () => {
    const mutation = roleBinding(
      { principal: "User:sa-prod", roleName: "ResourceOwner", crnPattern: env("env-dev01") },
      "prod-owns-dev",
    );
    expect(await runStack(policy, [...baseline(), mutation], CONFIG)).toEqual([
      {
        message:
          '"User:sa-prod" can write in both production and non-production: DeveloperWrite on env-prod01 ' +
          '(RoleBinding "prod-writer") and ResourceOwner on env-dev01 (RoleBinding "prod-owns-dev"). ' +
          FIX,
        urn: urnOf(mutation),
      },
    ]);
  });

  it("rule 2: counts a write-level role at the organization as every environment", async () => {
    const mutation = roleBinding(
      { principal: "User:sa-dev", roleName: "AccountAdmin", crnPattern: ORG_CRN },
      "dev-account-admin",
    );
    expect(await runStack(policy, [...baseline(), mutation], CONFIG)).toEqual([
      {
        message:
          '"User:sa-dev" can write in both production and non-production: AccountAdmin on the organization ' +
          '(every environment) (RoleBinding "dev-account-admin") and DeveloperWrite on env-dev01 (RoleBinding ' +
          '"dev-writer"). ' +
          FIX,
        urn: urnOf(roleBinding({}, "dev-writer")),
      },
    ]);
    const alone = roleBinding(
      { principal: "User:sa-ops", roleName: "OrganizationAdmin", crnPattern: ORG_CRN },
      "ops",
    );
    expect(await runStack(policy, [...baseline(), alone], CONFIG)).toEqual([
      {
        message:
          '"User:sa-ops" can write in both production and non-production: OrganizationAdmin on the organization ' +
          '(every environment) (RoleBinding "ops"), which counts in production and non-production alike. ' +
          FIX,
        urn: urnOf(alone),
      },
    ]);
  });

  it("rule 3: read-level roles do not count (the role table's levels)", async () => {
    const mutation = roleBinding(
      { principal: "User:sa-prod", roleName: "DeveloperRead", crnPattern: env("env-dev01") },
      "prod-reads-dev",
    );
    const orgRead = roleBinding(
      { principal: "User:sa-prod", roleName: "MetricsViewer", crnPattern: ORG_CRN },
      "m",
    );
    expect(await runStack(policy, [...baseline(), mutation, orgRead], CONFIG)).toEqual([]);
  });

  it("rule 4: which environments are production is configurable; with none configured nothing is judged", async () => {
    const both = [
      ...baseline(),
      roleBinding(
        { principal: "User:sa-prod", roleName: "DeveloperWrite", crnPattern: env("env-dev01") },
        "x",
      ),
    ];
    expect(await runStack(policy, both)).toEqual([]);
    expect(
      await runStack(policy, baseline(), { productionEnvironments: ["env-prod01", "env-dev01"] }),
    ).toEqual([]);
    expect(await runStack(policy, baseline(), { productionEnvironments: ["env-dev01"] })).toEqual([]);
    expect(await runStack(policy, both, { productionEnvironments: ["env-dev01"] })).toHaveLength(1);
  });

  it("rule 5: bindings outside any environment (a service account, an identity pool) do not count", async () => {
    const sa = roleBinding(
      {
        principal: "User:sa-prod",
        roleName: "ResourceOwner",
        crnPattern: `${ORG_CRN}/service-account=sa-dev`,
      },
      "owns-sa",
    );
    expect(await runStack(policy, [...baseline(), sa], CONFIG)).toEqual([]);
  });

  it.each([
    ["principal", { principal: UNKNOWN }],
    ["roleName", { roleName: UNKNOWN }],
    ["crnPattern", { crnPattern: UNKNOWN }],
  ])("does not judge a binding whose %s is unknown during preview", async (_label, unknown) => {
    const mutation = roleBinding(
      { principal: "User:sa-prod", roleName: "DeveloperWrite", crnPattern: env("env-dev01"), ...unknown },
      "later",
    );
    expect(await runStack(policy, [...baseline(), mutation], CONFIG)).toEqual([]);
  });
});
