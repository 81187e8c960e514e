import { z } from "zod";
import { ConfluentClient, ResponseValidationError, packageVersion } from "../../../provider/client";
import {
  FAKE_BASIC,
  FAKE_KEY,
  FAKE_SECRET,
  clientFor,
  json,
  rejectionOf,
  startServer,
  type ScriptedServer,
} from "./server";

let server: ScriptedServer;
let client: ConfluentClient;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  ({ client } = clientFor(server));
});
afterEach(async () => {
  await client.close();
});

const apiKey = z.object({
  id: z.string(),
  spec: z.object({ secret: z.string(), owner: z.object({ id: z.string() }) }),
});

describe("ConfluentClient", () => {
  test("sends Basic auth, JSON, and a user agent naming the package and its version", async () => {
    server.reset((_req, res) => json(res, 201, { id: "sa-1" }));
    await client.request("POST", "/iam/v2/service-accounts", {
      body: { display_name: "ci", description: "CI" },
      query: { dry: true, tags: ["a", "b"], skip: undefined },
    });
    const [seen] = server.seen;
    expect(seen.method).toBe("POST");
    expect(seen.url).toBe("/iam/v2/service-accounts?dry=true&tags=a&tags=b");
    expect(seen.body).toBe('{"display_name":"ci","description":"CI"}');
    expect(seen.headers).toMatchObject({
      authorization: `Basic ${FAKE_BASIC}`,
      "content-type": "application/json",
      accept: "application/json",
      "user-agent": "pulumi-confluent-iam/0.1.0",
    });
    expect(packageVersion()).toBe("0.1.0");
  });

  test("API key create answers 202; requestWithResponse gives status and headers", async () => {
    server.reset((_req, res) =>
      json(
        res,
        202,
        { id: "AK1", spec: { secret: "s3cr3t-value", owner: { id: "sa-1" } } },
        { location: "https://api.confluent.cloud/iam/v2/api-keys/AK1", "x-request-id": "r-1" },
      ),
    );
    const res = await client.requestWithResponse("POST", "/iam/v2/api-keys", { body: {}, schema: apiKey });
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe("https://api.confluent.cloud/iam/v2/api-keys/AK1");
    expect(res.headers["x-request-id"]).toBe("r-1");
    expect(res.body).toEqual({ id: "AK1", spec: { secret: "s3cr3t-value", owner: { id: "sa-1" } } });
  });

  test("a response that fails its schema names the JSON path, the method and the path", async () => {
    server.reset((_req, res) => json(res, 200, { id: "AK1", spec: { secret: "", owner: {} } }));
    const err = await rejectionOf(client.request("GET", "/iam/v2/api-keys/AK1", { schema: apiKey }));
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.message).toBe(
      "GET /iam/v2/api-keys/AK1 answered 200 with an unexpected body: spec.owner.id: Required",
    );
    expect(err).toMatchObject({
      method: "GET",
      path: "/iam/v2/api-keys/AK1",
      status: 200,
      jsonPath: "spec.owner.id",
      issues: [{ path: "spec.owner.id", message: "Required" }],
    });
    expect(server.seen).toHaveLength(1);
  });

  test("a 2xx body that is not JSON fails its schema at the root", async () => {
    server.reset((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>maintenance</html>");
    });
    const err = await rejectionOf(client.request("GET", "/iam/v2/users", { schema: z.object({}) }));
    expect(err.message).toBe(
      "GET /iam/v2/users answered 200 with an unexpected body: (root): body is not JSON",
    );
  });

  test("204 No Content resolves to undefined", async () => {
    server.reset((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    await expect(client.request("DELETE", "/iam/v2/api-keys/AK1")).resolves.toBeUndefined();
  });

  test("role binding delete answers 200 with the deleted object", async () => {
    server.reset((_req, res) => json(res, 200, { id: "rb-1", role_name: "CloudClusterAdmin" }));
    await expect(
      client.request("DELETE", "/iam/v2/role-bindings/rb-1", { schema: z.object({ id: z.string() }) }),
    ).resolves.toEqual({ id: "rb-1" });
  });

  test("an endpoint with a base path prefixes every request and is left out of error messages", async () => {
    const c = new ConfluentClient({
      endpoint: `${server.url}/proxy/`,
      auth: { kind: "basic", apiKey: FAKE_KEY, apiSecret: FAKE_SECRET },
      retry: { maxAttempts: 1 },
    });
    server.reset((req, res) =>
      req.url.endsWith("/sa-2")
        ? json(res, 404, { errors: [{ detail: "nope" }] })
        : json(res, 200, { id: "sa-1" }),
    );
    await c.request("GET", "/iam/v2/service-accounts/sa-1");
    const err = await rejectionOf(c.request("GET", "/iam/v2/service-accounts/sa-2"));
    expect(server.seen.map((s) => s.url)).toEqual([
      "/proxy/iam/v2/service-accounts/sa-1",
      "/proxy/iam/v2/service-accounts/sa-2",
    ]);
    expect(err.message).toBe("GET /iam/v2/service-accounts/sa-2 failed with 404 Not Found: nope");
    await c.close();
  });

  test("close() lets later requests open a fresh pool", async () => {
    server.reset((_req, res) => json(res, 200, {}));
    await client.request("GET", "/iam/v2/users");
    await client.close();
    await expect(client.request("GET", "/iam/v2/users")).resolves.toEqual({});
  });

  test("rejects a path without a leading slash and a non-http endpoint", async () => {
    await expect(client.request("GET", "iam/v2/users")).rejects.toThrow(
      'path must start with "/", got "iam/v2/users"',
    );
    expect(
      () => new ConfluentClient({ endpoint: "ftp://x", auth: { kind: "bearer", token: "fake-token" } }),
    ).toThrow("endpoint must be an http(s) URL, got ftp:");
  });

  test.each([
    [400, "Bad Request"],
    [422, "Unprocessable Entity"],
  ])(
    "a validation failure answered %d is one error with the field, never retried",
    async (status, reason) => {
      server.reset((_req, res) =>
        json(res, status, {
          errors: [
            {
              status: String(status),
              code: "invalid_input",
              detail: "display_name must be at most 64 characters",
              source: { pointer: "/display_name" },
            },
          ],
        }),
      );
      const err = await rejectionOf(
        client.request("POST", "/iam/v2/service-accounts", { body: { display_name: "x".repeat(65) } }),
      );
      expect(err.message).toBe(
        `POST /iam/v2/service-accounts failed with ${status} ${reason}: display_name must be at most 64 characters`,
      );
      expect(err).toMatchObject({
        status,
        code: "invalid_input",
        source: { pointer: "/display_name" },
        retryable: false,
      });
      expect(server.seen).toHaveLength(1);
    },
  );
});
