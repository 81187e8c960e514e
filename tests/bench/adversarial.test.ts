/**
 * The soak's adversarial rows (issue 10): a same-named object made outside the stack under an unknown
 * outcome, sibling API keys under an unknown outcome, removed defaulted fields, and an unchanged API key
 * declared with `replaceOnChanges`. Each counts the objects
 * taken over, deleted or left over, through the runner and the dynamic-provider host; the target is 0.
 */
import { adversarialRows, runAdversarial, type AdversarialCase } from "../../bench/adversarial";

let cases: AdversarialCase[];

beforeAll(async () => {
  cases = await runAdversarial();
}, 600_000);

test("every adversarial case ends with nothing taken over, deleted or left over, and no other problem", () => {
  expect(cases).toEqual([
    { name: "same name, unknown outcome", takenOver: 0, deleted: 0, leftOver: 0, problems: [] },
    { name: "sibling keys, unknown outcome", takenOver: 0, deleted: 0, leftOver: 0, problems: [] },
    { name: "removed fields", takenOver: 0, deleted: 0, leftOver: 0, problems: [] },
    { name: "replaceOnChanges, nothing changed", takenOver: 0, deleted: 0, leftOver: 0, problems: [] },
  ]);
});

test("the rows state each count against the target 0 / 0 / 0", () => {
  expect(adversarialRows(cases)).toEqual([
    {
      benchmark: "soak",
      figure: "adversarial: same name, unknown outcome: objects taken over / deleted / left over",
      value: "0 / 0 / 0",
      target: "0 / 0 / 0",
      met: true,
    },
    {
      benchmark: "soak",
      figure: "adversarial: sibling keys, unknown outcome: objects taken over / deleted / left over",
      value: "0 / 0 / 0",
      target: "0 / 0 / 0",
      met: true,
    },
    {
      benchmark: "soak",
      figure: "adversarial: removed fields: objects taken over / deleted / left over",
      value: "0 / 0 / 0",
      target: "0 / 0 / 0",
      met: true,
    },
    {
      benchmark: "soak",
      figure: "adversarial: replaceOnChanges, nothing changed: objects taken over / deleted / left over",
      value: "0 / 0 / 0",
      target: "0 / 0 / 0",
      met: true,
    },
  ]);
});
