/**
 * Nothing taken over, nothing blamed by mistake (issue 10, items 2, 3, 4 and 15). The provider talks to the
 * emulator through a purpose-built proxy on loopback that can answer one create with a 502, either without
 * passing it on (the create did not happen) or after passing it on (it did). The emulator's clock can be
 * set back, so that an object "made outside the stack" is older than the create request.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { adapters, closeClients } from "pulumi-confluent-iam/provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorApi } from "../../testing/emulator-api";

let emu: RunningEmulator;
let api: EmulatorApi;
let proxy: http.Server;
/** Milliseconds added to the emulator's clock. */
let clockOffset = 0;
/** What the proxy does with the next POST to `failPath`. */
let failMode: "drop" | "after" | undefined;
let failPath = "";
/** Requests the proxy saw, `METHOD path` (without query), in order. */
const seen: string[] = [];

const BAD_GATEWAY = JSON.stringify({ errors: [{ status: "502", detail: "Bad Gateway" }] });

beforeAll(async () => {
  emu = await startEmulator({ port: 0, now: () => Date.now() + clockOffset });
  api = new EmulatorApi(emu);
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "").replace(/\?.*$/, "");
      seen.push(`${req.method} ${path}`);
      const fail = req.method === "POST" && path === failPath ? failMode : undefined;
      if (fail !== undefined) failMode = undefined;
      const badGateway = (): void => {
        res.writeHead(502, { "content-type": "application/json" });
        res.end(BAD_GATEWAY);
      };
      if (fail === "drop") {
        badGateway();
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === "string" && k !== "host" && k !== "content-length") headers[k] = v;
      }
      fetch(`${emu.url}${req.url ?? ""}`, {
        method: req.method,
        headers,
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      })
        .then(async (r) => {
          const text = await r.text();
          if (fail === "after") {
            badGateway();
            return;
          }
          res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/json" });
          res.end(text);
        })
        .catch((e: unknown) => {
          res.writeHead(500);
          res.end(String(e));
        });
    });
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  process.env.CONFLUENT_CLOUD_ENDPOINT = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  process.env.CONFLUENT_CLOUD_API_KEY = emu.apiKey;
  process.env.CONFLUENT_CLOUD_API_SECRET = emu.apiSecret;
  process.env.CONFLUENT_IAM_RECONCILE_WAIT_MS = "60";
  process.env.CONFLUENT_IAM_RETRY_BASE_MS = "1";
});

beforeEach(async () => {
  clockOffset = 0;
  failMode = undefined;
  seen.length = 0;
  await api.reset();
});

afterAll(async () => {
  await closeClients();
  await new Promise((r) => proxy.close(r));
  await emu.close();
  for (const v of [
    "CONFLUENT_CLOUD_ENDPOINT",
    "CONFLUENT_CLOUD_API_KEY",
    "CONFLUENT_CLOUD_API_SECRET",
    "CONFLUENT_IAM_RECONCILE_WAIT_MS",
    "CONFLUENT_IAM_RETRY_BASE_MS",
  ]) {
    delete process.env[v];
  }
});

/** Makes an object through the emulator's API as if another team had, `ageMs` ago. */
async function madeOutside(path: string, body: unknown, ageMs: number): Promise<string> {
  clockOffset = -ageMs;
  try {
    return ((await api.ok("POST", path, body)) as { id: string }).id;
  } finally {
    clockOffset = 0;
  }
}

const TEN_MINUTES = 10 * 60_000;
const IMPORT_ADVICE =
  "(the Pulumi CLI's pulumi import command does not work for dynamic providers: pulumi/pulumi#16175)";

describe("a create with an unknown outcome (502) never takes over an object it did not make", () => {
  it("a service account of the same name made outside the stack before the request fails with the 409 advice, and is neither recorded nor changed", async () => {
    const theirs = await madeOutside(
      "/iam/v2/service-accounts",
      { display_name: "payments-prod", description: "another team's" },
      TEN_MINUTES,
    );
    failPath = "/iam/v2/service-accounts";
    failMode = "drop";
    await expect(adapters.ServiceAccount!.create({ displayName: "payments-prod" })).rejects.toThrow(
      `Cannot create service account with display name "payments-prod": it already exists as ${theirs}, ` +
        `and it was created before this create request reached the API (by the API's clock) (the request's outcome is unknown: POST ` +
        `/iam/v2/service-accounts may have been applied by the server (look the object up before sending it ` +
        `again): failed with 502 Bad Gateway: Bad Gateway), so it was not taken over. If the program declares the same service ` +
        `account twice, remove one of the two resources. ` +
        `Otherwise, to manage the existing one, add the resource option { import: "${theirs}" } to this ` +
        `resource in the program and run pulumi up again ${IMPORT_ADVICE}, or choose different values.`,
    );
    expect(seen.filter((s) => s.startsWith("POST"))).toEqual(["POST /iam/v2/service-accounts"]);
    const dump = await api.dump();
    expect(dump.service_accounts).toEqual([
      expect.objectContaining({ id: theirs, display_name: "payments-prod", description: "another team's" }),
    ]);
  });

  it("a service account the lost request did make (created after it was sent) is used, with one POST", async () => {
    failPath = "/iam/v2/service-accounts";
    failMode = "after";
    const { id, outs } = await adapters.ServiceAccount!.create({ displayName: "payments-new" });
    expect(outs.displayName).toBe("payments-new");
    expect(seen.filter((s) => s.startsWith("POST"))).toEqual(["POST /iam/v2/service-accounts"]);
    expect((await api.dump()).service_accounts!.map((r) => r.id)).toEqual([id]);
  });

  it("a pending invitation for the same email left by an earlier run fails with the 409 advice and is not taken over", async () => {
    const theirs = await madeOutside("/iam/v2/invitations", { email: "new-hire@example.com" }, TEN_MINUTES);
    failPath = "/iam/v2/invitations";
    failMode = "drop";
    await expect(adapters.Invitation!.create({ email: "new-hire@example.com" })).rejects.toThrow(
      `Cannot create invitation with email new-hire@example.com: it already exists as ${theirs}, and it was ` +
        `created before this create request reached the API (by the API's clock) (the request's outcome is unknown: POST ` +
        `/iam/v2/invitations may have been applied by the server (look the object up before sending it ` +
        `again): failed with 502 Bad Gateway: Bad Gateway), so it was not taken over. If the program declares the same ` +
        `invitation twice, remove one of the two resources. ` +
        `Otherwise, to manage the existing one, add the resource option { import: "${theirs}" } to this ` +
        `resource in the program and run pulumi up again ${IMPORT_ADVICE}, or choose different values.`,
    );
    expect(seen.filter((s) => s.startsWith("POST"))).toEqual(["POST /iam/v2/invitations"]);
  });

  it("a service account another resource of this stack made seconds earlier is not taken over: the program declares it twice", async () => {
    const first = await adapters.ServiceAccount!.create({ displayName: "twice" });
    failPath = "/iam/v2/service-accounts";
    failMode = "drop";
    await expect(adapters.ServiceAccount!.create({ displayName: "twice" })).rejects.toThrow(
      `Cannot create service account with display name "twice": another resource of this stack already ` +
        `manages it as ${first.id}, so the program declares the same service account twice. Remove one of ` +
        `the two resources from the program and run pulumi up again.`,
    );
  });
});

describe("the stray-key check after an unknown API-key create", () => {
  it("does not blame a sibling key this run created: the second key is sent again and both exist", async () => {
    const sa = (await api.ok("POST", "/iam/v2/service-accounts", { display_name: "key-owner" })) as {
      id: string;
    };
    const first = await adapters.ApiKey!.create({ owner: { id: sa.id }, disableWaitForReady: true });
    seen.length = 0;
    failPath = "/iam/v2/api-keys";
    failMode = "drop";
    const second = await adapters.ApiKey!.create({ owner: { id: sa.id }, disableWaitForReady: true });
    expect(second.id).not.toBe(first.id);
    expect(String(second.outs.secret).length).toBeGreaterThan(20);
    expect(seen.filter((s) => s.startsWith("POST"))).toEqual([
      "POST /iam/v2/api-keys",
      "POST /iam/v2/api-keys",
    ]);
    expect(new Set((await api.dump()).api_keys!.map((k) => k.id))).toEqual(new Set([first.id, second.id]));
  });

  it("does not blame a key of the stack from an earlier run that this run only diffed (unchanged)", async () => {
    const sa = (await api.ok("POST", "/iam/v2/service-accounts", { display_name: "key-owner-3" })) as {
      id: string;
    };
    // Made seconds ago by an earlier run of the same stack: well inside the clock-skew margin.
    const earlier = (await api.ok("POST", "/iam/v2/api-keys", { spec: { owner: { id: sa.id } } })) as {
      id: string;
    };
    const olds = { owner: { id: sa.id }, displayName: "", description: "", disableWaitForReady: true };
    const news = { owner: { id: sa.id }, disableWaitForReady: true };
    expect((await adapters.ApiKey!.diff(earlier.id, olds, news)).changes).toBe(false);
    seen.length = 0;
    failPath = "/iam/v2/api-keys";
    failMode = "drop";
    const made = await adapters.ApiKey!.create(news);
    expect(made.id).not.toBe(earlier.id);
    expect(seen.filter((s) => s.startsWith("POST"))).toEqual([
      "POST /iam/v2/api-keys",
      "POST /iam/v2/api-keys",
    ]);
  });

  it("a key the lost answer made (its secret lost with it) is deleted and made again: one key alive, the new one", async () => {
    const sa = (await api.ok("POST", "/iam/v2/service-accounts", { display_name: "key-owner-2" })) as {
      id: string;
    };
    seen.length = 0;
    failPath = "/iam/v2/api-keys";
    failMode = "after";
    const made = await adapters.ApiKey!.create({ owner: { id: sa.id }, disableWaitForReady: true });
    expect(String(made.outs.secret).length).toBeGreaterThan(20);
    const keys = (await api.dump()).api_keys!.map((k) => k.id);
    expect(keys).toEqual([made.id]);
    const writes = seen.filter((s) => !s.startsWith("GET"));
    expect(writes).toHaveLength(3);
    expect(writes[0]).toBe("POST /iam/v2/api-keys");
    expect(writes[1]).toMatch(/^DELETE \/iam\/v2\/api-keys\/[A-Z0-9]+$/);
    expect(writes[1]).not.toBe(`DELETE /iam/v2/api-keys/${made.id}`);
    expect(writes[2]).toBe("POST /iam/v2/api-keys");
  });
});

describe("a removed defaulted field", () => {
  it('a service account\'s removed description is PATCHed to "" (one PATCH), and then shows no diff', async () => {
    const made = await adapters.ServiceAccount!.create({
      displayName: "described",
      description: "old words",
    });
    await api.clearLog();
    const news = { displayName: "described" };
    const before = await adapters.ServiceAccount!.diff(made.id, made.outs, news);
    expect(before.diffs).toEqual(["description"]);
    const { outs } = await adapters.ServiceAccount!.update(made.id, made.outs, news);
    expect(await api.calls()).toEqual([`PATCH /iam/v2/service-accounts/${made.id}`]);
    expect((await api.dump()).service_accounts).toEqual([
      expect.objectContaining({ id: made.id, description: "" }),
    ]);
    expect((await adapters.ServiceAccount!.diff(made.id, outs, news)).changes).toBe(false);
  });

  it('an API key\'s removed name and description are PATCHed to "" (one PATCH), and then show no diff', async () => {
    const sa = (await api.ok("POST", "/iam/v2/service-accounts", { display_name: "named-key-owner" })) as {
      id: string;
    };
    const made = await adapters.ApiKey!.create({
      owner: { id: sa.id },
      displayName: "ci",
      description: "CI key",
      disableWaitForReady: true,
    });
    await api.clearLog();
    const news = { owner: { id: sa.id }, disableWaitForReady: true };
    const { outs } = await adapters.ApiKey!.update(made.id, made.outs, news);
    expect(await api.calls()).toEqual([`PATCH /iam/v2/api-keys/${made.id}`]);
    expect((await api.dump()).api_keys).toEqual([
      expect.objectContaining({ id: made.id, display_name: "", description: "" }),
    ]);
    expect((await adapters.ApiKey!.diff(made.id, outs, news)).changes).toBe(false);
  });
});

describe("a role binding that already exists (409)", () => {
  const crn = "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001";

  it("made outside the stack: the advice says to remove a duplicate declaration, or else to adopt it", async () => {
    const theirs = await madeOutside(
      "/iam/v2/role-bindings",
      { principal: "User:u-demo02", role_name: "MetricsViewer", crn_pattern: crn },
      0,
    );
    await expect(
      adapters.RoleBinding!.create({
        principal: "User:u-demo02",
        roleName: "MetricsViewer",
        crnPattern: crn,
      }),
    ).rejects.toThrow(
      `Cannot create role binding with principal User:u-demo02, role MetricsViewer and CRN pattern ${crn}: it ` +
        `already exists as ${theirs}. If the program declares the same role binding twice, remove one of the ` +
        `two resources. Otherwise, to manage the existing one, add the resource option { import: ` +
        `"${theirs}" } to this resource in the program and run pulumi up again ${IMPORT_ADVICE}, or choose ` +
        `different values.`,
    );
  });

  it("declared twice in one program: the advice names the duplicate, not an import of the stack's own binding", async () => {
    const inputs = { principal: "User:u-demo01", roleName: "MetricsViewer", crnPattern: crn };
    const first = await adapters.RoleBinding!.create(inputs);
    await expect(adapters.RoleBinding!.create(inputs)).rejects.toThrow(
      `Cannot create role binding with principal User:u-demo01, role MetricsViewer and CRN pattern ${crn}: ` +
        `another resource of this stack already manages it as ${first.id}, so the program declares the same ` +
        `role binding twice. Remove one of the two resources from the program and run pulumi up again.`,
    );
  });
});
