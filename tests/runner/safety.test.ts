/**
 * Issue 10, the runner's part, end to end: the runner, Pulumi's dynamic-provider host and this package's
 * provider against the emulator (tests/runner/fixtures/safety; config `scenario` picks the program).
 */
import * as path from "path";
import { startExample, plan, type ExampleRun } from "../examples/harness";

const fixture = path.join(__dirname, "fixtures", "safety");
const PROJECT = "runner-safety";

describe("replaceOnChanges follows the provider's diff", () => {
  let ex: ExampleRun;
  const cfg = ["scenario=replace-on-changes"];
  beforeAll(async () => {
    ex = await startExample(fixture, PROJECT);
  });
  afterAll(async () => ex.close());

  it("a second up of the unchanged program keeps the key: no replacement, no API write", async () => {
    const first = await ex.run("up", cfg);
    expect(first.errors).toEqual([]);
    expect(plan(first)).toEqual(["create key", "create owner"]);
    const keyId = ex.state().resources.find((r) => r.name === "key")?.id;
    await ex.clearRequests();
    const second = await ex.run("up", cfg);
    expect(second.exitCode).toBe(0);
    expect(second.steps).toEqual([]);
    expect(second.summary.same).toBe(2);
    expect(await ex.writes()).toEqual([]);
    expect(ex.state().resources.find((r) => r.name === "key")?.id).toBe(keyId);
  });

  it("an edit of another field updates the key in place: owner did not change", async () => {
    const keyId = ex.state().resources.find((r) => r.name === "key")?.id ?? "";
    await ex.clearRequests();
    const r = await ex.run("up", [...cfg, "keyDescription=a key, reworded"]);
    expect(r.errors).toEqual([]);
    expect(r.steps.map((s) => [s.op, s.name, s.diffs, s.replaces])).toEqual([
      ["update", "key", ["~description"], []],
    ]);
    expect(await ex.writes()).toEqual([`PATCH /iam/v2/api-keys/${keyId}`]);
  });
});
