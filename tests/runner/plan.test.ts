import {
  applyIgnoreChanges,
  changedKeys,
  driftedKeys,
  parsePath,
  planStep,
  type PlanInput,
} from "../../runner/plan";

const base: PlanInput = {
  diff: { changes: false, replaces: [], deleteBeforeReplace: false },
  oldInputs: { name: "a", owner: { id: "sa-1" } },
  oldOutputs: { name: "a", owner: { id: "sa-1", apiVersion: "iam/v2", kind: "ServiceAccount" } },
  news: { name: "a", owner: { id: "sa-1" } },
  replaceOnChanges: [],
  deleteBeforeReplace: false,
  initFailed: false,
};

describe("planStep: which operation a diff implies", () => {
  it("the provider's 'no change' wins over replaceOnChanges, even when outputs carry more than inputs", () => {
    expect(planStep({ ...base, replaceOnChanges: ["owner"] })).toEqual({
      op: "same",
      diffs: [],
      replaces: [],
      deleteFirst: false,
    });
    expect(planStep({ ...base, replaceOnChanges: ["*"] }).op).toBe("same");
  });

  it("a resource that failed to initialize is updated even when nothing changed", () => {
    expect(planStep({ ...base, initFailed: true })).toEqual({
      op: "update",
      diffs: [],
      replaces: [],
      deleteFirst: false,
    });
  });

  it("a changed input updates in place unless the provider or replaceOnChanges names it", () => {
    const changed = { ...base, diff: { ...base.diff, changes: true }, news: { ...base.news, name: "b" } };
    expect(planStep(changed)).toMatchObject({ op: "update", diffs: ["~name"] });
    expect(planStep({ ...changed, replaceOnChanges: ["owner"] }).op).toBe("update");
    expect(planStep({ ...changed, replaceOnChanges: ["name"] })).toMatchObject({
      op: "replace",
      replaces: ["name"],
      deleteFirst: false,
    });
    expect(planStep({ ...changed, replaceOnChanges: ["*"] }).replaces).toEqual(["name"]);
    expect(
      planStep({ ...changed, diff: { changes: true, replaces: ["name"], deleteBeforeReplace: true } }),
    ).toMatchObject({ op: "replace", replaces: ["name"], deleteFirst: true });
    expect(planStep({ ...changed, replaceOnChanges: ["name"], deleteBeforeReplace: true }).deleteFirst).toBe(
      true,
    );
  });

  it("drift: same inputs, a change the provider saw, shown as the inputs the object no longer matches", () => {
    const drifted = {
      ...base,
      diff: { ...base.diff, changes: true },
      oldOutputs: { ...base.oldOutputs, name: "changed-out-of-band" },
    };
    expect(planStep(drifted)).toEqual({ op: "update", diffs: ["~name"], replaces: [], deleteFirst: false });
    // owner's extra output members are not drift, so replaceOnChanges on owner does not fire.
    expect(planStep({ ...drifted, replaceOnChanges: ["owner"] }).op).toBe("update");
  });

  it("an unknown answer from the provider falls back to comparing inputs", () => {
    expect(planStep({ ...base, diff: { ...base.diff, changes: undefined } }).op).toBe("same");
    expect(
      planStep({ ...base, diff: { ...base.diff, changes: undefined }, news: { ...base.news, x: 1 } }),
    ).toMatchObject({ op: "update", diffs: ["+x"] });
  });
});

describe("diff helpers", () => {
  it("changedKeys marks added, removed and changed keys and ignores __provider", () => {
    expect(
      changedKeys({ a: 1, b: { x: 1, y: 2 }, c: 3, __provider: "p" }, { a: 1, b: { y: 2, x: 1 }, d: 4 }),
    ).toEqual(["-c", "+d"]);
  });

  it("driftedKeys compares objects on the members the input sets", () => {
    expect(driftedKeys({ o: { id: "1", kind: "K" }, n: "a" }, { o: { id: "1" }, n: "b" })).toEqual(["~n"]);
    expect(driftedKeys({ o: { id: "2" } }, { o: { id: "1" } })).toEqual(["~o"]);
  });
});

describe("ignoreChanges paths", () => {
  it("parses dotted, indexed and quoted paths", () => {
    expect(parsePath("owner.id")).toEqual(["owner", "id"]);
    expect(parsePath("cidrBlocks[1]")).toEqual(["cidrBlocks", 1]);
    expect(parsePath('tags["a.b"].c')).toEqual(["tags", "a.b", "c"]);
  });

  it.each([
    ["", 'ignoreChanges path "": the path is empty'],
    ["a..b", 'ignoreChanges path "a..b": an empty property name'],
    ["a[x]", 'ignoreChanges path "a[x]": [x] is neither an index nor a quoted key'],
    ["a[0", 'ignoreChanges path "a[0": a [ is not closed'],
  ])("refuses %j", (p, message) => {
    expect(() => parsePath(p)).toThrow(message);
  });

  it("takes top-level and nested values from the saved inputs, or drops them when there were none", () => {
    const olds = { name: "a", owner: { id: "sa-1", kind: "ServiceAccount" }, list: ["x", "y"] };
    const news = { name: "b", owner: { id: "sa-2", kind: "ServiceAccount" }, list: ["x", "z"], extra: 1 };
    expect(applyIgnoreChanges(news, olds, ["name", "owner.id", "list[1]", "extra"])).toEqual({
      name: "a",
      owner: { id: "sa-1", kind: "ServiceAccount" },
      list: ["x", "y"],
    });
    expect(applyIgnoreChanges(news, olds, ["*"])).toEqual(olds);
    expect(news.owner.id).toBe("sa-2");
  });
});
