/**
 * The examples tier's smoke test (`npm run test:quick`): one example through the runner, the smallest
 * (examples/byok, three keys), previewed only. Each example's own file runs its whole lifecycle.
 */
import * as path from "path";
import { plan, repoRoot, startExample, type ExampleRun } from "./harness";

let ex: ExampleRun;
beforeAll(async () => {
  ex = await startExample(path.join(repoRoot, "examples", "byok"), "confluent-iam-byok");
});
afterAll(async () => {
  await ex.close();
});

it("examples/byok previews under the runner: its three keys planned, no write sent", async () => {
  const r = await ex.run("preview");
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect(plan(r)).toEqual(["create aws-key", "create azure-key", "create gcp-key"]);
  expect(await ex.writes()).toEqual([]);
});
