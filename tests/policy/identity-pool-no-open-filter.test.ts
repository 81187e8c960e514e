import { identityPoolNoOpenFilter as policy } from "pulumi-confluent-iam/policy";
import { filterHoldsAlways } from "../../policy/shared/pool-filter";
import { ORG, roleBinding, runStack, UNKNOWN, type TestResource } from "./helpers";

const pool = (filter: string, principal: unknown = "pool-abc1", name = "ci-deploy"): TestResource => ({
  cls: "IdentityPool",
  name,
  props: {
    identityProvider: { id: "op-abc1" },
    displayName: name,
    description: "",
    identityClaim: "claims.sub",
    filter,
    principal,
  },
});
const admin = (roleName = "OrganizationAdmin", principal: unknown = "User:pool-abc1", name = "ci-role") =>
  roleBinding({ principal, roleName, crnPattern: `crn://confluent.cloud/organization=${ORG}` }, name);
const message = (filter: string, role = "OrganizationAdmin", binding = "ci-role", name = "ci-deploy") =>
  `identity pool "${name}" has a filter that every token of its identity provider matches ` +
  `(${JSON.stringify(filter)}), and role binding "${binding}" grants it ${role}: any workload that can get a ` +
  `token from that identity provider acts as ${role}. Restrict the filter to the workloads that need the ` +
  `role, such as claims.repository == "acme/iam" && claims.ref == "refs/heads/main".`;

describe("identity-pool-no-open-filter", () => {
  it("is a mandatory stack policy", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.name).toBe("identity-pool-no-open-filter");
  });

  it.each([
    "true",
    "has(claims.sub)",
    "has(claims.iss) && true",
    'claims.repository == "acme/iam" || ',
    ' || claims.repository == "acme/iam"',
    '(claims.ref == "refs/heads/main" || true)',
    '!(claims.ref == "x") || has(claims.aud)',
    '"a" == "a"',
  ])("reports %j bound to OrganizationAdmin", async (filter) => {
    expect(await runStack(policy, [pool(filter), admin()])).toEqual([{ message: message(filter) }]);
  });

  it("reports every admin role (AccountAdmin, EnvironmentAdmin, …), each binding once", async () => {
    const r = await runStack(policy, [
      pool("true"),
      admin("AccountAdmin", "User:pool-abc1", "a"),
      admin("EnvironmentAdmin", "User:pool-abc1", "b"),
    ]);
    expect(r).toEqual([
      { message: message("true", "AccountAdmin", "a") },
      { message: message("true", "EnvironmentAdmin", "b") },
    ]);
  });

  it.each([
    'claims.repository == "acme/iam" && claims.ref == "refs/heads/main"',
    'has(claims.sub) && claims.repository == "acme/iam"',
    "has(claims.email)",
    "false || false",
    'claims.aud=="confluent" && claims.group!="invalid_group"',
  ])("passes the restricted filter %j", async (filter) => {
    expect(await runStack(policy, [pool(filter), admin()])).toEqual([]);
  });

  it("passes an open pool bound to a role that administers nothing, and an admin binding of another principal", async () => {
    expect(await runStack(policy, [pool("true"), admin("DeveloperRead")])).toEqual([]);
    expect(await runStack(policy, [pool("true"), admin("OrganizationAdmin", "User:sa-abc123")])).toEqual([]);
  });

  it("cannot link a binding to a pool whose id is not known yet (a first preview); the up that creates them reports it", async () => {
    expect(await runStack(policy, [pool("true", UNKNOWN), admin("OrganizationAdmin", UNKNOWN)])).toEqual([]);
  });

  it("does not judge a filter it cannot parse (the API does)", () => {
    expect(filterHoldsAlways("claims.a ~ 1")).toBeUndefined();
    expect(filterHoldsAlways("(true")).toBeUndefined();
    expect(filterHoldsAlways("true")).toBe("always");
    expect(filterHoldsAlways("false")).toBe("never");
    expect(filterHoldsAlways('claims["x-y"] == "a"')).toBe("depends");
    expect(filterHoldsAlways('"ci" in claims.groups')).toBe("depends");
  });
});
