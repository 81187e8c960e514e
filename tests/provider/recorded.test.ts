import * as fs from "fs";
import * as path from "path";
import type { z } from "zod";
import { apiKeyResponse } from "../../provider/specs/api-key";
import { invitationResponse } from "../../provider/specs/invitation";
import { ipFilterResponse } from "../../provider/specs/ip-filter";
import { ipGroupResponse } from "../../provider/specs/ip-group";
import { roleBindingResponse } from "../../provider/specs/role-binding";
import { serviceAccountResponse } from "../../provider/specs/service-account";
import { userResponse } from "../../provider/specs/user";

const RECORDED = "/work/shared/recorded";

// Which response schema answers which recorded folder (list bodies are checked item by item).
const schemas: Record<string, z.ZodTypeAny> = {
  "iam-v2/api-keys": apiKeyResponse,
  "iam-v2/service-accounts": serviceAccountResponse,
  "iam-v2/users": userResponse,
  "iam-v2/invitations": invitationResponse,
  "iam-v2/role-bindings": roleBindingResponse,
  "iam-v2/ip-groups": ipGroupResponse,
  "iam-v2/ip-filters": ipFilterResponse,
};

interface Entry {
  file: string;
  kind: string;
  used_as: { method: string; mock_status?: number }[];
}
const index = JSON.parse(fs.readFileSync(path.join(RECORDED, "INDEX.json"), "utf8")) as { entries: Entry[] };
const bodies = index.entries.filter(
  (e) =>
    e.kind === "response_body" &&
    Object.keys(schemas).some((k) => e.file.startsWith(`${k}/`)) &&
    e.used_as.every((u) => (u.mock_status ?? 200) < 300),
);

describe("recorded real API bodies parse with the provider's response schemas", () => {
  it("covers the recordings of every object with a schema", () => {
    expect(bodies.length).toBeGreaterThanOrEqual(25);
  });

  it.each(bodies.map((e) => [e.file] as const))("%s", (file) => {
    const folder = Object.keys(schemas).find((k) => file.startsWith(`${k}/`))!;
    const schema = schemas[folder]!;
    const body = JSON.parse(fs.readFileSync(path.join(RECORDED, file), "utf8")) as Record<string, unknown>;
    const items = Array.isArray(body.data) ? (body.data as unknown[]) : [body];
    for (const item of items) {
      const r = schema.safeParse(item);
      expect(r.success ? "ok" : JSON.stringify(r.error.issues)).toBe("ok");
    }
  });
});
