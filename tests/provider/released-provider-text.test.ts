// Every stack keeps the serialized provider (`__provider`) of the version that last wrote each resource,
// and Pulumi's dynamic-provider host runs that text, not the current one, until the resource is written
// again. So the text of every released version must keep working with the current package. The text of
// 0.1.0 calls `require("pulumi-confluent-iam/provider").op[m](kind, ...args)`, so the op numbers and their
// arguments are a contract; later texts call each operation by name, `.kind(k).check(args)`.
// tests/fixtures/provider-text/<version>/<Class>.txt holds each release's text exactly as that version
// serialized it (`npm run capture-provider-text` at each release; never edit one), and `unreleased/` the
// text of the next release (`npm run capture-provider-text -- --version unreleased`).
import * as fs from "fs";
import * as path from "path";
import { captureRegistration } from "../../testing/capture";
import { startHarness, urnOf, type Harness, type ScenarioEntry } from "../../testing/scenario";
import { table } from "../../testing/table";
import type { PropertyMap } from "../../protocol";

const fixtures = path.join(__dirname, "..", "fixtures", "provider-text");
const released = fs
  .readdirSync(fixtures)
  .sort()
  .flatMap((version) =>
    fs
      .readdirSync(path.join(fixtures, version))
      .filter((f) => f.endsWith(".txt"))
      .sort()
      .map((file) => ({
        version,
        kind: file.replace(/\.txt$/, ""),
        text: fs.readFileSync(path.join(fixtures, version, file), "utf8"),
      })),
  );

function entryFor(kind: string): ScenarioEntry {
  const entry = table.find((e) => e.kind === kind);
  if (!entry) throw new Error(`tests/fixtures/provider-text has ${kind}.txt, which no table entry describes`);
  return entry;
}

function plain(props: PropertyMap): PropertyMap {
  const out = { ...props };
  delete out.__provider;
  return out;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** How the text of each version calls the provider module. */
function callsOf(version: string): string[] {
  if (version === "0.1.0") return ['require("pulumi-confluent-iam/provider").op[m](k, ...a)'];
  return [
    '() => require("pulumi-confluent-iam/provider").kind(k)',
    ...["configure", "check", "diff", "create", "read", "update", "delete"].map(
      (m) => `(...a) => f().${m}(a)`,
    ),
  ];
}

/** `unreleased` if stored, else the highest version: the folder holding the text the SDK makes today. */
function newestVersion(): string {
  const versions = [...new Set(released.map((r) => r.version))];
  if (versions.includes("unreleased")) return "unreleased";
  const parts = (v: string) => v.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return versions.sort((a, b) => {
    const [pa, pb] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      const [x, y] = [pa[i] ?? -1, pb[i] ?? -1];
      if (x !== y)
        return typeof x === "number" && typeof y === "number" ? x - y : String(x) < String(y) ? -1 : 1;
    }
    return 0;
  })[versions.length - 1]!;
}

it("keeps the provider text of 0.1.0 and of the newest version, for ServiceAccount and IpGroup", () => {
  const newest = newestVersion();
  expect(newest).not.toBe("0.1.0");
  expect(released.map((r) => `${r.version}/${r.kind}`)).toEqual(
    expect.arrayContaining([
      "0.1.0/IpGroup",
      "0.1.0/ServiceAccount",
      `${newest}/IpGroup`,
      `${newest}/ServiceAccount`,
    ]),
  );
  for (const r of released) {
    expect(r.text).toContain(`k: ${JSON.stringify(r.kind)}`);
    for (const call of callsOf(r.version)) expect(r.text).toContain(call);
  }
  for (const r of released.filter((x) => x.version !== "0.1.0")) expect(r.text).not.toContain(".op[");
});

it("stores the text the SDK serializes today, so that it is run here (capture it anew when it changes)", async () => {
  const newest = released.filter((r) => r.version === newestVersion());
  expect(newest.map((r) => r.kind).sort()).toEqual(["IpGroup", "ServiceAccount"]);
  for (const r of newest) {
    const { providerText } = await captureRegistration(entryFor(r.kind).register);
    expect(providerText).toBe(r.text);
  }
});

describe.each(released.map((r) => [`${r.version} ${r.kind}`, r] as const))(
  "the provider text of %s",
  (_label, { version, kind, text }) => {
    const entry = entryFor(kind);
    const urn = urnOf(kind, `released-${version}`);
    const tag = `v${version.replace(/\./g, "")}`;
    const withText = (p: PropertyMap): PropertyMap => ({ ...p, __provider: text });
    let inputs: PropertyMap = {};
    let id = "";
    let outs: PropertyMap = {};

    it("checks and creates through the dynamic-provider host, with one POST", async () => {
      const checked = await h.host.check(urn, {}, withText(entry.inputs({}, tag)));
      expect(checked.failures).toEqual([]);
      inputs = checked.inputs;
      await h.api.clearLog();
      const created = await h.host.create(urn, inputs);
      id = created.id;
      outs = created.outs;
      expect(id).not.toBe("");
      expect(plain(outs)).toMatchObject(entry.created({}, tag));
      const createPath = typeof entry.createPath === "string" ? entry.createPath : entry.createPath({});
      expect(await h.api.calls()).toEqual([`POST ${createPath}`, ...(entry.createExtraCalls?.(id) ?? [])]);
    });

    it("reads with one GET", async () => {
      await h.api.clearLog();
      const read = await h.host.read(id, urn, withText(plain(outs)));
      expect(read.id).toBe(id);
      expect(plain(read.props)).toMatchObject(entry.created({}, tag));
      expect(await h.api.calls()).toEqual([`GET ${entry.itemPath(id, outs)}`]);
    });

    it("diffs and updates in place with one PATCH", async () => {
      const update = entry.update;
      if (!update) throw new Error(`${kind} has no update in testing/table.ts; pick a kind that has`);
      const news = withText({ ...plain(inputs), ...update.change({}) });
      const diff = await h.host.diff(id, urn, withText(plain(outs)), news);
      expect(diff.changes).toBe(true);
      expect(diff.replaces).toEqual([]);
      await h.api.clearLog();
      const updated = await h.host.update(id, urn, withText(plain(outs)), news);
      expect(plain(updated.outs)).toMatchObject(update.expect);
      expect(await h.api.calls()).toEqual([`PATCH ${entry.itemPath(id, outs)}`]);
      outs = updated.outs;
    });

    it("deletes with one DELETE, and the object is gone", async () => {
      await h.api.clearLog();
      await h.host.delete(id, urn, withText(plain(outs)));
      expect(await h.api.calls()).toEqual([`DELETE ${entry.itemPath(id, outs)}`]);
      const rows = (await h.api.dump())[entry.dump.table] ?? [];
      expect(rows.map((r) => r.id)).not.toContain(id);
    });
  },
);
