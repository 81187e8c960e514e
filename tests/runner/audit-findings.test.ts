// The audit's pure parts: which identity-pool filters let every token in, ages, scopes, exit codes, the
// access map, and levels from configuration (a disabled rule reports nothing).
import * as fc from "fast-check";
import type { ReadObject } from "../../runner/export/kinds";
import {
  accessMap,
  matchesEveryToken,
  organizationFindings,
  parseAge,
  scopeOf,
} from "../../runner/audit/findings";
import { exitCodeOf, type Finding } from "../../runner/audit/report";

describe("matchesEveryToken", () => {
  it.each([
    ["true", true],
    [" ( true ) ", true],
    ["has(claims.sub)", true],
    ["has( claims.sub )", true],
    ['claims.aud == "orders" || ', true],
    [' || claims.aud == "orders"', true],
    ['claims.aud == "orders" || true', true],
    ['(claims.aud == "a") || (has(claims.sub))', true],
    ['claims.aud == "orders"', false],
    ['claims.sub == "true"', false],
    ['claims.aud == "a || b"', false], // `||` inside a string literal is no branch
    ['(claims.aud == "a" || true) && claims.iss == "x"', false], // the `&&` narrows it
    ["has(claims.subject)", false],
    ['claims.aud == "orders" && has(claims.sub)', false],
  ])("%j → %s", (filter, expected) => {
    expect(matchesEveryToken(filter)).toBe(expected);
  });

  it("any filter joined by || with an always-true branch matches every token", () => {
    const narrow = fc.stringMatching(/^claims\.[a-z]{1,8} == "[a-z]{0,8}"$/);
    fc.assert(
      fc.property(
        fc.array(narrow, { maxLength: 4 }),
        fc.constantFrom("true", "has(claims.sub)", ""),
        fc.nat(4),
        (branches, open, at) => {
          const all = [...branches];
          all.splice(Math.min(at, all.length), 0, open);
          expect(matchesEveryToken(all.join(" || "))).toBe(true);
          expect(matchesEveryToken(branches.join(" && ") || 'claims.aud == "x"')).toBe(false);
        },
      ),
    );
  });
});

describe("parseAge", () => {
  it("reads minutes, hours, days and weeks", () => {
    expect(parseAge("90d")).toBe(90 * 86_400_000);
    expect(parseAge("12h")).toBe(12 * 3_600_000);
    expect(parseAge("30m")).toBe(30 * 60_000);
    expect(parseAge("2w")).toBe(14 * 86_400_000);
  });
  it("refuses anything else, naming the flag and the forms", () => {
    expect(() => parseAge("90")).toThrow(
      '--max-key-age expects a number and a unit (m, h, d or w) such as 90d, got "90"',
    );
    expect(() => parseAge("P90D")).toThrow('got "P90D"');
  });
});

it("scopeOf gives the CRN below the organization, URL-decoded", () => {
  const org = "crn://confluent.cloud/organization=o-1";
  expect(scopeOf(org)).toBe("organization");
  expect(scopeOf(`${org}/environment=env-1/cloud-cluster=lkc-1`)).toBe(
    "environment=env-1/cloud-cluster=lkc-1",
  );
  expect(scopeOf("crn%3A%2F%2Fconfluent.cloud%2Forganization%3Do-1%2Fenvironment%3Denv-2")).toBe(
    "environment=env-2",
  );
  expect(scopeOf("not a crn")).toBe("not a crn");
});

describe("exitCodeOf", () => {
  const f = (severity: Finding["severity"]): Finding => ({
    rule: "r",
    source: "organization",
    severity,
    message: "m",
    objects: [],
  });
  it.each([
    ["mandatory", [f("mandatory")], 1],
    ["mandatory", [f("advisory")], 0],
    ["advisory", [f("advisory")], 1],
    ["advisory", [], 0],
    ["never", [f("mandatory")], 0],
  ] as const)("--fail-on %s with %j exits %d", (failOn, findings, code) => {
    expect(exitCodeOf({ findings: [...findings] }, failOn)).toBe(code);
  });
});

const obj = (kind: ReadObject["kind"], id: string, inputs: Record<string, unknown>): ReadObject => ({
  kind,
  id,
  importId: id,
  inputs,
});
const ORG = "crn://confluent.cloud/organization=o-1";
const objects: ReadObject[] = [
  obj("ServiceAccount", "sa-1", { displayName: "ci" }),
  obj("RoleBinding", "rb-2", {
    principal: "User:sa-1",
    roleName: "EnvironmentAdmin",
    crnPattern: `${ORG}/environment=env-1`,
  }),
  obj("RoleBinding", "rb-1", {
    principal: "User:sa-1",
    roleName: "CloudClusterAdmin",
    crnPattern: `${ORG}/environment=env-1/cloud-cluster=lkc-1`,
  }),
  obj("RoleBinding", "rb-3", { principal: "User:sa-gone", roleName: "MetricsViewer", crnPattern: ORG }),
  obj("ApiKey", "KEY1", { owner: { id: "sa-gone" }, displayName: "k" }),
];

it("accessMap: one row per binding, sorted by principal, role and scope, with the principal's name when known", () => {
  expect(accessMap(objects)).toEqual([
    {
      principal: "User:sa-1",
      principalName: "ci",
      principalKind: "ServiceAccount",
      role: "CloudClusterAdmin",
      scope: "environment=env-1/cloud-cluster=lkc-1",
      crnPattern: `${ORG}/environment=env-1/cloud-cluster=lkc-1`,
      bindingId: "rb-1",
    },
    {
      principal: "User:sa-1",
      principalName: "ci",
      principalKind: "ServiceAccount",
      role: "EnvironmentAdmin",
      scope: "environment=env-1",
      crnPattern: `${ORG}/environment=env-1`,
      bindingId: "rb-2",
    },
    {
      principal: "User:sa-gone",
      principalKind: "unknown",
      role: "MetricsViewer",
      scope: "organization",
      crnPattern: ORG,
      bindingId: "rb-3",
    },
  ]);
});

describe("organizationFindings", () => {
  const base = {
    organizationId: "o-1",
    objects,
    createdAt: new Map([["ApiKey/KEY1", "2026-01-01T00:00:00Z"]]),
    kinds: ["ServiceAccount", "User", "ApiKey", "RoleBinding"],
    now: new Date("2026-04-11T00:00:00Z"), // 100 days later
    maxKeyAgeMs: 90 * 86_400_000,
  };
  const levels = {
    "unmanaged-object": "advisory",
    "api-key-orphaned": "mandatory",
    "api-key-too-old": "advisory",
    "service-account-idle": "advisory",
    "admin-role-holder": "advisory",
    "identity-pool-matches-every-token": "mandatory",
  } as const;

  it("one admin finding per principal, listing every binding that grants an admin role", () => {
    const admin = organizationFindings({ ...base, levels }).filter((x) => x.rule === "admin-role-holder");
    expect(admin).toEqual([
      {
        rule: "admin-role-holder",
        source: "organization",
        severity: "advisory",
        message:
          "User:sa-1 (ci) holds EnvironmentAdmin on environment=env-1 (rb-2), CloudClusterAdmin on environment=env-1/cloud-cluster=lkc-1 (rb-1). " +
          "Check that it still needs these roles; grant narrower roles where it does not.",
        objects: [
          { kind: "ServiceAccount", id: "sa-1", name: "ci" },
          { kind: "RoleBinding", id: "rb-2", name: "User:sa-1 EnvironmentAdmin on environment=env-1" },
          {
            kind: "RoleBinding",
            id: "rb-1",
            name: "User:sa-1 CloudClusterAdmin on environment=env-1/cloud-cluster=lkc-1",
          },
        ],
      },
    ]);
  });

  it("a key 100 days old is too old at 90d and not at 101d; the orphan is found; no state means no unmanaged finding", () => {
    const rules = (maxKeyAgeMs: number): string[] =>
      organizationFindings({ ...base, maxKeyAgeMs, levels })
        .map((x) => x.rule)
        .sort();
    expect(rules(90 * 86_400_000)).toEqual(["admin-role-holder", "api-key-orphaned", "api-key-too-old"]);
    expect(rules(101 * 86_400_000)).toEqual(["admin-role-holder", "api-key-orphaned"]);
  });

  it("a disabled rule reports nothing; a level set to advisory reports as advisory", () => {
    const found = organizationFindings({
      ...base,
      levels: {
        ...levels,
        "admin-role-holder": "disabled",
        "api-key-orphaned": "advisory",
        "api-key-too-old": "disabled",
      },
    });
    expect(found.map((x) => `${x.rule} ${x.severity}`)).toEqual(["api-key-orphaned advisory"]);
  });

  it("with state, every object it does not manage is reported, by kind and id", () => {
    const found = organizationFindings({
      ...base,
      managed: new Set(["ServiceAccount/sa-1", "RoleBinding/rb-1", "RoleBinding/rb-2", "RoleBinding/rb-3"]),
      levels,
    }).filter((x) => x.rule === "unmanaged-object");
    expect(found.map((x) => x.objects[0])).toEqual([{ kind: "ApiKey", id: "KEY1", name: "k" }]);
  });
});
