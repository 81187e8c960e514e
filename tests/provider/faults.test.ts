/**
 * The first seven objects' scenarios with the emulator failing on purpose (see support/faults-run.ts; the
 * other objects run in faults-extended.test.ts, in parallel; tests/invariants.test.ts checks that the two
 * files together run every object once).
 */
import { defineFaultsRun } from "./support/faults-run";
import { coreTable } from "../../testing/table";

// The assertions live in the shared run (support/faults-run.ts); every test here must reach at least one.
beforeEach(() => expect.hasAssertions());

defineFaultsRun({ entries: coreTable, faultSeed: 7 });
