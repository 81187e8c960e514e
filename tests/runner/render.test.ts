import { showHostLine } from "../../runner/render";

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
