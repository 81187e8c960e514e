/**
 * The fault soak at 30 objects: under 10 % 5xx, 5 % 429, 1 % connection resets and 300 ms read lag, up, an
 * edit that updates and replaces, and destroy end with no failed operation, no duplicate and nothing left.
 *
 * API keys are in: a key has no unique attribute, so after an unknown outcome the provider looks for a
 * matching key created since the request was sent, and sends the create again only when there is none.
 *
 * Parallel 1 makes the order of requests, and so where the seeded faults fall, the same on every run, so
 * the fault counts below can be asserted exactly.
 */
import { runSoak, SOAK_FAULTS, type SoakResult } from "../../bench/soak";

/** The provider's back-off shrunk to test size (provider/runtime.ts TUNING_ENV). */
const FAST = {
  CONFLUENT_IAM_RETRY_BASE_MS: "5",
  CONFLUENT_IAM_RETRY_MAX_MS: "40",
  CONFLUENT_IAM_RECONCILE_WAIT_MS: "1200",
};

let result: SoakResult;

/** Per step: calls, 5xx, 429s and resets, fixed by the fault seed and the sequential order. */
const EXPECTED_FAULTS = [
  ["up", 53, 3, 3, 1],
  // The IP filter's new scope is one PATCH (it was a POST and a DELETE before resource_scope was patchable).
  ["edit", 19, 1, 1, 0],
  ["destroy", 33, 3, 0, 0],
];

beforeAll(async () => {
  result = await runSoak({
    objects: 30,
    parallel: 1,
    env: FAST,
    faultSeed: 7,
  });
}, 170_000);

test("the soak ends with zero failed operations, zero duplicates and zero leftovers", () => {
  expect(result.steps.map((s) => [s.step, s.errors])).toEqual([
    ["up", []],
    ["edit", []],
    ["destroy", []],
  ]);
  expect({ failed: result.failed, duplicates: result.duplicates, leftovers: result.leftovers }).toEqual({
    failed: 0,
    duplicates: 0,
    leftovers: 0,
  });
});

test("the faults really happened (the same ones every run), and the edit both updated and replaced objects", () => {
  expect(SOAK_FAULTS).toEqual({ "5xx": 0.1, "429": 0.05, reset: 0.01, readLagMs: 300 });
  const faults = result.steps.map((s) => [s.step, s.calls, s.serverErrors, s.tooMany, s.resets]);
  expect(faults).toEqual(EXPECTED_FAULTS);
  const [up, edit, destroy] = result.steps;
  expect(up?.summary.create).toBe(30);
  expect(up?.objects).toBe(30);
  expect(edit?.summary.update).toBeGreaterThan(0);
  expect(edit?.summary.replace).toBeGreaterThan(0);
  expect(edit?.objects).toBe(30);
  expect(destroy?.summary.delete).toBe(30);
});
