/**
 * The generated registries (scripts/registry.ts): committed, checked by `npm run lint`, and a module is a
 * member by what it exports, not by the look of its text.
 */
import * as pulumi from "@pulumi/pulumi";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REGISTRIES, staleRegistries, writeRegistries, type Exports } from "../../scripts/registry";

class Widget extends pulumi.dynamic.Resource {}
class GroupMapping extends pulumi.dynamic.Resource {}

/** A spec and an emulator object as far as the registries can tell (the tests of specs/index.ts and objects/index.ts). */
const spec = { kind: "Widget", outputKeys: [], locate: () => ({}) };
const emulatorObject = { name: "widgets", tables: [], routes: [], access: {} };

describe("generated registries", () => {
  let root: string;
  /** What each fake module exports, by its path. */
  let exportsOf: Map<string, Exports>;
  const load = (file: string): Exports => exportsOf.get(file) ?? {};
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "registry-"));
    exportsOf = new Map();
    for (const reg of REGISTRIES) mkdirSync(join(root, reg.folder), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const put = (file: string, exports: Exports): void => {
    writeFileSync(join(root, file), "// exports given by the test's loader\n");
    exportsOf.set(join(root, file), exports);
  };

  it("the committed registries of this checkout are up to date (else: npm run registry)", () => {
    expect(staleRegistries()).toEqual([]);
  });

  it("lists the modules of each folder that export a member, in file-name order, and no other file", () => {
    put("provider/specs/widget.ts", { widgetSpec: spec });
    put("provider/specs/api-thing.ts", { thingSpec: { ...spec, kind: "Thing" } });
    put("provider/specs/common.ts", { seg: (s: string) => s });
    // Text that looks like a spec does not make a member: only what the module exports counts.
    writeFileSync(join(root, "provider/specs/looks-like.ts"), "export const s = defineSpec<A, B>({});\n");
    put("sdk/widget.ts", { Widget, widgetDefaults: {} });
    put("sdk/base.ts", { registration: () => undefined });
    put("sdk/index.ts", { Widget });
    put("emulator/objects/widgets.ts", { widgets: emulatorObject });
    put("emulator/objects/types.ts", { table: () => undefined });
    writeFileSync(join(root, "emulator/objects/registry.generated.ts"), "// old\n");

    expect(writeRegistries(root, load)).toEqual([
      "provider/specs/registry.generated.ts",
      "sdk/objects.generated.ts",
      "protocol/kinds.generated.ts",
      "emulator/objects/registry.generated.ts",
    ]);
    const read = (f: string): string => readFileSync(join(root, f), "utf8");
    expect(read("provider/specs/registry.generated.ts")).toContain(
      'import * as apiThing from "./api-thing";\nimport * as widget from "./widget";\n\n' +
        "export const modules: readonly Readonly<Record<string, unknown>>[] = [\n  apiThing,\n  widget,\n];\n",
    );
    expect(read("sdk/objects.generated.ts").split("\n").slice(2).join("\n")).toBe(
      'export * from "./widget";\n',
    );
    expect(read("emulator/objects/registry.generated.ts")).toContain('import * as widgets from "./widgets";');
    expect(read("emulator/objects/registry.generated.ts")).not.toContain("types");
    expect(read("protocol/kinds.generated.ts")).toContain(
      'export const KINDS: readonly string[] = [\n  "Widget",\n];\n',
    );
    expect(staleRegistries(root, load)).toEqual([]);
  });

  it("a new object file makes its registry stale until the registries are written again", () => {
    writeRegistries(root, load);
    expect(staleRegistries(root, load)).toEqual([]);
    put("sdk/group-mapping.ts", { GroupMapping });
    expect(staleRegistries(root, load)).toEqual(["sdk/objects.generated.ts", "protocol/kinds.generated.ts"]);
    expect(writeRegistries(root, load)).toEqual(["sdk/objects.generated.ts", "protocol/kinds.generated.ts"]);
    expect(writeRegistries(root, load)).toEqual([]);
  });
});
