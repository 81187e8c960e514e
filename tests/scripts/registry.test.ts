/**
 * The generated registries (scripts/registry.ts): adding an object is adding its files, and nothing reads
 * a stale list.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REGISTRIES, staleRegistries, writeRegistries } from "../../scripts/registry";

describe("generated registries", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "registry-"));
    for (const reg of REGISTRIES) mkdirSync(join(root, reg.folder), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const put = (file: string, text: string): void => writeFileSync(join(root, file), text);

  it("the registries of this checkout are up to date (jest's globalSetup writes them)", () => {
    expect(staleRegistries()).toEqual([]);
  });

  it("lists the member files of each folder in file-name order, and no other file", () => {
    put("provider/specs/widget.ts", "export const widgetSpec = defineSpec<WidgetInputs, Widget>({});\n");
    put("provider/specs/api-thing.ts", "export const s: Spec<A, B> = {} as never;\n");
    put("provider/specs/common.ts", "export function seg(s: string) { return s; }\n");
    put("sdk/widget.ts", "export class Widget extends pulumi.dynamic.Resource {}\n");
    put("sdk/base.ts", "export function registration() {}\n");
    put("sdk/index.ts", "export class X extends pulumi.dynamic.Resource {}\n");
    put("emulator/objects/widgets.ts", "export const widgets: EmulatorObject = {} as never;\n");
    put("emulator/objects/types.ts", "export interface EmulatorObject { name: string }\n");
    put("emulator/objects/registry.generated.ts", "// old\n");

    expect(writeRegistries(root)).toEqual([
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
    expect(read("sdk/objects.generated.ts").split("\n").slice(1).join("\n")).toBe(
      'export * from "./widget";\n',
    );
    expect(read("emulator/objects/registry.generated.ts")).toContain('import * as widgets from "./widgets";');
    expect(read("emulator/objects/registry.generated.ts")).not.toContain("types");
    expect(read("protocol/kinds.generated.ts")).toContain(
      'export const KINDS: readonly string[] = ["Widget"];',
    );
    expect(staleRegistries(root)).toEqual([]);
  });

  it("a new object file makes its registry stale until the registries are written again", () => {
    writeRegistries(root);
    expect(staleRegistries(root)).toEqual([]);
    put("sdk/group-mapping.ts", "export class GroupMapping extends pulumi.dynamic.Resource {}\n");
    expect(staleRegistries(root)).toEqual(["sdk/objects.generated.ts", "protocol/kinds.generated.ts"]);
    expect(writeRegistries(root)).toEqual(["sdk/objects.generated.ts", "protocol/kinds.generated.ts"]);
    expect(writeRegistries(root)).toEqual([]);
  });
});
