import { defineScenario } from "./support/run-scenario";
import { startHarness, type Harness } from "../../testing/scenario";
import * as sdk from "pulumi-confluent-iam";
import { table } from "../../testing/table";

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

it("the scenario table has exactly one entry for every resource class the SDK exports", () => {
  const classes = Object.entries(sdk)
    .filter(
      ([, v]) =>
        typeof v === "function" && typeof (v as { __pulumiType?: unknown }).__pulumiType === "string",
    )
    .map(([name]) => name)
    .sort();
  expect(table.map((e) => e.kind).sort()).toEqual(classes);
});
