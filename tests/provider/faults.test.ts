/**
 * The same scenarios with the emulator failing on purpose: 20 % of API answers are 5xx, 5 % of connections
 * are reset, and a new object stays invisible to GET by id for 300 ms. Every scenario must still pass, and
 * afterwards the emulator must hold no duplicate object (a blind retry of a POST would leave one).
 */
import type { PropertyMap } from "../../runner/host";
import { defineScenario } from "./support/run-scenario";
import { startHarness, type Harness, type ScenarioEntry } from "./support/scenario";
import { table } from "./table";

const FAULTS = { "5xx": 0.2, reset: 0.05, read_lag_ms: 300 };
const QUIET = { "5xx": 0, reset: 0, read_lag_ms: 0 };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ faultSeed: 7 });
});
afterAll(async () => {
  await h?.close();
});

/**
 * What the error of an API key create with an unknown outcome tells the user to do: list the owner's keys,
 * delete a key that was created without its secret reaching us, run up again.
 */
async function recoverApiKey(
  _e: ScenarioEntry,
  hh: Harness,
  deps: Record<string, string>,
  inputs: PropertyMap,
) {
  const list = (await hh.api.ok("GET", `/iam/v2/api-keys?spec.owner=${deps.sa}&page_size=100`)) as {
    data: { id: string; spec: { display_name: string } }[];
  };
  for (const k of list.data) {
    if (k.spec.display_name === inputs.displayName) await hh.api.ok("DELETE", `/iam/v2/api-keys/${k.id}`);
  }
}

describe.each(table.map((e) => [e.kind, e] as const))("%s with faults", (_kind, entry) => {
  defineScenario(entry, () => h, {
    faults: { readLagMs: FAULTS.read_lag_ms },
    setFaults: (on) => h.api.faults(on ? FAULTS : QUIET),
    recoverCreate: recoverApiKey,
  });
});

describe("after every scenario ran with faults", () => {
  it("the emulator holds no duplicate object", async () => {
    await h.api.faults(QUIET);
    const dump = await h.api.dump();
    for (const entry of table) {
      const rows = dump[entry.dump.table] ?? [];
      const keys = rows.map(entry.dump.unique);
      expect({ table: entry.dump.table, duplicates: keys.filter((k, i) => keys.indexOf(k) !== i) }).toEqual({
        table: entry.dump.table,
        duplicates: [],
      });
    }
  });

  it("faults really happened (the client retried)", () => {
    expect(h.host.stderr()).toMatch(/retrying in \d+ ms/);
  });
});
