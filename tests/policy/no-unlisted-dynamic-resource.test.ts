import { noUnlistedDynamicResource as policy } from "pulumi-confluent-iam/policy";
import { specs } from "../../provider/specs";
import { apiKey, ipGroup, ORG, roleBinding, runStack, urnOf, type TestResource } from "./helpers";

// The exact input of issue 23: a role binding created through the package's provider under the plain
// dynamic.Resource type, which no other policy looks at.
const bypass: TestResource = {
  cls: "pulumi-nodejs:dynamic:Resource",
  name: "x",
  props: {
    principal: "User:sa-ci0001",
    roleName: "OrganizationAdmin",
    crnPattern: `crn://confluent.cloud/organization=${ORG}`,
  },
};

const FIX =
  "which no policy of this pack can judge: it may create a role binding, API key or IP group that bypasses " +
  "every check. Declare Confluent objects with this package's classes (RoleBinding, ApiKey, IpGroup, …); if " +
  "this resource is not a Confluent object, add its type or URN to this policy's allowedResources config.";

describe("no-unlisted-dynamic-resource", () => {
  it("is a mandatory stack policy with an allowedResources setting", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
    expect("validateStack" in policy).toBe(true);
    expect(policy.configSchema?.properties).toHaveProperty("allowedResources");
  });

  it("passes a stack of this package's classes (every SDK class)", async () => {
    // Every SDK class: one per spec of the provider (tests/invariants.test.ts).
    const classes = specs.map((s) => s.kind);
    const resources = classes.map((cls, i) => ({ cls, name: `r${i}`, props: {} }));
    expect(await runStack(policy, [...resources, roleBinding(), apiKey(), ipGroup()])).toEqual([]);
    // Non-dynamic resources are none of its business.
    expect(await runStack(policy, [{ cls: "aws:s3/bucket:Bucket", name: "b", props: {} }])).toEqual([]);
  });

  it("reports a plain pulumi-nodejs:dynamic:Resource (evasion of issue 23: bypass by type)", async () => {
    expect(await runStack(policy, [roleBinding(), bypass])).toEqual([
      {
        message: `"x" is a plain pulumi.dynamic.Resource ("pulumi-nodejs:dynamic:Resource"), ${FIX}`,
        urn: urnOf(bypass),
      },
    ]);
  });

  it("reports a dynamic resource of another module, and one under this module with a type no class registers", async () => {
    const other: TestResource = { cls: "pulumi-nodejs:dynamic/acme:Dns", name: "dns", props: {} };
    const fake: TestResource = { cls: "pulumi-nodejs:dynamic/confluent:OrgAdmin", name: "fake", props: {} };
    expect(await runStack(policy, [other, fake])).toEqual([
      {
        message: `"dns" is a dynamic resource of type "pulumi-nodejs:dynamic/acme:Dns", ${FIX}`,
        urn: urnOf(other),
      },
      {
        message:
          `"fake" is a dynamic resource under this package's module with a type no SDK class registers ` +
          `("pulumi-nodejs:dynamic/confluent:OrgAdmin"), ${FIX}`,
        urn: urnOf(fake),
      },
    ]);
  });

  it("passes what allowedResources lists, by type token or by URN, and only that", async () => {
    const dns: TestResource = { cls: "pulumi-nodejs:dynamic/acme:Dns", name: "dns", props: {} };
    expect(await runStack(policy, [dns], { allowedResources: ["pulumi-nodejs:dynamic/acme:Dns"] })).toEqual(
      [],
    );
    expect(await runStack(policy, [bypass], { allowedResources: [urnOf(bypass)] })).toEqual([]);
    const other = { ...bypass, name: "y" };
    expect(await runStack(policy, [bypass, other], { allowedResources: [urnOf(bypass)] })).toEqual([
      {
        message: `"y" is a plain pulumi.dynamic.Resource ("pulumi-nodejs:dynamic:Resource"), ${FIX}`,
        urn: urnOf(other),
      },
    ]);
  });

  it("treats a malformed config as an empty allow-list", async () => {
    expect(
      await runStack(policy, [bypass], { allowedResources: "pulumi-nodejs:dynamic:Resource" }),
    ).toHaveLength(1);
  });

  it("reports a hand-registered resource under this package's type token carrying another class's properties", async () => {
    const disguised: TestResource = {
      cls: "IpFilter",
      name: "not-a-filter",
      props: bypass.props,
    };
    const openGroup: TestResource = {
      cls: "ServiceAccount",
      name: "not-an-account",
      props: { cidrBlocks: ["0.0.0.0/0"] },
    };
    expect(await runStack(policy, [disguised, openGroup, roleBinding(), ipGroup()])).toEqual([
      {
        message:
          '"not-a-filter" is registered as IpFilter but carries "roleName", a property of RoleBinding: a dynamic ' +
          "resource registered by hand under this package's type token, which the RoleBinding policies never see. " +
          "Declare it with the RoleBinding class.",
        urn: urnOf(disguised),
      },
      {
        message:
          '"not-an-account" is registered as ServiceAccount but carries "cidrBlocks", a property of IpGroup: a ' +
          "dynamic resource registered by hand under this package's type token, which the IpGroup policies never " +
          "see. Declare it with the IpGroup class.",
        urn: urnOf(openGroup),
      },
    ]);
  });
});
