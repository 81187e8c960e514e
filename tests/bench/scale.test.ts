/**
 * Scale, small: a no-change preview makes one API call (the credential check), and getRoleBindings reads a large list at the
 * endpoint's page maximum (the fewest list calls possible).
 */
import { ROLE_BINDING_PAGE_MAX, runScale } from "../../bench/scale";

test("a no-change preview of 30 objects makes one API call, the credential check, and plans nothing", async () => {
  const r = await runScale({
    skipLookup: true,
    program: { serviceAccounts: 5, apiKeys: 5, roleBindings: 20 },
  });
  expect(r.preview).toEqual(
    expect.objectContaining({
      objects: 30,
      calls: 1,
      callPaths: ["GET /org/v2/environments"],
      planned: 0,
      same: 30,
      failed: 0,
      errors: [],
    }),
  );
}, 150_000);

test("getRoleBindings over 2,500 bindings makes ceil(2500 / 1000) = 3 list calls and returns them all", async () => {
  expect(ROLE_BINDING_PAGE_MAX).toBe(1000);
  const r = await runScale({ skipPreview: true, bindings: 2500 });
  expect(r.lookup).toEqual(
    expect.objectContaining({
      bindings: 2500,
      returned: 2500,
      listCalls: 3,
      otherCalls: 0,
      minimumListCalls: 3,
    }),
  );
}, 60_000);
