/**
 * README.md "Coverage of @pulumi/confluentcloud": every resource and data source of @pulumi/confluentcloud
 * 2.x (tests/fixtures/confluentcloud/names-2.x.json, its `sdk/nodejs/index.ts`) is either mapped in the
 * table to a counterpart of the same name that this package exports (a function with its `…Output`
 * variant), or left out in the list below the table; none is both, none is forgotten.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as sdk from "pulumi-confluent-iam";

interface Names {
  version: string;
  resources: string[];
  functions: string[];
}

const official = JSON.parse(
  fs.readFileSync(path.join(__dirname, "fixtures", "confluentcloud", "names-2.x.json"), "utf8"),
) as Names;
const exported = sdk as unknown as Record<string, unknown>;

/** The README section, split into the table's rows and the "left out" text after it. */
function coverageSection(): { rows: { theirs: string[]; ours: string[] }[]; leftOut: string[] } {
  const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  const start = readme.indexOf("## Coverage of @pulumi/confluentcloud");
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const names = (text: string): string[] =>
    [...text.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1] ?? "").filter((n) => n !== "");
  const rows = section
    .split("\n")
    .filter((l) => l.startsWith("| `"))
    .map((l) => {
      const cells = l.split("|").map((c) => c.trim());
      return { theirs: names(cells[1] ?? ""), ours: names(cells[2] ?? "") };
    });
  const leftOutAt = section.indexOf("Left out on purpose:");
  expect(leftOutAt).toBeGreaterThan(0);
  return { rows, leftOut: names(section.slice(leftOutAt)) };
}

describe(`README coverage of @pulumi/confluentcloud ${official.version}`, () => {
  const { rows, leftOut } = coverageSection();
  const mapped = rows.flatMap((r) => r.theirs);
  const all = [...official.resources, ...official.functions];

  it("names every resource and function of @pulumi/confluentcloud exactly once, mapped or left out", () => {
    const seen = [...mapped, ...leftOut.filter((n) => all.includes(n))];
    expect(all.filter((n) => !seen.includes(n))).toEqual([]);
    expect(seen.filter((n, i) => seen.indexOf(n) !== i)).toEqual([]);
    // Nothing in the table's first column that @pulumi/confluentcloud does not have.
    expect(mapped.filter((n) => !all.includes(n))).toEqual([]);
  });

  it("maps each to a counterpart of the same name", () => {
    expect(rows.flatMap((r) => r.theirs.filter((n) => !r.ours.includes(n)))).toEqual([]);
  });

  it("every counterpart is exported by the package (a lookup with its …Output variant)", () => {
    const ours = rows.flatMap((r) => r.ours);
    const expected = ours.flatMap((n) => (n.startsWith("get") ? [n, `${n}Output`] : [n]));
    expect(expected.filter((n) => typeof exported[n] !== "function")).toEqual([]);
  });

  it("the lookups of this package's IAM objects are all in the table", () => {
    const lookups = Object.keys(exported).filter((n) => /^get[A-Z]/.test(n) && !n.endsWith("Output"));
    expect(lookups.filter((n) => !rows.some((r) => r.ours.includes(n)))).toEqual([]);
  });
});
