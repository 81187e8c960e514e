import { inDeleteOrder } from "../../runner/delete-order";
import type { ResourceState } from "../../runner/state";

const entry = (urn: string, over: Partial<ResourceState> = {}): ResourceState => ({
  urn,
  type: "t",
  name: urn,
  id: `id-${urn}`,
  inputs: {},
  outputs: {},
  provider: "",
  dependencies: [],
  secretOutputs: [],
  ...over,
});

/** Runs inDeleteOrder, with `fails` failing; returns the visits in order as `urn:dependentsGone`. */
async function order(entries: ResourceState[], fails: string[] = []): Promise<string[]> {
  const seen: string[] = [];
  await inDeleteOrder(entries, async (r, dependentsGone) => {
    // Let everything that can start start, so the order shows what waits for what.
    await new Promise((resolve) => setImmediate(resolve));
    seen.push(`${r.urn}:${dependentsGone}`);
    return dependentsGone && !fails.includes(r.urn);
  });
  return seen;
}

describe("inDeleteOrder: walking the deletes", () => {
  const team = entry("team", { component: true, id: "" });
  const sa = entry("sa", { parent: "team" });
  const rb = entry("rb", { parent: "team", dependencies: ["sa"] });
  const other = entry("other", { dependencies: ["team"] });

  it("visits each entry once, after everything that must go first", async () => {
    expect(await order([team, sa, rb, other])).toEqual(["rb:true", "other:true", "sa:true", "team:true"]);
  });

  it("tells an entry when something that had to go first stayed, and that carries up", async () => {
    expect(await order([team, sa, rb, other], ["rb"])).toEqual([
      "rb:true",
      "other:true",
      "sa:false",
      "team:false",
    ]);
  });

  it("independent entries are visited concurrently", async () => {
    let active = 0;
    let peak = 0;
    await inDeleteOrder([entry("a"), entry("b"), entry("c")], async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setImmediate(resolve));
      active--;
      return true;
    });
    expect(peak).toBe(3);
  });

  it("the old copy of a replaced resource and its replacement do not wait for each other", async () => {
    const old = entry("x", { pendingDelete: true });
    const fresh = entry("x", { dependencies: ["x"] });
    expect(await order([old, fresh], ["x"])).toEqual(["x:true", "x:true"]);
  });
});
