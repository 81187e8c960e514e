/**
 * The first seven objects' scenarios with the emulator failing on purpose (see support/faults-run.ts; the
 * other objects run in faults-extended.test.ts, in parallel).
 */
import { defineFaultsRun } from "./support/faults-run";
import { coreTable } from "./table";

defineFaultsRun(coreTable, 7);

it("runs the first seven objects (faults-extended runs the rest)", () => {
  expect(coreTable.map((e) => e.kind)).toEqual([
    "ServiceAccount",
    "ApiKey",
    "RoleBinding",
    "IpGroup",
    "IpFilter",
    "Invitation",
    "User",
  ]);
});
