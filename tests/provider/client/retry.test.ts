import * as http from "node:http";
import type { AddressInfo } from "node:net";
import {
  ConfluentApiError,
  ConfluentClient,
  NetworkError,
  OutcomeUnknownError,
  RetryPolicy,
  TimeoutError,
  parseRetryAfter,
  type ClientEvent,
} from "../../../provider/client";
import {
  FAKE_KEY,
  FAKE_SECRET,
  clientFor,
  json,
  rejectionOf,
  resetConnection,
  startServer,
  type ScriptedServer,
} from "./server";

let server: ScriptedServer;
let client: ConfluentClient;
let events: ClientEvent[];

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  ({ client, events } = clientFor(server));
});
afterEach(async () => {
  await client.close();
});

const ok = { id: "u-1", api_version: "iam/v2", kind: "User" };
const unavailable = { errors: [{ status: "503", detail: "Service Unavailable" }] };

describe("retries", () => {
  test("429: the retry does not arrive before Retry-After (1 second)", async () => {
    let sentAt = 0;
    server.reset((_req, res, n) => {
      if (n === 1) {
        json(res, 429, { errors: [{ status: "429", detail: "Too Many Requests" }] }, { "retry-after": "1" });
        sentAt = performance.now();
      } else json(res, 200, ok);
    });
    await expect(client.request("GET", "/iam/v2/users/u-1")).resolves.toEqual(ok);
    expect(server.seen).toHaveLength(2);
    expect(server.seen[1].at - sentAt).toBeGreaterThanOrEqual(995);
    expect(events).toEqual([
      {
        type: "retry",
        method: "GET",
        path: "/iam/v2/users/u-1",
        reason: "429 Too Many Requests, Retry-After 1",
        delayMs: 1000,
        attempt: 2,
        maxAttempts: 4,
      },
    ]);
  });

  test("429 without Retry-After waits X-RateLimit-Reset (relative seconds, not an epoch)", async () => {
    let sentAt = 0;
    server.reset((_req, res, n) => {
      if (n === 1) {
        json(res, 429, {}, { "x-ratelimit-reset": "0.3", "x-ratelimit-remaining": "0" });
        sentAt = performance.now();
      } else json(res, 200, ok);
    });
    await client.request("GET", "/iam/v2/users/u-1");
    expect(server.seen[1].at - sentAt).toBeGreaterThanOrEqual(295);
    expect(events[0]).toMatchObject({
      type: "retry",
      reason: "429 Too Many Requests, X-RateLimit-Reset 0.3",
      delayMs: 300,
    });
  });

  test("503 then success for GET", async () => {
    server.reset((_req, res, n) => (n === 1 ? json(res, 503, unavailable) : json(res, 200, ok)));
    await expect(client.request("GET", "/iam/v2/users/u-1")).resolves.toEqual(ok);
    expect(server.seen.map((s) => s.method)).toEqual(["GET", "GET"]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "retry",
      reason: "503 Service Unavailable",
      attempt: 2,
      maxAttempts: 4,
    });
    expect(events[0].delayMs).toBeLessThanOrEqual(1);
  });

  test("a connection reset by the server, then success, for GET", async () => {
    server.reset((_req, res, n) => (n === 1 ? resetConnection(res) : json(res, 200, ok)));
    await expect(client.request("GET", "/iam/v2/users/u-1")).resolves.toEqual(ok);
    expect(server.seen).toHaveLength(2);
    expect(events.map((e) => e.reason)).toEqual(["connection reset by the server (UND_ERR_SOCKET)"]);
  });

  test("a GET reset on every attempt ends in a NetworkError after maxAttempts", async () => {
    server.reset((_req, res) => resetConnection(res));
    const err = await rejectionOf(client.request("GET", "/iam/v2/users/u-1"));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toBe("GET /iam/v2/users/u-1 failed: connection reset by the server (UND_ERR_SOCKET)");
    expect(err).toMatchObject({ code: "UND_ERR_SOCKET", requestSent: true, retryable: true });
    expect(server.seen).toHaveLength(4);
  });

  test("PUT, PATCH and DELETE are retried on 503 like GET", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"] as const) {
      server.reset((_req, res, n) => (n === 1 ? json(res, 503, unavailable) : json(res, 200, ok)));
      await client.request(method, "/iam/v2/users/u-1", { body: {} });
      expect(server.seen.map((s) => s.method)).toEqual([method, method]);
    }
  });

  test("a POST that gets a 503 is sent exactly once and surfaces as OutcomeUnknownError", async () => {
    server.reset((_req, res) => json(res, 503, unavailable, { "x-request-id": "r-503" }));
    const err = await rejectionOf(client.request("POST", "/iam/v2/api-keys", { body: { spec: {} } }));
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.message).toBe(
      "POST /iam/v2/api-keys may have been applied by the server (look the object up before sending it again): " +
        "failed with 503 Service Unavailable: Service Unavailable (request id r-503)",
    );
    expect(err).toMatchObject({ status: 503, method: "POST", path: "/iam/v2/api-keys" });
    expect(err.cause).toBeInstanceOf(ConfluentApiError);
    expect(err.cause).toMatchObject({ status: 503, requestId: "r-503" });
    expect(server.seen).toHaveLength(1);
    expect(events).toEqual([]);
  });

  test("a POST reset after sending is sent exactly once and surfaces as OutcomeUnknownError", async () => {
    server.reset((_req, res) => resetConnection(res));
    const err = await rejectionOf(client.request("POST", "/iam/v2/service-accounts", { body: {} }));
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.message).toBe(
      "POST /iam/v2/service-accounts may have been applied by the server (look the object up before sending it again): " +
        "failed: connection reset by the server (UND_ERR_SOCKET)",
    );
    expect((err as OutcomeUnknownError).status).toBeUndefined();
    expect(err.cause).toBeInstanceOf(NetworkError);
    expect(server.seen).toHaveLength(1);
  });

  test("a POST that gets a 429 is retried (the server refused it without acting)", async () => {
    server.reset((_req, res, n) =>
      n === 1
        ? json(res, 429, {}, { "retry-after": "0" })
        : json(res, 202, { id: "AK1", spec: { secret: "" } }),
    );
    const res = await client.requestWithResponse("POST", "/iam/v2/api-keys", { body: { spec: {} } });
    expect(res.status).toBe(202);
    expect(server.seen.map((s) => [s.method, s.body])).toEqual([
      ["POST", '{"spec":{}}'],
      ["POST", '{"spec":{}}'],
    ]);
  });

  test("a POST refused before it was sent (ECONNREFUSED) is retried until the server is up", async () => {
    // A port that is free now; the server starts on it only after the first refusal.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));

    const late = http.createServer((_req, res) => json(res, 201, { id: "sa-1" }));
    const seenEvents: ClientEvent[] = [];
    const c = new ConfluentClient({
      endpoint: `http://127.0.0.1:${port}`,
      auth: { kind: "basic", apiKey: FAKE_KEY, apiSecret: FAKE_SECRET },
      retry: { baseDelayMs: 50, maxDelayMs: 50, maxAttempts: 20, budgetMs: 5_000 },
      onEvent: (e) => {
        seenEvents.push(e);
        if (seenEvents.length === 1) late.listen(port, "127.0.0.1");
      },
    });
    try {
      await expect(c.request("POST", "/iam/v2/service-accounts", { body: {} })).resolves.toEqual({
        id: "sa-1",
      });
      expect(seenEvents[0]).toMatchObject({ type: "retry", reason: "connection refused (ECONNREFUSED)" });
    } finally {
      await c.close();
      await new Promise<void>((r) => late.close(() => r()));
    }
  });

  test("the total time budget stops retries early", async () => {
    const { client: c } = clientFor(server, {
      retry: { baseDelayMs: 200, maxDelayMs: 200, maxAttempts: 50, budgetMs: 150 },
    });
    server.reset((_req, res) => json(res, 429, {}, { "retry-after": "1" }));
    const err = await rejectionOf(c.request("GET", "/iam/v2/users"));
    expect(err).toMatchObject({ status: 429, retryable: true });
    // The budget's decision: no second attempt (the 200 ms delay would pass the 150 ms budget).
    expect(server.seen).toHaveLength(1);
    await c.close();
  });
});

describe("timeouts", () => {
  test("headers timeout against a server that never answers: each of the two attempts stops at the timeout", async () => {
    const { client: c } = clientFor(server, {
      timeouts: { headersMs: 150 },
      retry: { baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 2 },
    });
    server.reset(() => undefined); // never answers
    const started = performance.now();
    const err = await rejectionOf(c.request("GET", "/iam/v2/users/u-1"));
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toBe(
      "GET /iam/v2/users/u-1 failed: no response headers within 150 ms (UND_ERR_HEADERS_TIMEOUT)",
    );
    expect(err).toMatchObject({ code: "UND_ERR_HEADERS_TIMEOUT", timeoutMs: 150 });
    expect(server.seen).toHaveLength(2);
    // Two attempts of at least 150 ms each; no upper bound (a loaded machine is slower, not wrong).
    expect(elapsed).toBeGreaterThanOrEqual(290);
    await c.close();
  });

  test("a POST that times out after sending is sent once and surfaces as OutcomeUnknownError", async () => {
    const { client: c } = clientFor(server, { timeouts: { headersMs: 100 } });
    server.reset(() => undefined);
    const err = await rejectionOf(c.request("POST", "/iam/v2/api-keys", { body: {} }));
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.cause).toBeInstanceOf(TimeoutError);
    expect(server.seen).toHaveLength(1);
    await c.close();
  });

  test("body timeout when the body stalls after the headers", async () => {
    const { client: c } = clientFor(server, {
      timeouts: { bodyMs: 100 },
      retry: { maxAttempts: 1 },
    });
    server.reset((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"id":');
    });
    const err = await rejectionOf(c.request("GET", "/iam/v2/users/u-1"));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toBe(
      "GET /iam/v2/users/u-1 failed: response body stalled for 100 ms (UND_ERR_BODY_TIMEOUT)",
    );
    await c.close();
  });
});

describe("RetryPolicy", () => {
  test("Retry-After as an HTTP date", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:07 GMT", now)).toBe(7000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("2", now)).toBe(2000);
  });

  test("capped exponential back-off with full jitter", () => {
    const top = new RetryPolicy({ baseDelayMs: 500, maxDelayMs: 30_000 }, () => 0.999999);
    expect([1, 2, 3, 4, 7, 8, 20].map((a) => top.backoff(a))).toEqual([
      499, 999, 1999, 3999, 29999, 29999, 29999,
    ]);
    const bottom = new RetryPolicy({ baseDelayMs: 500, maxDelayMs: 30_000 }, () => 0);
    expect(bottom.backoff(5)).toBe(0);
  });

  test("production defaults", () => {
    expect(new RetryPolicy()).toMatchObject({
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      maxAttempts: 8,
      budgetMs: 300_000,
    });
  });

  test("decisions per method and failure", () => {
    const p = new RetryPolicy({ baseDelayMs: 10, maxAttempts: 3 }, () => 0.5);
    const status = (s: number, headers = {}) => ({ kind: "status" as const, status: s, headers });
    expect(p.decide("POST", status(500), 1, 0)).toEqual({ action: "fail", outcomeUnknown: true });
    // Confluent lists 500 with 502-504 as transient server errors: an idempotent call is repeated.
    expect(p.decide("GET", status(500), 1, 0)).toEqual({
      action: "retry",
      delayMs: 5,
      reason: "500 Internal Server Error",
      pauseOrigin: false,
    });
    expect(p.decide("GET", status(501), 1, 0)).toEqual({ action: "fail", outcomeUnknown: false });
    expect(p.decide("GET", status(504), 1, 0)).toEqual({
      action: "retry",
      delayMs: 5,
      reason: "504 Gateway Timeout",
      pauseOrigin: false,
    });
    expect(p.decide("GET", status(504), 3, 0)).toEqual({ action: "fail", outcomeUnknown: false });
    expect(p.decide("POST", status(429, { "retry-after": "2" }), 1, 0)).toEqual({
      action: "retry",
      delayMs: 2000,
      reason: "429 Too Many Requests, Retry-After 2",
      pauseOrigin: true,
    });
    expect(p.decide("DELETE", status(404), 1, 0)).toEqual({ action: "fail", outcomeUnknown: false });
  });
});
