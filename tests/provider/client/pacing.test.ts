import type { ServerResponse } from "node:http";
import { type ClientEvent } from "../../../provider/client";
import { OriginLimiter } from "../../../provider/client/limiter";
import { clientFor, json, startServer, type ScriptedServer } from "./server";

/**
 * Pacing from the server's own `X-RateLimit-*` headers. Each test has its own server (its own origin), so
 * that what one test's limiter learned cannot pace another.
 */

let server: ScriptedServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

/**
 * A fixed-window limiter like a simple API gateway's: `limit` requests per `windowMs`, windows starting at
 * the first request. It answers 429 with `Retry-After` (the rest of the window, fractional seconds) past the
 * limit; with `headers` it also sends the documented `X-RateLimit-*` headers on every answer.
 */
function fixedWindow(limit: number, windowMs: number, headers: boolean): (res: ServerResponse) => void {
  let start = -1;
  let used = 0;
  return (res) => {
    const now = performance.now();
    if (start < 0) start = now;
    while (now >= start + windowMs) {
      start += windowMs;
      used = 0;
    }
    const left = (start + windowMs - now) / 1000;
    const allowed = used < limit;
    if (allowed) used++;
    const h: Record<string, string> = headers
      ? {
          "x-ratelimit-limit": String(limit),
          "x-ratelimit-remaining": String(limit - used),
          "x-ratelimit-reset": left.toFixed(3),
        }
      : {};
    if (allowed) json(res, 200, { ok: true }, h);
    else
      json(
        res,
        429,
        { errors: [{ status: "429", detail: "Too Many Requests" }] },
        {
          ...h,
          "retry-after": left.toFixed(3),
        },
      );
  };
}

const statuses = (events: ClientEvent[]): string[] => events.map((e) => `${e.type}: ${e.reason}`);

describe("pacing from X-RateLimit-* headers", () => {
  test("12 requests against 5 per second: 0 429s with the headers, every request answered", async () => {
    const handle = fixedWindow(5, 1_000, true);
    let tooMany = 0;
    server.reset((_req, res) => {
      handle(res);
      if (res.statusCode === 429) tooMany++;
    });
    const { client, events } = clientFor(server, { maxInFlight: 12 });
    // The first answer teaches the limiter the window (before it, nothing is known: see the next test).
    await client.request("GET", "/iam/v2/service-accounts/sa-0");
    const answers = await Promise.all(
      Array.from({ length: 11 }, (_, i) => client.request("GET", `/iam/v2/service-accounts/sa-${i + 1}`)),
    );
    expect(answers).toHaveLength(11);
    expect(tooMany).toBe(0);
    expect(server.seen).toHaveLength(12);
    expect(events.filter((e) => e.type === "retry")).toEqual([]);
    // 4 of the 11 fit the first window; the other 7 waited (2 of them through a second window too).
    const waits = events.filter((e) => e.type === "wait");
    expect(new Set(waits.map((w) => w.path)).size).toBe(7);
    for (const w of waits) expect(w.reason).toMatch(/^rate limit window spent \(X-RateLimit-/);
    await client.close();
  });

  test("the same server without the headers: today's behaviour, every excess request is a 429 (9 in all)", async () => {
    const handle = fixedWindow(5, 1_000, false);
    let tooMany = 0;
    server.reset((_req, res) => {
      handle(res);
      if (res.statusCode === 429) tooMany++;
    });
    const { client, events } = clientFor(server, { maxInFlight: 12 });
    await client.request("GET", "/iam/v2/service-accounts/sa-0");
    await Promise.all(
      Array.from({ length: 11 }, (_, i) => client.request("GET", `/iam/v2/service-accounts/sa-${i + 1}`)),
    );
    // Window 1: 5 answered, 7 refused; window 2: 5 of the 7 answered, 2 refused; window 3: the last 2.
    expect(tooMany).toBe(9);
    expect(server.seen).toHaveLength(21);
    expect(events.filter((e) => e.type === "retry")).toHaveLength(9);
    await client.close();
  });

  test("never waits while the server reports room: 20 concurrent requests with Remaining 100", async () => {
    let remaining = 100;
    server.reset((_req, res) =>
      json(
        res,
        200,
        {},
        {
          "x-ratelimit-limit": "100",
          "x-ratelimit-remaining": String(--remaining),
          "x-ratelimit-reset": "60",
        },
      ),
    );
    const { client, events } = clientFor(server, { maxInFlight: 20 });
    await Promise.all(Array.from({ length: 20 }, () => client.request("GET", "/iam/v2/users")));
    await Promise.all(Array.from({ length: 20 }, () => client.request("GET", "/iam/v2/users")));
    expect(server.seen).toHaveLength(40);
    expect(events).toEqual([]);
    await client.close();
  });

  test("requests still in flight count against the room the server reported", async () => {
    // Every answer says 3 remain, whatever was sent since: of 8 concurrent requests after the first
    // answer, 3 go and the others wait for the reset.
    server.reset((_req, res) =>
      json(res, 200, {}, { "x-ratelimit-remaining": "3", "x-ratelimit-reset": "0.2" }),
    );
    const { client, events } = clientFor(server, { maxInFlight: 8 });
    await client.request("GET", "/iam/v2/users");
    expect(events).toEqual([]);
    await Promise.all(Array.from({ length: 8 }, () => client.request("GET", "/iam/v2/users")));
    expect(server.seen).toHaveLength(9);
    expect(statuses(events).length).toBeGreaterThanOrEqual(1);
    expect(statuses(events)[0]).toBe(
      "wait: rate limit window spent (X-RateLimit-Remaining 3, X-RateLimit-Reset 0.2; 3 sent since)",
    );
    await client.close();
  });
});

describe("OriginLimiter window accounting", () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test("a report older by send than the one held is ignored; a reset restores the learned limit once", async () => {
    jest.useFakeTimers({ now: 5_000_000 });
    const limiter = new OriginLimiter(8);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    expect([a.seq, b.seq]).toEqual([1, 2]);
    limiter.report(b.seq, { limit: 2, remaining: 0, resetMs: 1_000, headers: "new" });
    // The answer to the earlier request arrives last and says there is room: it is stale.
    limiter.report(a.seq, { limit: 2, remaining: 1, resetMs: 1_000, headers: "old" });
    a();
    b();
    const waits: Array<[number, string]> = [];
    const c = limiter.acquire((ms, reason) => waits.push([ms, reason]));
    await jest.advanceTimersByTimeAsync(1_000);
    const third = await c;
    expect(waits).toEqual([[1_000, "rate limit window spent (new)"]]);
    // After the reset the learned limit (2) allows this send and one more, then a wait.
    third();
    (await limiter.acquire())();
    const fifth = limiter.acquire((ms, reason) => waits.push([ms, reason]));
    await jest.advanceTimersByTimeAsync(1_000);
    (await fifth)();
    expect(waits[1]).toEqual([
      1_000,
      "rate limit window spent (X-RateLimit-Limit 2 after the window reset; 2 sent since)",
    ]);
    // The assumed window is not renewed: with no new report, requests go freely again.
    const free: Array<[number, string]> = [];
    for (let i = 0; i < 4; i++) (await limiter.acquire((ms, reason) => free.push([ms, reason])))();
    expect(free).toEqual([]);
  });
});
