import type { RunResult, StepRecord, Violation } from "../../runner/engine";
import { UNKNOWN_VALUE, secretWire } from "../../protocol";
import {
  closingLines,
  headingLine,
  maskOutputs,
  stepLines,
  violationLines,
  type Closing,
} from "../../runner/render";

const none: RunResult["summary"] = {
  create: 0,
  update: 0,
  replace: 0,
  delete: 0,
  same: 0,
  read: 0,
  failed: 0,
};
const step = (over: Partial<StepRecord> = {}): StepRecord => ({
  op: "create",
  urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/confluent:ServiceAccount::sa",
  type: "pulumi-nodejs:dynamic/confluent:ServiceAccount",
  name: "sa",
  diffs: [],
  replaces: [],
  status: "done",
  ...over,
});
const closing = (over: Partial<Closing>): Closing => ({
  command: "up",
  preview: false,
  gate: false,
  steps: [],
  errors: [],
  violations: [],
  outputs: {},
  summary: none,
  ok: true,
  ...over,
});
const mandatory: Violation = {
  policyName: "no-admin",
  message: "Admins are not allowed.\nsa is OrganizationAdmin",
  enforcementLevel: "mandatory",
  urn: "urn:x",
};

describe("the heading and a step's lines", () => {
  it("names the command, stack, project and state file", () => {
    expect(headingLine("preview", "dev", "p", "/s/dev.json")).toBe(
      "Previewing update (dev) of project p, state /s/dev.json",
    );
    expect(headingLine("destroy", "prod", "q", "/s")).toBe("Destroying (prod) of project q, state /s");
  });

  it("a same step prints nothing; a failed one prints its error under it", () => {
    expect(stepLines(step({ op: "same" }), "up", false)).toEqual([]);
    expect(stepLines(step({ status: "failed", error: "boom" }), "up", false)).toEqual([
      " +  create failed  confluent:ServiceAccount  sa",
      "      error: boom",
    ]);
  });

  it("a violation: a heading, then each non-blank line of the message", () => {
    expect(violationLines({ ...mandatory, message: "A.\n\nB" })).toEqual([
      "    mandatory policy violation: no-admin (urn:x)",
      "        A.",
      "        B",
    ]);
    expect(violationLines({ policyName: "p", message: "m", enforcementLevel: "advisory" })).toEqual([
      "    advisory policy violation: p",
      "        m",
    ]);
  });
});

describe("stack outputs for display", () => {
  it("masks secrets and unknowns at any depth", () => {
    expect(
      maskOutputs({ a: secretWire("s3cr3t"), b: [UNKNOWN_VALUE, { c: secretWire(1) }], d: "plain" }),
    ).toEqual({ a: "[secret]", b: ["[unknown]", { c: "[secret]" }], d: "plain" });
  });
});

describe("the closing lines", () => {
  it("up: outputs aligned, counts, unchanged", () => {
    expect(
      closingLines(
        closing({
          outputs: { id: "sa-1", longer: "[secret]", n: 2 },
          summary: { ...none, create: 2, update: 1, replace: 1, delete: 3, same: 4 },
        }),
      ),
    ).toEqual([
      "",
      "Outputs:",
      '    id    : "sa-1"',
      "    longer: [secret]",
      "    n     : 2",
      "",
      "Resources:",
      "    +  2 created",
      "    ~  1 updated",
      "    +- 1 replaced",
      "    -  3 deleted",
      "      4 unchanged",
    ]);
  });

  it("preview: future tense; refresh: drift and gone, no outputs", () => {
    expect(
      closingLines(
        closing({ command: "preview", preview: true, summary: { ...none, create: 1, delete: 1 } }),
      ),
    ).toEqual(["", "Resources:", "    +  1 to create", "    -  1 to delete", "      0 unchanged"]);
    expect(
      closingLines(
        closing({ command: "refresh", outputs: { a: 1 }, summary: { ...none, update: 1, delete: 2 } }),
      ),
    ).toEqual(["", "Resources:", "    ~  1 changed (drift)", "    -  2 gone", "      0 unchanged"]);
  });

  it("an error already shown under its step is not repeated; others are, and failures are counted", () => {
    const failed = step({ status: "failed", error: "boom" });
    expect(
      closingLines(
        closing({
          steps: [failed],
          errors: [`${failed.urn}: boom`, "program failed: x"],
          summary: { ...none, failed: 1 },
          ok: false,
        }),
      ),
    ).toEqual(["", "Resources:", "    ** 1 failed", "      0 unchanged", "error: program failed: x"]);
  });

  it("a mandatory violation in a preview, in the policy check of up, and found after an up", () => {
    const counts = { ...none, create: 1 };
    expect(
      closingLines(
        closing({ preview: true, command: "preview", violations: [mandatory], summary: counts, ok: false }),
      ),
    ).toEqual([
      "",
      "Resources (none will be applied: a mandatory policy failed):",
      "    +  1 would be created",
      "      0 unchanged",
      "",
      "error: mandatory policy violation; nothing will be applied",
    ]);
    expect(
      closingLines(
        closing({
          preview: true,
          gate: true,
          command: "preview",
          violations: [mandatory, mandatory],
          ok: false,
        }),
      ).slice(-1),
    ).toEqual([
      "error: mandatory policy violations; up stopped before changing anything, nothing was applied",
    ]);
    expect(closingLines(closing({ violations: [mandatory], ok: false })).slice(-1)).toEqual([
      "error: mandatory policy violation in the stack policies, found after the update; nothing was deleted",
    ]);
    // In up, a resource the policy stopped has its own error line: no closing sentence.
    const stopped = step({
      status: "failed",
      error: "mandatory policy no-admin failed, so it was not created",
    });
    expect(closingLines(closing({ violations: [mandatory], steps: [stopped], ok: false })).slice(-2)).toEqual(
      ["      0 unchanged", ""],
    );
  });

  it("the policy check of up that failed without a violation says up stopped", () => {
    expect(
      closingLines(
        closing({ preview: true, gate: true, command: "preview", errors: ["program failed: x"], ok: false }),
      ).slice(-3),
    ).toEqual([
      "error: program failed: x",
      "",
      "error: the preview failed, so up stopped before changing anything; nothing was applied",
    ]);
  });
});
