import { basic, pick, startTestEmulator, str, theError, type TestEmulator } from "./helpers";

// A hand-driven clock keeps the time-based tests exact however slow the machine is.
let clock = 1_700_000_000_000;
const now = () => clock;

describe("rate limiting", () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator({ rateLimit: 3, now });
  });
  afterAll(() => emu.close());

  test("the request past the limit gets 429 with Retry-After and X-RateLimit headers", async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await emu.call("GET", "/iam/v2/users"));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0]?.headers.get("x-ratelimit-limit")).toBe("3");
    expect(answers[0]?.headers.get("x-ratelimit-remaining")).toBe("2");
    expect(answers[0]?.headers.get("x-ratelimit-reset")).toBe("1");
    const limited = answers[3];
    if (!limited) throw new Error("no fourth answer");
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(theError(limited)).toMatchObject({ status: "429", code: "too_many_requests" });
    // The control API is neither rate limited nor logged.
    const control = await fetch(`${emu.url}/_emulator/requests`, { headers: { authorization: emu.auth } });
    expect(control.status).toBe(200);
    const log = await emu.requests();
    expect(log.map((e) => pick(e, "status"))).toEqual([200, 200, 200, 429]);
  });

  test("the bucket refills at the limit per second", async () => {
    expect((await emu.call("GET", "/iam/v2/users")).status).toBe(429);
    clock += 340; // one token (3 per second)
    const r = await emu.call("GET", "/iam/v2/users");
    expect(r.status).toBe(200);
    expect(r.headers.get("x-ratelimit-remaining")).toBe("0");
    expect((await emu.call("GET", "/iam/v2/users")).status).toBe(429);
    clock += 1000;
    expect((await emu.call("GET", "/iam/v2/users")).headers.get("x-ratelimit-remaining")).toBe("2");
  });
});

describe("faults", () => {
  async function statuses(seed: number, n: number): Promise<number[]> {
    const emu = await startTestEmulator({ faults: { "5xx": 0.3, "429": 0.2, reset: 0.1 }, faultSeed: seed });
    try {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        try {
          out.push((await emu.call("GET", "/iam/v2/users")).status);
        } catch {
          out.push(0); // connection reset
        }
      }
      const logged = (await emu.requests()).map((e) => pick(e, "status"));
      expect(logged).toEqual(out);
      return out;
    } finally {
      await emu.close();
    }
  }

  test("the same seed gives the same sequence of 5xx, 429 and resets; another seed another one", async () => {
    const a = await statuses(42, 40);
    const b = await statuses(42, 40);
    const c = await statuses(7, 40);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.some((s) => s >= 500)).toBe(true);
    expect(a).toContain(429);
    expect(a).toContain(0);
    expect(a).toContain(200);
  });

  test("a fault 429 carries Retry-After; faults can be switched off at runtime", async () => {
    const emu = await startTestEmulator({ faults: { "429": 1 } });
    try {
      const r = await emu.call("GET", "/iam/v2/users");
      expect(r.status).toBe(429);
      expect(r.headers.get("retry-after")).toBe("1");
      // With rate limiting off there is no window to describe: a made-up X-RateLimit-Limit would teach a
      // pacing client a limit of 1 request per second.
      expect(r.headers.get("x-ratelimit-limit")).toBeNull();
      expect(r.headers.get("x-ratelimit-remaining")).toBeNull();
      await emu.call("PUT", "/_emulator/faults", { "429": 0 });
      expect((await emu.call("GET", "/iam/v2/users")).status).toBe(200);
    } finally {
      await emu.close();
    }
  });

  test("a fault 429 with rate limiting on describes the configured window: its limit, 0 remaining", async () => {
    const emu = await startTestEmulator({ faults: { "429": 1 }, rateLimit: 20 });
    try {
      const r = await emu.call("GET", "/iam/v2/users");
      expect(r.status).toBe(429);
      expect(r.headers.get("x-ratelimit-limit")).toBe("20");
      expect(r.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(r.headers.get("x-ratelimit-reset")).toBe("1");
      expect(r.headers.get("retry-after")).toBe("1");
    } finally {
      await emu.close();
    }
  });

  test("latency jitter adds a bounded random delay: the log shows the delay chosen, the same for a seed", async () => {
    // What the emulator decided is asserted, never how long a loaded machine took to run it.
    const delaysOf = async (seed: number): Promise<number[]> => {
      const emu = await startTestEmulator({ latencyMs: 5, latencyJitterMs: 40, faultSeed: seed });
      try {
        for (let i = 0; i < 8; i++) await emu.call("GET", "/iam/v2/users");
        const log = await emu.requests();
        for (const e of log) {
          expect(pick(e, "duration_ms") as number).toBeGreaterThanOrEqual(
            (pick(e, "delay_ms") as number) - 1,
          );
        }
        return log.map((e) => pick(e, "delay_ms") as number);
      } finally {
        await emu.close();
      }
    };
    const delays = await delaysOf(7);
    expect(delays).toHaveLength(8);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(5);
      expect(d).toBeLessThanOrEqual(5 + 40);
    }
    expect(new Set(delays).size).toBeGreaterThan(1);
    expect(await delaysOf(7)).toEqual(delays);
  });

  test("latency delays answers", async () => {
    const emu = await startTestEmulator({ latencyMs: 120 });
    try {
      const t = Date.now();
      await emu.call("GET", "/iam/v2/users");
      expect(Date.now() - t).toBeGreaterThanOrEqual(110);
      const log = await emu.requests();
      expect(pick(log[0], "duration_ms")).toBeGreaterThanOrEqual(110);
    } finally {
      await emu.close();
    }
  });
});

describe("eventual consistency", () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator({ readLagMs: 300, now });
  });
  afterAll(() => emu.close());

  test("read lag: a new object is 404 to GET by id (403 for keys and role bindings) until the lag passes; LIST sees it", async () => {
    const sa = await emu.call("POST", "/iam/v2/service-accounts", { display_name: "lagging" });
    const id = str(sa.body, "id");
    const key = await emu.call("POST", "/iam/v2/api-keys", { spec: { owner: { id } } });
    const rb = await emu.call("POST", "/iam/v2/role-bindings", {
      principal: `User:${id}`,
      role_name: "MetricsViewer",
      crn_pattern: "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001",
    });
    expect((await emu.call("GET", `/iam/v2/service-accounts/${id}`)).status).toBe(404);
    expect((await emu.call("GET", `/iam/v2/api-keys/${str(key.body, "id")}`)).status).toBe(403);
    expect((await emu.call("GET", `/iam/v2/role-bindings/${str(rb.body, "id")}`)).status).toBe(403);
    const list = await emu.call("GET", "/iam/v2/service-accounts");
    expect(pick(list.body, "data.0.id")).toBe(id);
    // Writes are not affected.
    expect((await emu.call("PATCH", `/iam/v2/service-accounts/${id}`, { description: "now" })).status).toBe(
      200,
    );
    clock += 299;
    expect((await emu.call("GET", `/iam/v2/service-accounts/${id}`)).status).toBe(404);
    clock += 1;
    expect((await emu.call("GET", `/iam/v2/service-accounts/${id}`)).status).toBe(200);
    expect((await emu.call("GET", `/iam/v2/api-keys/${str(key.body, "id")}`)).status).toBe(200);
  });
});

describe("key propagation", () => {
  test("a new API key authenticates only after --key-propagation", async () => {
    const emu = await startTestEmulator({ keyPropagationMs: 300, now });
    try {
      const sa = await emu.call("POST", "/iam/v2/service-accounts", { display_name: "ci" });
      const key = await emu.call("POST", "/iam/v2/api-keys", { spec: { owner: { id: str(sa.body, "id") } } });
      const own = basic(str(key.body, "id"), str(key.body, "spec.secret"));
      await emu.call("POST", "/iam/v2/role-bindings", {
        principal: `User:${str(sa.body, "id")}`,
        role_name: "AccountAdmin",
        crn_pattern: "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001",
      });
      const early = await emu.call("GET", "/iam/v2/users", undefined, { auth: own });
      expect(early.status).toBe(401);
      clock += 300;
      expect((await emu.call("GET", "/iam/v2/users", undefined, { auth: own })).status).toBe(200);
    } finally {
      await emu.close();
    }
  });
});
