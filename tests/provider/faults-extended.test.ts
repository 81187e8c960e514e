/**
 * Identity providers and pools, provider integrations, BYOK keys and Azure Marketplace keys, with the
 * emulator failing on purpose (see support/faults-run.ts; tests/invariants.test.ts checks that this file
 * and faults.test.ts together run every object once).
 */
import { defineFaultsRun } from "./support/faults-run";
import { extendedTable } from "../../testing/table";

// The assertions live in the shared run (support/faults-run.ts); every test here must reach at least one.
beforeEach(() => expect.hasAssertions());

defineFaultsRun({ entries: extendedTable, faultSeed: 11 });
