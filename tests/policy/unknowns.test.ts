// What every policy does with each property it reads when that property is unknown at preview (issue 18):
// high-risk checks fail closed (report), style and review checks skip. policy/README.md states the same
// table; exact messages are asserted in each policy's own test file.
import { policies } from "pulumi-confluent-iam/policy";
import {
  apiKey,
  CLUSTER_CRN,
  ipGroup,
  ORG,
  roleBinding,
  runAny,
  UNKNOWN,
  type TestResource,
} from "./helpers";

const ORG_CRN = `crn://confluent.cloud/organization=${ORG}`;
const PROD = { productionEnvironments: ["env-demo01"] };

// For each policy: [property, a resource that the policy would judge with that property unknown, config,
// what the policy does]. The resource is chosen so that, were the value known and bad, the policy would
// report it: a skip is a real skip, not a resource the policy ignores anyway.
const TABLE: [string, string, TestResource[], Record<string, unknown>, "reports" | "skips"][] = [
  ["role-binding-known-role", "roleName", [roleBinding({ roleName: UNKNOWN })], {}, "skips"],
  ["role-binding-crn-well-formed", "crnPattern", [roleBinding({ crnPattern: UNKNOWN })], {}, "skips"],
  [
    "role-binding-scope-fits-role",
    "roleName",
    [roleBinding({ roleName: UNKNOWN, crnPattern: CLUSTER_CRN })],
    {},
    "skips",
  ],
  [
    "role-binding-scope-fits-role",
    "crnPattern",
    [roleBinding({ roleName: "OrganizationAdmin", crnPattern: UNKNOWN })],
    {},
    "skips",
  ],
  ["role-binding-no-org-admin", "roleName", [roleBinding({ roleName: UNKNOWN })], {}, "reports"],
  [
    "role-binding-no-org-admin",
    "principal",
    [roleBinding({ principal: UNKNOWN, roleName: "OrganizationAdmin", crnPattern: ORG_CRN })],
    {},
    "reports",
  ],
  ["role-binding-no-privileged-role", "roleName", [roleBinding({ roleName: UNKNOWN })], {}, "skips"],
  [
    "role-binding-no-privileged-role",
    "principal",
    [roleBinding({ principal: UNKNOWN, roleName: "AccountAdmin", crnPattern: ORG_CRN })],
    {},
    "reports",
  ],
  [
    "role-binding-no-broad-write",
    "roleName",
    [roleBinding({ roleName: UNKNOWN, crnPattern: CLUSTER_CRN })],
    {},
    "skips",
  ],
  [
    "role-binding-no-broad-write",
    "crnPattern",
    [roleBinding({ roleName: "DeveloperWrite", crnPattern: UNKNOWN })],
    {},
    "skips",
  ],
  ["role-binding-principal-format", "principal", [roleBinding({ principal: UNKNOWN })], {}, "skips"],
  ...(["principal", "roleName", "crnPattern"] as const).map(
    (key): [string, string, TestResource[], Record<string, unknown>, "skips"] => [
      "role-binding-no-duplicates",
      key,
      [roleBinding({}, "a"), roleBinding({ [key]: UNKNOWN }, "b")],
      {},
      "skips",
    ],
  ),
  ...(["principal", "roleName", "crnPattern"] as const).map(
    (key): [string, string, TestResource[], Record<string, unknown>, "skips"] => [
      "environment-separation",
      key,
      [
        roleBinding({ roleName: "DeveloperWrite" }, "prod"),
        roleBinding({ roleName: "DeveloperWrite", crnPattern: ORG_CRN, [key]: UNKNOWN }, "org"),
      ],
      PROD,
      "skips",
    ],
  ),
  ["api-key-owned-by-service-account", "owner", [apiKey({ owner: UNKNOWN })], {}, "skips"],
  [
    "api-key-owned-by-service-account",
    "owner.id (kind User)",
    [apiKey({ owner: { id: UNKNOWN, kind: "User" } })],
    {},
    "reports",
  ],
  [
    "api-key-owned-by-service-account",
    "owner.id (no kind)",
    [apiKey({ owner: { id: UNKNOWN } })],
    {},
    "skips",
  ],
  [
    "api-key-owned-by-service-account",
    "owner.kind",
    [apiKey({ owner: { id: "u-demo01", kind: UNKNOWN } })],
    {},
    "reports",
  ],
  ["api-key-described", "description", [apiKey({ description: UNKNOWN })], {}, "skips"],
  ["ip-group-no-open-cidr", "cidrBlocks", [ipGroup({ cidrBlocks: UNKNOWN })], {}, "reports"],
  [
    "ip-group-no-open-cidr",
    "cidrBlocks[i]",
    [ipGroup({ cidrBlocks: ["0.0.0.0/2", UNKNOWN] })],
    {},
    "reports",
  ],
  ["ip-groups-no-open-union", "cidrBlocks", [ipGroup({ cidrBlocks: UNKNOWN })], {}, "skips"],
  [
    "identity-pool-no-open-filter",
    "filter",
    [
      {
        cls: "IdentityPool",
        name: "ci",
        props: { filter: UNKNOWN, principal: "pool-abc1", identityProvider: { id: "op-1" } },
      },
      roleBinding({ principal: "User:pool-abc1", roleName: "OrganizationAdmin", crnPattern: ORG_CRN }),
    ],
    {},
    "skips",
  ],
  [
    "ip-groups-no-open-union",
    "cidrBlocks[i]",
    [ipGroup({ cidrBlocks: ["198.51.100.0/24", UNKNOWN] })],
    {},
    "skips",
  ],
];

describe("unknown values at preview, per policy and property", () => {
  it("covers every policy that reads properties (no-unlisted-dynamic-resource reads only the type, always known)", () => {
    const covered = new Set(TABLE.map(([name]) => name));
    expect(policies.map((p) => p.name).filter((n) => !covered.has(n))).toEqual([
      "no-unlisted-dynamic-resource",
    ]);
  });

  it.each(TABLE.map(([n, p, r, c, e]) => [n, p, e, r, c] as const))(
    "%s, %s unknown: %s",
    async (name, _property, expected, resources, config) => {
      const policy = policies.find((p) => p.name === name);
      if (policy === undefined) throw new Error(`no policy ${name}`);
      const messages = await runAny(policy, resources, config);
      if (expected === "skips") expect(messages).toEqual([]);
      else expect(messages).toHaveLength(1);
    },
  );
});
