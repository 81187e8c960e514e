import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadState, type ResourceState } from "../../runner/state";
import { StateWriter, optionFlags, withoutOptionFlags } from "../../runner/state-writer";

const entry = (urn: string, over: Partial<ResourceState> = {}): ResourceState => ({
  urn,
  type: "pulumi-nodejs:dynamic/confluent:ServiceAccount",
  name: urn.split("::").pop() ?? urn,
  id: `id-${urn}`,
  inputs: {},
  outputs: {},
  provider: "p",
  dependencies: [],
  secretOutputs: [],
  ...over,
});

describe("StateWriter: every change is saved at once, never in a preview", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "state-writer-"));
    file = path.join(dir, "nested", "dev.json");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const onDisk = (): string[] => loadState(file, "p", "dev").resources.map((r) => r.urn);

  it("set, replace and remove each write the file", () => {
    const w = new StateWriter(file, "p", "dev", false);
    expect(fs.existsSync(file)).toBe(false);
    const a = entry("a");
    w.set(a);
    expect(onDisk()).toEqual(["a"]);
    w.set(entry("b"));
    const a2 = entry("a", { id: "id-2" });
    w.set(a2);
    expect(loadState(file, "p", "dev").resources.map((r) => [r.urn, r.id])).toEqual([
      ["a", "id-2"],
      ["b", "id-b"],
    ]);
    const a3 = entry("a", { id: "id-3" });
    w.replace(a2, a3);
    expect(loadState(file, "p", "dev").resources[0]?.id).toBe("id-3");
    w.remove(a3);
    expect(onDisk()).toEqual(["b"]);
    w.setOutputs({ x: 1 });
    expect(loadState(file, "p", "dev").outputs).toEqual({ x: 1 });
  });

  it("the old copy of a replaced resource moves to the end, marked, and set leaves it alone", () => {
    const w = new StateWriter(file, "p", "dev", false);
    const old = entry("a");
    w.set(old);
    w.set(entry("b"));
    const marked = w.markPendingDelete(old);
    expect(marked).toEqual({ ...old, pendingDelete: true });
    w.set(entry("a", { id: "new" }));
    expect(loadState(file, "p", "dev").resources.map((r) => [r.urn, r.id, r.pendingDelete])).toEqual([
      ["b", "id-b", undefined],
      ["a", "id-a", true],
      ["a", "new", undefined],
    ]);
  });

  it("input-only inputs never reach the file", () => {
    const w = new StateWriter(file, "p", "dev", false);
    w.set(
      entry("k", {
        type: "pulumi-nodejs:dynamic/confluent:AzureMarketplaceApiKey",
        inputs: { azureAccessToken: "fake-token", displayName: "k" },
      }),
    );
    expect(fs.readFileSync(file, "utf8")).not.toContain("fake-token");
    expect(loadState(file, "p", "dev").resources[0]?.inputs).toEqual({ displayName: "k" });
    // The entry in memory keeps it for the rest of the run.
    expect(w.resources[0]?.inputs.azureAccessToken).toBe("fake-token");
  });

  it("a preview changes the state in memory only", () => {
    const w = new StateWriter(file, "p", "dev", true);
    w.set(entry("a"));
    w.setOutputs({ x: 1 });
    w.save();
    expect(w.resources.map((r) => r.urn)).toEqual(["a"]);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });

  it("claim: its own entry, or one saved under an alias, which moves with the references to it", () => {
    const w = new StateWriter(file, "p", "dev", false);
    w.set(entry("old-name"));
    w.set(entry("child", { parent: "old-name", dependencies: ["old-name", "x"] }));
    expect(w.claim("child", [], () => false)?.urn).toBe("child");
    expect(w.claim("new-name", ["old-name"], (u) => u === "old-name")).toBeUndefined();
    const claimed = w.claim("new-name", ["gone", "old-name"], () => false);
    expect(claimed?.id).toBe("id-old-name");
    expect(w.resources.map((r) => [r.urn, r.parent, r.dependencies])).toEqual([
      ["new-name", undefined, []],
      ["child", "new-name", ["new-name", "x"]],
    ]);
    // Not saved by the claim itself: the step that claims it saves what it becomes.
    expect(onDisk()).toEqual(["old-name", "child"]);
  });

  it("claim never takes the old copy of a replaced resource", () => {
    const w = new StateWriter(file, "p", "dev", false);
    w.markPendingDelete(entry("a"));
    expect(w.claim("a", [], () => false)).toBeUndefined();
  });
});

describe("option flags in state entries", () => {
  const none = { parent: "", deleteBeforeReplace: false, protect: false, retainOnDelete: false };
  it("keep only the options that are set, and a parent other than the stack", () => {
    expect(optionFlags(none)).toEqual({});
    expect(optionFlags({ ...none, parent: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev" })).toEqual({});
    expect(
      optionFlags({
        parent: "urn:pulumi:dev::p::my:Team::t",
        deleteBeforeReplace: true,
        protect: true,
        retainOnDelete: true,
      }),
    ).toEqual({
      parent: "urn:pulumi:dev::p::my:Team::t",
      deleteBeforeReplace: true,
      protect: true,
      retainOnDelete: true,
    });
  });

  it("withoutOptionFlags drops them and keeps the rest", () => {
    const e = entry("a", { parent: "x", protect: true, retainOnDelete: true, deleteBeforeReplace: true });
    expect(withoutOptionFlags(e)).toEqual(entry("a"));
  });
});
