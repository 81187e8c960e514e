/**
 * Redirects (seed 000: clients handle them and respect Location): 301/302/303/307/308 are followed up to 5
 * hops, on the configured origin only; 307/308 repeat the method and body.
 */
import { RedirectError, type ConfluentClient } from "../../../provider/client";
import { FAKE_BASIC, clientFor, json, rejectionOf, startServer, type ScriptedServer } from "./server";

let server: ScriptedServer;
let other: ScriptedServer;
let client: ConfluentClient;

beforeAll(async () => {
  server = await startServer();
  other = await startServer();
  other.reset((_req, res) => json(res, 200, { id: "stolen" }));
});
afterAll(async () => {
  await server.close();
  await other.close();
});
beforeEach(() => {
  ({ client } = clientFor(server));
});
afterEach(async () => {
  await client.close();
});

/** Redirects `/old…` to `/new…` (same query) with `status`; `/new…` answers 201 with what it got. */
function redirecting(status: number): void {
  server.reset((req, res) => {
    if (req.url.startsWith("/old")) {
      res.writeHead(status, { location: req.url.replace("/old", "/new"), "content-length": "0" });
      res.end();
      return;
    }
    json(res, 201, { method: req.method, body: req.body });
  });
}

describe("redirects", () => {
  test.each([307, 308])("%d repeats a POST with its body and credentials on the new path", async (status) => {
    redirecting(status);
    const body = await client.request("POST", "/old/iam/v2/service-accounts", {
      body: { display_name: "ci" },
      query: { dry: "1" },
    });
    expect(body).toEqual({ method: "POST", body: '{"display_name":"ci"}' });
    expect(server.seen.map((s) => `${s.method} ${s.url} ${s.body}`)).toEqual([
      'POST /old/iam/v2/service-accounts?dry=1 {"display_name":"ci"}',
      'POST /new/iam/v2/service-accounts?dry=1 {"display_name":"ci"}',
    ]);
    expect(server.seen.map((s) => s.headers.authorization)).toEqual([
      `Basic ${FAKE_BASIC}`,
      `Basic ${FAKE_BASIC}`,
    ]);
  });

  test.each([
    [301, "POST", "GET"],
    [302, "POST", "GET"],
    [303, "PATCH", "GET"],
    [301, "PATCH", "PATCH"],
    [302, "PUT", "PUT"],
  ] as const)("%d after %s continues with %s", async (status, method, then) => {
    redirecting(status);
    await client.request(method, "/old/x", { body: { a: 1 } });
    expect(server.seen.map((s) => s.method)).toEqual([method, then]);
    expect(server.seen[1]!.body).toBe(then === "GET" ? "" : '{"a":1}');
    expect(server.seen[1]!.headers["content-type"]).toBe(then === "GET" ? undefined : "application/json");
  });

  test("up to 5 hops are followed; a 6th is an error", async () => {
    server.reset((req, res) => {
      const n = Number(/\/hop(\d+)/.exec(req.url)?.[1] ?? "0");
      if (n < 5) {
        res.writeHead(307, { location: `/hop${n + 1}`, "content-length": "0" });
        res.end();
        return;
      }
      json(res, 200, { hops: n });
    });
    expect(await client.request("GET", "/hop0")).toEqual({ hops: 5 });
    expect(server.seen).toHaveLength(6);

    server.reset((req, res) => {
      const n = Number(/\/hop(\d+)/.exec(req.url)?.[1] ?? "0");
      res.writeHead(308, { location: `/hop${n + 1}`, "content-length": "0" });
      res.end();
    });
    const err = await rejectionOf(client.request("GET", "/hop0"));
    expect(err).toBeInstanceOf(RedirectError);
    expect(err.message).toBe("GET /hop0 was redirected (308) more than 5 times; last to /hop6");
    expect(server.seen).toHaveLength(6);
  });

  test("a redirect to another origin is an error naming both hosts; nothing is sent there", async () => {
    server.reset((_req, res) => {
      res.writeHead(307, { location: `${other.url}/iam/v2/users`, "content-length": "0" });
      res.end();
    });
    other.reset((_req, res) => json(res, 200, { id: "stolen" }));
    const err = await rejectionOf(client.request("GET", "/iam/v2/users"));
    expect(err).toBeInstanceOf(RedirectError);
    expect(err.message).toBe(
      `GET /iam/v2/users was redirected (307) to another host, 127.0.0.1:${other.port}, than the configured ` +
        `endpoint's 127.0.0.1:${server.port}; credentials are sent only to 127.0.0.1:${server.port}, so the ` +
        `redirect was not followed. Set the endpoint to ${other.url} if that is where the API lives.`,
    );
    expect(err).toMatchObject({ status: 307, location: `${other.url}/iam/v2/users` });
    expect(other.seen).toEqual([]);
  });

  test("a redirect without a Location is an error", async () => {
    server.reset((_req, res) => {
      res.writeHead(302, { "content-length": "0" });
      res.end();
    });
    const err = await rejectionOf(client.request("GET", "/iam/v2/users"));
    expect(err.message).toBe("GET /iam/v2/users was redirected (302) without a Location header");
  });
});
