import * as fs from "fs";
import * as path from "path";
import { policies, policyPackName } from "pulumi-confluent-iam/policy";
import { apiKey, DELETE, ipGroup, roleBinding, runAny, TOPIC_CRN, UNKNOWN } from "./helpers";

const CANARY = "CANARY-SECRET-d6f1e0c2-not-a-real-secret";

describe("the policy pack", () => {
  it("holds the fifteen policies, each with a kebab-case name, a one-sentence description and a level", () => {
    expect(policyPackName).toBe("confluent-iam");
    expect(policies.map((p) => [p.name, p.enforcementLevel])).toEqual([
      ["role-binding-known-role", "mandatory"],
      ["role-binding-crn-well-formed", "mandatory"],
      ["role-binding-scope-fits-role", "mandatory"],
      ["role-binding-no-org-admin", "mandatory"],
      ["role-binding-no-privileged-role", "advisory"],
      ["role-binding-no-broad-write", "advisory"],
      ["role-binding-principal-format", "mandatory"],
      ["role-binding-no-duplicates", "mandatory"],
      ["environment-separation", "mandatory"],
      ["api-key-owned-by-service-account", "advisory"],
      ["api-key-described", "advisory"],
      ["ip-group-no-open-cidr", "mandatory"],
      ["ip-groups-no-open-union", "mandatory"],
      ["identity-pool-no-open-filter", "mandatory"],
      ["no-unlisted-dynamic-resource", "mandatory"],
    ]);
    for (const p of policies) {
      expect(p.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(p.description).toMatch(/^[A-Z][^.]*\.$/);
    }
  });

  it("passes valid baselines of every resource kind under every policy", async () => {
    const resources = [roleBinding(), apiKey({ secret: CANARY }), ipGroup()];
    for (const policy of policies) expect(await runAny(policy, resources)).toEqual([]);
  });

  it("reports only the fail-closed checks when everything is unknown during preview", async () => {
    const unknowns = [
      roleBinding({ principal: UNKNOWN, roleName: UNKNOWN, crnPattern: UNKNOWN }),
      apiKey({ description: UNKNOWN, owner: UNKNOWN, secret: UNKNOWN }),
      ipGroup({ cidrBlocks: UNKNOWN }),
    ];
    const reporting: string[] = [];
    for (const policy of policies)
      if ((await runAny(policy, unknowns)).length > 0) reporting.push(policy.name);
    expect(reporting).toEqual(["role-binding-no-org-admin", "ip-group-no-open-cidr"]);
  });

  it("never prints a secret property's value, even when a key violates every policy it can", async () => {
    const leaky = apiKey({
      secret: CANARY,
      description: DELETE,
      owner: { id: "u-demo01", apiVersion: "iam/v2", kind: "User" },
    });
    const messages: string[] = [];
    for (const policy of policies) {
      messages.push(
        ...(await runAny(policy, [leaky, roleBinding({ principal: "sa-1", crnPattern: `${TOPIC_CRN}/x` })])),
      );
    }
    // The key still trips both API-key policies and the role binding two others: the check is not vacuous.
    expect(messages).toHaveLength(4);
    for (const message of messages) expect(message).not.toContain(CANARY);
  });

  it("has an example config whose every entry names a policy and only settings of its JSON schema", () => {
    const example = JSON.parse(
      fs.readFileSync(path.join(__dirname, "../../policy/policy-config.example.json"), "utf8"),
    ) as Record<string, unknown>;
    for (const [name, value] of Object.entries(example)) {
      const policy = policies.find((p) => p.name === name);
      expect(policy?.name).toBe(name);
      if (typeof value === "string") {
        expect(["advisory", "mandatory", "disabled"]).toContain(value);
        continue;
      }
      const known = Object.keys(policy?.configSchema?.properties ?? {});
      for (const key of Object.keys(value as object)) {
        if (key !== "enforcementLevel") expect(known).toContain(key);
      }
    }
    // Every policy with settings appears in the example.
    const withSettings = policies.filter((p) => p.configSchema !== undefined).map((p) => p.name);
    expect(withSettings.filter((n) => !(n in example))).toEqual([]);
  });
});
