/**
 * The API's clock as a client learns it from `Date` headers (provider/client/server-clock.ts): whole
 * seconds, from the API's own answers only (a 5xx may be a gateway's, with another clock).
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { ConfluentClient, ServerClock } from "../../../provider/client";

describe("ServerClock", () => {
  const server = Date.parse("2026-12-01T10:00:00Z");

  it("bounds the offset by one answer: Date − answered ≤ offset < Date + 1 s − sent", () => {
    const clock = new ServerClock(() => 0);
    expect(clock.offset()).toBeUndefined();
    expect(clock.earliestServerTime(5)).toBeUndefined();
    clock.observe(200, new Date(server).toUTCString(), server - 600_000, server - 600_000 + 40);
    expect(clock.offset()).toEqual({ lo: 600_000 - 40, hi: 600_000 + 1000 });
    expect(clock.earliestServerTime(1000)).toBe(1000 + 600_000 - 40);
  });

  it("narrows with each answer, ignores 5xx answers and unreadable dates, and starts again after a clock jump", () => {
    const clock = new ServerClock(() => 0);
    clock.observe(200, new Date(server).toUTCString(), 0, 100);
    clock.observe(201, new Date(server + 1000).toUTCString(), 1500, 1550);
    expect(clock.offset()).toEqual({ lo: server - 100, hi: server + 500 });
    clock.observe(502, new Date(server + 3_600_000).toUTCString(), 2000, 2010);
    clock.observe(200, "not a date", 2000, 2010);
    clock.observe(200, undefined, 2000, 2010);
    expect(clock.offset()).toEqual({ lo: server - 100, hi: server + 500 });
    // The server's clock was set an hour forward: the old bounds no longer hold.
    clock.observe(200, new Date(server + 3_600_000 + 3000).toUTCString(), 3000, 3010);
    expect(clock.offset()).toEqual({ lo: server + 3_600_000 - 10, hi: server + 3_600_000 + 1000 });
  });

  it("a client learns it from its answers, against its own (injected) clock", async () => {
    const served = http.createServer((req, res) => {
      res.setHeader("Date", new Date(server).toUTCString());
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
    await new Promise<void>((r) => served.listen(0, "127.0.0.1", r));
    const local = server - 42_000;
    const client = new ConfluentClient({
      endpoint: `http://127.0.0.1:${(served.address() as AddressInfo).port}`,
      auth: { kind: "basic", apiKey: "CLOCKTESTKEY", apiSecret: "clock-test-secret-not-real" },
      now: () => local,
    });
    try {
      await client.request("GET", "/org/v2/environments");
      expect(client.now()).toBe(local);
      expect(client.clock.offset()).toEqual({ lo: 42_000, hi: 43_000 });
    } finally {
      await client.close();
      await new Promise((r) => served.close(r));
    }
  });
});
