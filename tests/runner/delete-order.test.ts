import { mustGoFirst } from "../../runner/delete-order";
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

describe("delete order", () => {
  const team = entry("team", { component: true, id: "" });
  const sa = entry("sa", { parent: "team" });
  const rb = entry("rb", { parent: "team", dependencies: ["sa"] });
  const other = entry("other", { dependencies: ["team"] });
  const all = [team, sa, rb, other];

  it("dependents and a component's children go before it", () => {
    expect(mustGoFirst(all, team).map((e) => e.urn)).toEqual(["sa", "rb", "other"]);
    expect(mustGoFirst(all, sa).map((e) => e.urn)).toEqual(["rb"]);
    expect(mustGoFirst(all, rb)).toEqual([]);
  });

  it("the old copy of a replaced resource does not wait for its replacement", () => {
    const old = entry("x", { pendingDelete: true });
    const fresh = entry("x", { dependencies: ["x"] });
    expect(mustGoFirst([old, fresh], old)).toEqual([]);
  });
});
