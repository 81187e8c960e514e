import { defineScenario } from "./support/run-scenario";
import { startHarness, type Harness } from "./support/scenario";
import { table } from "./table";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe.each(table.map((e) => [e.kind, e] as const))("%s", (_kind, entry) => {
  defineScenario(entry, () => h);
});
