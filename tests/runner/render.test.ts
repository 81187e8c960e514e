import type { StepRecord } from "../../runner/engine";
import { showHostLine, stepLine } from "../../runner/render";

describe("which lines of the dynamic-provider host's output are shown", () => {
  it("drops the host's echo of an error the runner reports itself, with its stack", () => {
    const echo = [
      "ConfluentApiError: GET /iam/v2/service-accounts/sa-000001 failed with 401 Unauthorized: Unauthorized (request id r-1): ConfluentApiError: GET /iam/v2/service-accounts/sa-000001 failed with 401 Unauthorized: Unauthorized (request id r-1)",
      "    at parseApiError (/work/provider/client/errors.ts:246:12)",
      "    at processTicksAndRejections (node:internal/process/task_queues:95:5)",
    ];
    expect(echo.filter(showHostLine)).toEqual([]);
  });

  it("drops Node's warnings about rejections handled late, and blank lines", () => {
    expect(
      [
        "(node:4242) PromiseRejectionHandledWarning: Promise rejection was handled asynchronously (rejection id: 3)",
        "(Use `node --trace-warnings ...` to show where the warning was created)",
        "   ",
      ].filter(showHostLine),
    ).toEqual([]);
  });

  it("keeps the provider's own lines", () => {
    const own = [
      "confluent-iam: POST /iam/v2/api-keys answered 503; retrying in 200 ms",
      "Error: something the host could not report over gRPC",
      "a: b",
    ];
    expect(own.filter(showHostLine)).toEqual(own);
  });
});

describe("step lines", () => {
  const step = (over: Partial<StepRecord>): StepRecord => ({
    op: "update",
    urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/confluent:ApiKey::key",
    type: "pulumi-nodejs:dynamic/confluent:ApiKey",
    name: "key",
    diffs: [],
    replaces: [],
    status: "done",
    ...over,
  });

  it.each<[Partial<StepRecord>, "preview" | "up" | "refresh" | "destroy", boolean, string]>([
    [{ op: "create", status: "planned" }, "preview", true, " +  create         confluent:ApiKey  key"],
    [
      { diffs: ["~description"] },
      "up",
      false,
      " ~  updated        confluent:ApiKey  key  [diff: ~description]",
    ],
    [
      { op: "replace", diffs: ["~owner"], replaces: ["owner"] },
      "up",
      false,
      " +- replaced       confluent:ApiKey  key  [diff: ~owner]  [replaces: owner]",
    ],
    [{ op: "read", status: "failed" }, "refresh", false, " >  read failed    confluent:ApiKey  key"],
    [{ diffs: ["~value"] }, "refresh", false, " ~  changed        confluent:ApiKey  key  [diff: ~value]"],
    [
      { op: "delete", note: "retained: the object is left in place" },
      "up",
      false,
      " -  deleted        confluent:ApiKey  key  [retained: the object is left in place]",
    ],
    [
      { op: "create", type: "acme:iam:TeamAccess", name: "payments" },
      "up",
      false,
      " +  created        acme:iam:TeamAccess  payments",
    ],
  ])("%j in %s", (over, command, preview, line) => {
    expect(stepLine(step(over), command, preview)).toBe(line);
  });
});
