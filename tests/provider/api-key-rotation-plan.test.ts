/** The rotation's pure rules: durations, and what an up must do at a given time (provider/specs/api-key-rotation.ts). */
import { durationMs, planDiffs, planRotation } from "../../provider/specs/api-key-rotation";

const DAY = 86_400_000;
const T0 = Date.parse("2027-01-01T00:00:00.000Z");
const at = (days: number): string => new Date(T0 + days * DAY).toISOString();
const active = { id: "KEYA", secret: "a", createdAt: at(0) };

describe("durationMs", () => {
  it.each([
    ["P90D", 90 * DAY],
    ["P2W", 14 * DAY],
    ["PT12H", DAY / 2],
    ["P1DT6H30M15S", DAY + 6 * 3_600_000 + 30 * 60_000 + 15_000],
    ["P0.5D", DAY / 2],
    [90, 90 * DAY],
    [0, 0],
  ])("%p is %p ms", (v, ms) => {
    expect(durationMs(v)).toBe(ms);
  });

  it.each([
    [
      "P3M",
      'must not count months or years (got "P3M"): their length varies; write days or weeks instead, e.g. "P90D" or "P13W"',
    ],
    [
      "P1Y",
      'must not count months or years (got "P1Y"): their length varies; write days or weeks instead, e.g. "P90D" or "P13W"',
    ],
    ["P", 'must be an ISO-8601 duration such as "P90D", "P2W" or "PT12H" (got "P"); fix it'],
    ["P1DT", 'must be an ISO-8601 duration such as "P90D", "P2W" or "PT12H" (got "P1DT"); fix it'],
    ["90d", 'must be an ISO-8601 duration such as "P90D", "P2W" or "PT12H" (got "90d"); fix it'],
    [-1, "must be a number of days of 0 or more (got -1); use e.g. 90"],
  ])("%p is refused: %s", (v, reason) => {
    expect(durationMs(v)).toEqual({ reason });
  });

  it("PT30M is minutes, not months", () => {
    expect(durationMs("PT30M")).toBe(30 * 60_000);
  });
});

describe("planRotation", () => {
  const period = 30 * DAY;

  it("before nextRotationAt: nothing to do", () => {
    expect(planRotation({ active }, {}, period, false, T0 + 29 * DAY)).toEqual({ nextRotationAt: at(30) });
  });

  it("at nextRotationAt: rotation due, named by nextRotationAt", () => {
    const plan = planRotation({ active }, {}, period, false, T0 + 30 * DAY);
    expect(plan.rotate).toEqual({
      cause: "nextRotationAt",
      reason: `rotation due: nextRotationAt ${at(30)} has passed`,
    });
    expect(planDiffs(plan)).toEqual(["nextRotationAt"]);
  });

  it("while the period is unknown (preview), the stored nextRotationAt decides", () => {
    expect(
      planRotation({ active }, { nextRotationAt: at(10) }, undefined, false, T0 + 11 * DAY).rotate?.cause,
    ).toBe("nextRotationAt");
    expect(planRotation({ active }, {}, undefined, false, T0 + 1000 * DAY).rotate).toBeUndefined();
  });

  it("a trigger change rotates at once; the diff already names rotationTrigger", () => {
    const plan = planRotation({ active }, {}, period, true, T0 + DAY);
    expect(plan.rotate?.cause).toBe("rotationTrigger");
    expect(planDiffs(plan)).toEqual([]);
  });

  it("no active key: a new one now; a pending key: finish it first", () => {
    expect(planRotation({}, {}, period, false, T0).rotate?.cause).toBe("active");
    const pending = { id: "KEYP", secret: "p", createdAt: at(1) };
    expect(planRotation({ active, pending }, {}, period, true, T0).rotate?.cause).toBe("pending");
  });

  it("previous retires at retiresAt, not before", () => {
    const previous = { id: "KEYB", secret: "b", retiresAt: at(7) };
    expect(planRotation({ active, previous }, {}, period, false, T0 + 6 * DAY).retire).toBeUndefined();
    const plan = planRotation({ active, previous }, {}, period, false, T0 + 7 * DAY);
    expect(plan.retire).toEqual({ reason: `the previous key KEYB retires: its overlap ended at ${at(7)}` });
    expect(planDiffs(plan)).toEqual(["previous"]);
  });

  it("a rotation while previous lives retires it first (two keys at most)", () => {
    const previous = { id: "KEYB", secret: "b", retiresAt: at(7) };
    const plan = planRotation({ active, previous }, {}, period, true, T0 + DAY);
    expect(plan.retire?.reason).toBe(
      `the previous key KEYB is deleted before its retiresAt (${at(7)}): the rotation needs its place, as two keys at most are alive`,
    );
  });

  it("the active key deleted outside, previous alive: a new key, previous kept (two keys)", () => {
    const previous = { id: "KEYB", secret: "b", retiresAt: at(7) };
    const plan = planRotation({ previous }, {}, period, false, T0 + DAY);
    expect(plan.rotate?.cause).toBe("active");
    expect(plan.retire).toBeUndefined();
  });
});
