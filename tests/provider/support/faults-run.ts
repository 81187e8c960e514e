/**
 * The scenarios with the emulator failing on purpose: 20 % of API answers are 5xx, 5 % of connections are
 * reset, and a new object stays invisible to GET by id for 300 ms. Every scenario must still pass, and
 * afterwards the emulator must hold no duplicate object (a blind retry of a POST would leave one). Split
 * over two test files (mostly waiting on the read lag), so jest's two workers run the halves side by side.
 */
import { defineScenario } from "./run-scenario";
import { startHarness, type Harness, type ScenarioEntry } from "../../../testing/scenario";

const FAULTS = { "5xx": 0.2, reset: 0.05, read_lag_ms: 300 };
const QUIET = { "5xx": 0, reset: 0, read_lag_ms: 0 };

/** What one faulted run covers. */
export interface FaultsRunOptions {
  /** The scenario entries to run with faults. */
  entries: ScenarioEntry[];
  /**
   * Seed of the emulator's fault generator: which answers fail is the same on every run of one file, and
   * the two files (different seeds) fail different answers.
   */
  faultSeed: number;
}

/** Defines the faulted scenario of every entry, then the checks over what they left behind. */
export function defineFaultsRun({ entries, faultSeed }: FaultsRunOptions): void {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ faultSeed });
  });
  afterAll(async () => {
    await h?.close();
  });

  describe.each(entries.map((e) => [e.kind, e] as const))("%s with faults", (_kind, entry) => {
    defineScenario(entry, () => h, {
      faults: { readLagMs: FAULTS.read_lag_ms },
      setFaults: (on) => h.api.faults(on ? FAULTS : QUIET),
      recoverCreates: true,
    });
  });

  describe("after every scenario ran with faults", () => {
    it("the emulator holds no duplicate object", async () => {
      await h.api.faults(QUIET);
      const dump = await h.api.dump();
      for (const entry of entries) {
        const rows = dump[entry.dump.table] ?? [];
        const keys = rows.map(entry.dump.unique);
        expect({ table: entry.dump.table, duplicates: keys.filter((k, i) => keys.indexOf(k) !== i) }).toEqual(
          {
            table: entry.dump.table,
            duplicates: [],
          },
        );
      }
    });

    it("faults really happened (the client retried)", () => {
      expect(h.host.stderr()).toMatch(/retrying in \d+ ms/);
    });
  });
}
