/**
 * The model of the anchor's client policy (bench/anchor.ts): terraform-provider-confluent's go-retryablehttp
 * settings, plugged into our client through its benchmark seam. Driven through a real ConfluentClient against
 * a purpose-built loopback server that answers each request from a script, recording what was sent. Waits are
 * read from the client's retry events (what the policy decided); nothing asserts how long a test took.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { AnchorPolicy, goRetryAfter, type AnchorOptions } from "../../bench/anchor";
import {
  ConfluentApiError,
  ConfluentClient,
  NetworkError,
  OutcomeUnknownError,
  type ClientEvent,
} from "../../provider/client";
import { setClientStrategyForBenchmark } from "../../provider/client/client";

/** One scripted answer: a status with headers, or a connection reset. */
type Answer = { status: number; headers?: Record<string, string>; body?: unknown } | "reset";

interface Seen {
  method: string;
  path: string;
  body: string;
}

let server: http.Server;
let url: string;
let script: Answer[] = [];
let seen: Seen[] = [];
let events: ClientEvent[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (body += d));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", path: req.url ?? "", body });
      const answer = script.shift() ?? { status: 200, body: { ok: true } };
      if (answer === "reset") {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(
        JSON.stringify(answer.body ?? { error_code: answer.status, message: `status ${answer.status}` }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

const clients: ConfluentClient[] = [];

afterEach(async () => {
  setClientStrategyForBenchmark(undefined);
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

/** A client built while the anchor model is installed, with `options` for the model. */
function anchorClient(options: AnchorOptions = {}): ConfluentClient {
  script = [];
  seen = [];
  events = [];
  setClientStrategyForBenchmark(() => new AnchorPolicy(options));
  const c = new ConfluentClient({
    endpoint: url,
    auth: { kind: "basic", apiKey: "FAKEKEY", apiSecret: "fake-secret-for-tests" },
    onEvent: (e) => events.push(e),
  });
  clients.push(c);
  return c;
}

const retryWaits = (): number[] => events.filter((e) => e.type === "retry").map((e) => e.delayMs);
const sent = (): string[] => seen.map((s) => `${s.method} ${s.path}`);

describe("anchor model (go-retryablehttp v0.7.7 defaults, RetryMax 4)", () => {
  it("sends a POST again on 500, 502 and 504, waiting 1, 2 and 4 s, with the same body each time", async () => {
    const c = anchorClient();
    script = [{ status: 500 }, { status: 502 }, { status: 504 }, { status: 201, body: { id: "sa-1" } }];
    const body = await c.request("POST", "/iam/v2/service-accounts", { body: { display_name: "a" } });
    expect(body).toEqual({ id: "sa-1" });
    expect(sent()).toEqual(Array(4).fill("POST /iam/v2/service-accounts"));
    expect(new Set(seen.map((s) => s.body))).toEqual(new Set([JSON.stringify({ display_name: "a" })]));
    expect(retryWaits()).toEqual([1000, 2000, 4000]);
  }, 30_000);

  it("gives up after 5 attempts (4 retries, waits 1, 2, 4, 8 s); the error is the last 503, not an unknown outcome", async () => {
    const c = anchorClient();
    script = Array<Answer>(6).fill({ status: 503 });
    const err = await c.request("POST", "/iam/v2/ip-groups", { body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfluentApiError);
    expect(err).not.toBeInstanceOf(OutcomeUnknownError);
    expect((err as ConfluentApiError).status).toBe(503);
    expect(sent()).toEqual(Array(5).fill("POST /iam/v2/ip-groups"));
    expect(retryWaits()).toEqual([1000, 2000, 4000, 8000]);
    expect(events.filter((e) => e.type === "retry").map((e) => e.maxAttempts)).toEqual([5, 5, 5, 5]);
  }, 60_000);

  it("429 and 503 wait Retry-After in whole seconds; an unreadable one falls back to the back-off", async () => {
    const c = anchorClient();
    script = [
      { status: 429, headers: { "retry-after": "0" } },
      { status: 503, headers: { "retry-after": "0" } },
      // Go's strconv.ParseInt refuses a fraction, and it is no HTTP date: back-off of retry 3, 4 s.
      { status: 429, headers: { "retry-after": "0.5" } },
      { status: 200, body: { id: "x" } },
    ];
    await c.request("DELETE", "/iam/v2/role-bindings/rb-1");
    expect(sent()).toEqual(Array(4).fill("DELETE /iam/v2/role-bindings/rb-1"));
    expect(retryWaits()).toEqual([0, 0, 4000]);
  }, 30_000);

  it("a 502's Retry-After is not read (only 429 and 503): back-off 1 s", async () => {
    const c = anchorClient();
    script = [
      { status: 502, headers: { "retry-after": "0" } },
      { status: 200, body: {} },
    ];
    await c.request("PATCH", "/iam/v2/service-accounts/sa-1", { body: { description: "d" } });
    expect(retryWaits()).toEqual([1000]);
  }, 30_000);

  it.each([400, 401, 403, 404, 409, 501])(
    "status %i is not retried: one request, that error",
    async (status) => {
      const c = anchorClient();
      script = [{ status }];
      const err = await c.request("POST", "/iam/v2/service-accounts", { body: {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfluentApiError);
      expect((err as ConfluentApiError).status).toBe(status);
      expect(sent()).toEqual(["POST /iam/v2/service-accounts"]);
      expect(retryWaits()).toEqual([]);
    },
  );

  it("a connection reset after a POST was sent is retried too (our policy would call it an unknown outcome)", async () => {
    const c = anchorClient();
    script = ["reset", { status: 202, body: { id: "KEY1" } }];
    const body = await c.request("POST", "/iam/v2/api-keys", { body: { spec: {} } });
    expect(body).toEqual({ id: "KEY1" });
    expect(sent()).toEqual(["POST /iam/v2/api-keys", "POST /iam/v2/api-keys"]);
    expect(retryWaits()).toEqual([1000]);
    expect(events[0]!.reason).toMatch(/^(UND_ERR_SOCKET|ECONNRESET) \(anchor model/);
  }, 30_000);

  it("shares no limiter: an answer with X-RateLimit-Remaining 0 holds nothing back", async () => {
    const c = anchorClient();
    const spent = { "x-ratelimit-limit": "20", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "30" };
    script = [
      { status: 200, headers: spent, body: { data: [] } },
      { status: 200, headers: spent, body: { data: [] } },
    ];
    await c.request("GET", "/iam/v2/service-accounts");
    await c.request("GET", "/iam/v2/service-accounts");
    expect(sent()).toEqual(Array(2).fill("GET /iam/v2/service-accounts"));
    expect(events).toEqual([]);
  });

  it("sleeps 90 s (times the scale) after a role-binding create, and after nothing else", async () => {
    const slept: number[] = [];
    const sleep = (ms: number): Promise<void> => {
      slept.push(ms);
      return Promise.resolve();
    };
    const full = anchorClient({ sleep });
    script = [{ status: 201, body: { id: "rb-1" } }];
    await full.request("POST", "/iam/v2/role-bindings", { body: {} });
    expect(slept).toEqual([90_000]);
    await full.request("GET", "/iam/v2/role-bindings/rb-1");
    await full.request("DELETE", "/iam/v2/role-bindings/rb-1");
    await full.request("POST", "/iam/v2/service-accounts", { body: {} });
    expect(slept).toEqual([90_000]);
    // A failed create does not sleep.
    script = [{ status: 409 }];
    await full.request("POST", "/iam/v2/role-bindings", { body: {} }).catch(() => undefined);
    expect(slept).toEqual([90_000]);

    slept.length = 0;
    const scaled = anchorClient({ sleep, sleepScale: 1 / 30 });
    await scaled.request("POST", "/iam/v2/role-bindings", { body: {} });
    expect(slept).toEqual([3_000]);
  });

  it("parses Retry-After as go-retryablehttp does", () => {
    const now = Date.parse("Tue, 01 Dec 2026 12:00:00 GMT");
    expect(goRetryAfter("7", now)).toBe(7000);
    expect(goRetryAfter("+2", now)).toBe(2000);
    expect(goRetryAfter("-1", now)).toBeUndefined();
    expect(goRetryAfter("1.5", now)).toBeUndefined();
    expect(goRetryAfter("", now)).toBeUndefined();
    expect(goRetryAfter(undefined, now)).toBeUndefined();
    expect(goRetryAfter("Tue, 01 Dec 2026 12:00:05 GMT", now)).toBe(5000);
    expect(goRetryAfter("Tue, 01 Dec 2026 11:59:00 GMT", now)).toBe(0);
    expect(goRetryAfter("2026-12-01T12:00:05Z", now)).toBeUndefined();
  });
});

describe("the client's benchmark seam", () => {
  it("a client built after the strategy is removed uses our policy again: a POST's 502 is an unknown outcome", async () => {
    anchorClient();
    setClientStrategyForBenchmark(undefined);
    const ours = new ConfluentClient({
      endpoint: url,
      auth: { kind: "basic", apiKey: "FAKEKEY", apiSecret: "fake-secret-for-tests" },
    });
    clients.push(ours);
    script = [{ status: 502 }];
    const err = await ours.request("POST", "/iam/v2/service-accounts", { body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(sent()).toEqual(["POST /iam/v2/service-accounts"]);
  });

  it("returns the factory it replaces", () => {
    const factory = (): AnchorPolicy => new AnchorPolicy();
    expect(setClientStrategyForBenchmark(factory)).toBeUndefined();
    expect(setClientStrategyForBenchmark(undefined)).toBe(factory);
  });

  it("our policy does not send a POST again after a reset: an unknown outcome, caused by the NetworkError", async () => {
    script = ["reset"];
    seen = [];
    const ours = new ConfluentClient({
      endpoint: url,
      auth: { kind: "basic", apiKey: "FAKEKEY", apiSecret: "fake-secret-for-tests" },
    });
    clients.push(ours);
    const err = await ours.request("POST", "/iam/v2/api-keys", { body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect((err as OutcomeUnknownError).cause).toBeInstanceOf(NetworkError);
    expect(sent()).toEqual(["POST /iam/v2/api-keys"]);
  });
});
