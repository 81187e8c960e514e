/**
 * The first seven objects' scenarios with the emulator failing on purpose (see support/faults-run.ts; the
 * other objects run in faults-extended.test.ts, in parallel).
 */
import { defineFaultsRun } from "./support/faults-run";
import { coreTable } from "./table";

defineFaultsRun(coreTable, 7);
