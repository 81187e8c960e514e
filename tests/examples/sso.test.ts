import { describeExampleLifecycle, exampleFolder, idOf } from "./harness";

const BINDINGS = [
  "developers-people-DataDiscovery-prod",
  "developers-people-EnvironmentAdmin-dev",
  "developers-workloads-DataDiscovery-prod",
  "developers-workloads-EnvironmentAdmin-dev",
  "platform-engineers-people-EnvironmentAdmin-prod",
  "platform-engineers-people-MetricsViewer-org",
  "platform-engineers-workloads-EnvironmentAdmin-prod",
  "platform-engineers-workloads-MetricsViewer-org",
];

describe("examples/sso", () => {
  describeExampleLifecycle({
    folder: "sso",
    project: "confluent-iam-sso",
    creates: [
      "create corporate-directory",
      "create developers",
      "create developers-workloads",
      "create platform-engineers",
      "create platform-engineers-workloads",
      ...BINDINGS.map((b) => `create ${b}`),
    ].sort(),
    // Each binding's CRN is the `resourceName` the lookups gave (getOrganizationOutput,
    // getEnvironmentOutput by display name), and its principal the group mapping's or pool's id.
    afterUp: (state) => {
      const org = "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001";
      const crns = { org, prod: `${org}/environment=env-prod01`, dev: `${org}/environment=env-demo01` };
      const bindings = state.resources.filter((r) => r.type.endsWith(":RoleBinding"));
      expect(bindings.map((b) => b.name).sort()).toEqual(BINDINGS);
      for (const b of bindings) {
        const [, group, who, role, on] =
          /^(.+)-(people|workloads)-([A-Za-z]+)-(org|prod|dev)$/.exec(b.name) ?? [];
        const principalOf = who === "people" ? (group ?? "") : `${group ?? ""}-workloads`;
        expect({ name: b.name, ...b.inputs }).toMatchObject({
          name: b.name,
          principal: `User:${idOf(state, principalOf)}`,
          roleName: role,
          crnPattern: crns[on as keyof typeof crns],
        });
      }
    },
    // A group's claim value changes: its mapping's and its pool's filters are updated in place; the
    // principals stay, so no role binding is touched.
    variant: {
      config: ["developersGroup=eng-developers"],
      plan: ["update developers", "update developers-workloads"],
      writes: (before) => [
        `PATCH /iam/v2/sso/group-mappings/${idOf(before, "developers")}`,
        `PATCH /iam/v2/identity-providers/${idOf(before, "corporate-directory")}/identity-pools/${idOf(before, "developers-workloads")}`,
      ],
    },
  });
});

it("examples/sso is a folder a user can run: Pulumi.yaml naming the project and index.ts, and a README", () => {
  expect(exampleFolder("sso")).toEqual({ project: "confluent-iam-sso", main: "index.ts", readme: true });
});
