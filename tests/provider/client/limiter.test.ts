import { setTimeout as delay } from "node:timers/promises";
import { type ClientEvent } from "../../../provider/client";
import { OriginLimiter } from "../../../provider/client/limiter";
import { clientFor, json, startServer, type ScriptedServer } from "./server";

let server: ScriptedServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const slowOk = async (res: import("node:http").ServerResponse): Promise<void> => {
  await delay(40);
  json(res, 200, { ok: true });
};

describe("process-wide limiter per origin", () => {
  test("the server never sees more than maxInFlight requests at once", async () => {
    const { client } = clientFor(server, { maxInFlight: 3 });
    server.reset((_req, res) => slowOk(res));
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.request("GET", `/iam/v2/users/u-${i}`)));
    expect(server.seen).toHaveLength(12);
    expect(server.maxInFlight).toBe(3);
    await client.close();
  });

  test("two client instances for the same origin share one cap", async () => {
    const a = clientFor(server, { maxInFlight: 2 }).client;
    const b = clientFor(server, { maxInFlight: 2 }).client;
    server.reset((_req, res) => slowOk(res));
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).request("GET", `/iam/v2/users/u-${i}`)),
    );
    expect(server.seen).toHaveLength(10);
    expect(server.maxInFlight).toBe(2);
    await a.close();
    await b.close();
  });

  test("after a 429 every request to the origin waits with it: none reaches the server before the reset", async () => {
    const waits: ClientEvent[] = [];
    const other = clientFor(server, { onEvent: (e) => waits.push(e) });
    const later: Array<Promise<unknown>> = [];
    let started = 0;
    // The other requests start once the 429 has been acted on (the first client reports its retry).
    const first = clientFor(server, {
      onEvent: (e) => {
        if (e.type !== "retry") return;
        started = performance.now();
        for (const name of ["a", "b", "c"]) later.push(other.client.request("GET", `/iam/v2/users/${name}`));
      },
    });
    let limitedAt = 0;
    server.reset((req, res, n) => {
      if (n === 1) {
        json(res, 429, {}, { "retry-after": "0.5" });
        limitedAt = performance.now();
      } else json(res, 200, { url: req.url });
    });
    await first.client.request("GET", "/iam/v2/users/first");
    await Promise.all(later);

    expect(started - limitedAt).toBeLessThan(400);
    expect(server.seen).toHaveLength(5);
    for (const s of server.seen.slice(1)) expect(s.at - limitedAt).toBeGreaterThanOrEqual(495);
    expect(waits).toHaveLength(3);
    for (const w of waits) {
      expect(w).toMatchObject({
        type: "wait",
        method: "GET",
        reason: "429 Too Many Requests, Retry-After 0.5",
      });
      expect(w.delayMs).toBeGreaterThan(100);
      expect(w.delayMs).toBeLessThanOrEqual(500);
    }
    await first.client.close();
    await other.client.close();
  });

  test("paces down when X-RateLimit-Remaining reaches 0: the next request waits X-RateLimit-Reset seconds", async () => {
    const { client, events } = clientFor(server);
    let spentAt = 0;
    server.reset((_req, res, n) => {
      json(
        res,
        200,
        { n },
        { "x-ratelimit-limit": "2", "x-ratelimit-remaining": n === 1 ? "0" : "1", "x-ratelimit-reset": "1" },
      );
      if (n === 1) spentAt = performance.now();
    });
    await client.request("GET", "/iam/v2/users");
    await client.request("GET", "/iam/v2/users");
    expect(server.seen).toHaveLength(2);
    expect(server.seen[1].at - spentAt).toBeGreaterThanOrEqual(995);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "wait",
      reason: "rate limit window spent (X-RateLimit-Remaining 0, X-RateLimit-Reset 1)",
      attempt: 1,
    });
    await client.close();
  });

  test("X-RateLimit-Remaining above 0 does not slow anything down", async () => {
    const { client, events } = clientFor(server);
    server.reset((_req, res) =>
      json(res, 200, {}, { "x-ratelimit-remaining": "5", "x-ratelimit-reset": "30" }),
    );
    for (let i = 0; i < 3; i++) await client.request("GET", "/iam/v2/users");
    // The limiter decided no wait (no "wait" event); no wall-clock bound, which flakes on a loaded machine.
    expect(events).toEqual([]);
    await client.close();
  });
});

describe("OriginLimiter pauses", () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test("a pause is announced once, even when its timer wakes a millisecond early by the clock", async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const limiter = new OriginLimiter(4);
    limiter.pause(1_000_500, "429 Too Many Requests, Retry-After 0.5");
    const waits: Array<[number, string]> = [];
    const acquired = limiter.acquire((ms, reason) => waits.push([ms, reason]));
    await Promise.resolve();
    jest.advanceTimersByTime(500);
    // The timer fired; the clock reads 1 ms short of the pause's end when the waiter looks again.
    jest.setSystemTime(1_000_499);
    await Promise.resolve();
    await jest.advanceTimersByTimeAsync(1);
    const release = await acquired;
    expect(waits).toEqual([[500, "429 Too Many Requests, Retry-After 0.5"]]);
    release();
    expect(limiter.active).toBe(0);
  });

  test("a pause extended while waiting is announced again", async () => {
    jest.useFakeTimers({ now: 2_000_000 });
    const limiter = new OriginLimiter(4);
    limiter.pause(2_000_100, "first");
    const waits: Array<[number, string]> = [];
    const acquired = limiter.acquire((ms, reason) => waits.push([ms, reason]));
    await Promise.resolve();
    limiter.pause(2_000_300, "second");
    await jest.advanceTimersByTimeAsync(300);
    (await acquired)();
    expect(waits).toEqual([
      [100, "first"],
      [200, "second"],
    ]);
  });
});
