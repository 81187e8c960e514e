/**
 * What every object must have, stated once: the spec registry (provider/specs/index.ts `specs`) is the list
 * of objects, and each other place that must know an object is checked against it. A failure names the
 * object and the file to add it to.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as sdk from "pulumi-confluent-iam";
import { adapters } from "pulumi-confluent-iam/provider";
import { specs } from "../provider/specs";
import { fixtures } from "../bench/fixtures";
import { oneOfEach } from "../bench/state-size";
import { EXPORT, kindsWithoutExport } from "../runner/export/kinds";
import { coreTable, extendedTable, table } from "../testing/table";
import {
  recordedFolderOf,
  responseBodyFolders,
  specsByRecordedFolder,
} from "./provider/support/recorded-folders";

const kinds = specs.map((s) => s.kind);
const exported = sdk as unknown as Record<string, unknown>;

/** `<kind>: <what is missing>` for every kind `has` refuses. */
function missing(has: (kind: string) => boolean, what: string): string[] {
  return kinds.filter((k) => !has(k)).map((k) => `${k}: ${what}`);
}

/** Names exported from sdk/index.ts that are resource classes. */
function sdkClasses(): string[] {
  return Object.entries(exported)
    .filter(
      ([, v]) =>
        typeof v === "function" && (v as { prototype: unknown }).prototype instanceof pulumi.CustomResource,
    )
    .map(([name]) => name);
}

/** The classes of README.md's object table (`| \`ServiceAccount\` | …`). */
function readmeObjectRows(): string[] {
  const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8").split("\n");
  const header = readme.findIndex((l) => l.startsWith("| class | updates in place |"));
  if (header < 0)
    throw new Error('README.md has no object table (a header "| class | updates in place | …")');
  const rows: string[] = [];
  for (const line of readme.slice(header + 2)) {
    const m = /^\| `(\w+)` \|/.exec(line);
    if (!m) break;
    rows.push(m[1]!);
  }
  return rows;
}

describe("every spec of provider/specs/index.ts has", () => {
  it("a distinct kind, and an adapter under it", () => {
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(Object.keys(adapters)).toEqual(kinds);
  });

  it("an SDK class exported from sdk/index.ts, and every SDK class has a spec", () => {
    const classes = sdkClasses();
    expect([
      ...missing(
        (k) => classes.includes(k),
        "no resource class of this name exported from sdk/index.ts; add one (sdk/<object>.ts) and export it",
      ),
      ...classes
        .filter((c) => !kinds.includes(c))
        .map(
          (c) =>
            `${c}: exported from sdk/index.ts but has no spec; add it to specs in provider/specs/index.ts`,
        ),
    ]).toEqual([]);
  });

  it("a scenario entry in testing/table.ts, in the faults run of exactly one half", () => {
    expect([
      ...missing((k) => table.some((e) => e.kind === k), "no scenario entry; add one to testing/table.ts"),
      ...table
        .filter((e) => !kinds.includes(e.kind))
        .map((e) => `${e.kind}: a scenario entry without a spec; remove it from testing/table.ts`),
    ]).toEqual([]);
    // faults.test.ts runs coreTable, faults-extended.test.ts extendedTable: together, each entry once.
    expect([...coreTable, ...extendedTable].map((e) => e.kind).sort()).toEqual(
      table.map((e) => e.kind).sort(),
    );
    expect(new Set(table.map((e) => e.kind)).size).toBe(table.length);
  });

  it("a bench fixture (bench/fixtures.ts, read from the entries of testing/table.ts)", () => {
    expect([
      ...missing(
        (k) => fixtures.some((f) => f.kind === k),
        "no bench fixture; add its entry to testing/table.ts (bench/fixtures.ts reads it)",
      ),
      ...fixtures
        .filter((f) => !kinds.includes(f.kind))
        .map((f) => `${f.kind}: a bench fixture without a spec; remove its entry from testing/table.ts`),
    ]).toEqual([]);
  });

  it("fixtures that exercise an update exactly when the spec updates in place, a replace exactly when it replaces", () => {
    const problems: string[] = [];
    for (const s of specs) {
      const where = "testing/table.ts and bench/fixtures.ts";
      const entry = table.find((e) => e.kind === s.kind);
      const fixture = fixtures.find((f) => f.kind === s.kind);
      const updates = s.updateInPlace.length > 0;
      const replaces = s.replaceOnChange.length > 0;
      if (entry && Boolean(entry.update ?? entry.updateRefused) !== updates)
        problems.push(
          `${s.kind}: scenario update ${updates ? "missing" : "for an object without in-place fields"} (${where})`,
        );
      if (fixture && Boolean(fixture.update ?? fixture.updateRefused) !== updates)
        problems.push(
          `${s.kind}: bench update ${updates ? "missing" : "for an object without in-place fields"} (${where})`,
        );
      if (entry && Boolean(entry.replace) !== replaces)
        problems.push(
          `${s.kind}: scenario replace ${replaces ? "missing" : "for an object that never replaces"} (${where})`,
        );
      if (fixture && Boolean(fixture.replace) !== replaces)
        problems.push(
          `${s.kind}: bench replace ${replaces ? "missing" : "for an object that never replaces"} (${where})`,
        );
    }
    expect(problems).toEqual([]);
  });

  it("a state-size declaration (bench.state of its entry in testing/table.ts) when it can be created", () => {
    expect(
      missing((k) => {
        const entry = table.find((e) => e.kind === k);
        return entry === undefined || entry.existing !== undefined || entry.bench?.state !== undefined;
      }, "no bench.state (its object in the state-size benchmark) in its entry of testing/table.ts; add one"),
    ).toEqual([]);
    expect(new Set(oneOfEach("t").map((d) => d.name)).size).toBe(oneOfEach("t").length);
  });

  it("an entry in runner/export/kinds.ts EXPORT: how export reads it, or why it cannot", () => {
    expect([
      ...kindsWithoutExport().map(
        (k) =>
          `${k}: confluent-iam export neither exports it nor says why; add it to EXPORT in runner/export/kinds.ts ` +
          "(fromSpec(…), or { notExported: <reason> })",
      ),
      ...Object.keys(EXPORT)
        .filter((k) => !kinds.includes(k))
        .map((k) => `${k}: an EXPORT entry in runner/export/kinds.ts without a spec; remove it`),
    ]).toEqual([]);
    // A kind that is not exported says why, in words.
    expect(
      Object.entries(EXPORT)
        .filter(([, e]) => "notExported" in e)
        .map(([k, e]) => [k, "notExported" in e && e.notExported.length > 20]),
    ).toEqual([
      ["ApiKeyRotation", true],
      ["AzureMarketplaceApiKey", true],
    ]);
  });

  it("a row in README.md's object table", () => {
    const rows = readmeObjectRows();
    expect(
      missing((k) => rows.includes(k), "no row in README.md's object table (| `Kind` | …); add one"),
    ).toEqual([]);
    expect(rows.filter((r) => !kinds.includes(r)).map((r) => `${r}: a README.md row without a spec`)).toEqual(
      [],
    );
  });
});

describe("the recorded real API bodies (/work/shared/recorded)", () => {
  it("each folder of recorded responses is the collection of a spec, so tests/provider/recorded.test.ts parses it", () => {
    const covered = specsByRecordedFolder();
    expect(
      responseBodyFolders()
        .filter((f) => !covered.has(f))
        .map(
          (f) =>
            `${f}: recorded responses no spec's item route lives under; add the object's spec to ` +
            "provider/specs/index.ts (its item route decides its folder, see tests/provider/support/recorded-folders.ts)",
        ),
    ).toEqual([]);
  });

  it("the folder of a spec is its item route's API, version and collection", () => {
    expect(specs.map((s) => [s.kind, recordedFolderOf(s)])).toEqual(
      expect.arrayContaining([
        ["ServiceAccount", "iam-v2/service-accounts"],
        ["IdentityPool", "iam-v2/identity-pools"],
        ["ProviderIntegration", "pim-v1/integrations"],
        ["ByokKey", "byok-v1/keys"],
      ]),
    );
  });
});
