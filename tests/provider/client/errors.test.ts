import fc from "fast-check";
import {
  ConfluentApiError,
  parseApiError,
  type ClientEvent,
  type ConfluentClient,
} from "../../../provider/client";
import { clientFor, json, rejectionOf, startServer, type ScriptedServer } from "./server";

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

describe("error envelopes", () => {
  test("409 with the errors envelope carries code, detail, request id and the Location of the existing object", async () => {
    server.reset((_req, res) =>
      json(
        res,
        409,
        {
          errors: [
            {
              id: "e1",
              status: "409",
              code: "conflict",
              title: "Conflict",
              detail: "Service name is already in use.",
            },
          ],
        },
        {
          "x-request-id": "abc-123",
          location: "https://api.confluent.cloud/iam/v2/service-accounts/sa-abc123",
        },
      ),
    );
    const err = await rejectionOf(
      client.request("POST", "/iam/v2/service-accounts", { body: { display_name: "ci" } }),
    );
    expect(err).toBeInstanceOf(ConfluentApiError);
    expect(err.message).toBe(
      "POST /iam/v2/service-accounts failed with 409 Conflict: Service name is already in use. (request id abc-123)",
    );
    expect(err).toMatchObject({
      status: 409,
      code: "conflict",
      title: "Conflict",
      detail: "Service name is already in use.",
      requestId: "abc-123",
      location: "https://api.confluent.cloud/iam/v2/service-accounts/sa-abc123",
      method: "POST",
      path: "/iam/v2/service-accounts",
      retryable: false,
    });
    expect(server.seen).toHaveLength(1);
  });

  test("403 with the flat error_code envelope for a deleted role binding", async () => {
    server.reset((_req, res) =>
      json(res, 403, {
        error_code: 40301,
        message: "Either unauthorized to access role binding or role binding does not exist",
      }),
    );
    const err = await rejectionOf(client.request("GET", "/iam/v2/role-bindings/rb-gone1"));
    expect(err.message).toBe(
      "GET /iam/v2/role-bindings/rb-gone1 failed with 403 Forbidden: Either unauthorized to access role binding or role binding does not exist",
    );
    expect(err).toMatchObject({ status: 403, code: "40301", requestId: undefined, retryable: false });
    expect(server.seen).toHaveLength(1);
  });

  test("Azure Resource Manager error envelope", async () => {
    server.reset((_req, res) =>
      json(
        res,
        404,
        {
          error: {
            code: "ResourceNotFound",
            message: "The Resource 'Microsoft.Confluent/organizations/o1' was not found.",
          },
        },
        { "x-request-id": "arm-1" },
      ),
    );
    const err = await rejectionOf(
      client.request("GET", "/subscriptions/s/apiKeys/K1", { query: { "api-version": "2024-07-01" } }),
    );
    expect(err.message).toBe(
      "GET /subscriptions/s/apiKeys/K1 failed with 404 Not Found: The Resource 'Microsoft.Confluent/organizations/o1' was not found. (request id arm-1)",
    );
    expect(err).toMatchObject({ status: 404, code: "ResourceNotFound" });
    expect(server.seen[0].url).toBe("/subscriptions/s/apiKeys/K1?api-version=2024-07-01");
  });

  test("an HTML 502 page is read without throwing, retried for GET, and reported with the status text", async () => {
    server.reset((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
    });
    const err = await rejectionOf(client.request("GET", "/iam/v2/users"));
    expect(err).toBeInstanceOf(ConfluentApiError);
    expect(err.message).toBe("GET /iam/v2/users failed with 502 Bad Gateway: Bad Gateway");
    expect(err).toMatchObject({ status: 502, retryable: true, code: undefined, detail: undefined });
    // maxAttempts is 4 in these tests: the first try and three retries.
    expect(server.seen).toHaveLength(4);
    expect(events.map((e) => [e.type, e.reason, e.attempt, e.maxAttempts])).toEqual([
      ["retry", "502 Bad Gateway", 2, 4],
      ["retry", "502 Bad Gateway", 3, 4],
      ["retry", "502 Bad Gateway", 4, 4],
    ]);
  });

  test("401 with WWW-Authenticate is not retried", async () => {
    server.reset((_req, res) =>
      json(
        res,
        401,
        {
          errors: [
            { id: "cca01299c9671e6956b9b047fa7a6ff4", status: "401", detail: "Unauthorized", source: {} },
          ],
        },
        { "www-authenticate": 'Basic realm="Confluent Cloud"', "x-request-id": "r-401" },
      ),
    );
    const err = await rejectionOf(client.request("GET", "/org/v2/environments"));
    expect(err.message).toBe(
      "GET /org/v2/environments failed with 401 Unauthorized: Unauthorized (request id r-401)",
    );
    expect(err).toMatchObject({ status: 401, source: undefined, retryable: false });
    expect(server.seen).toHaveLength(1);
  });

  test("404 for a deleted service account", async () => {
    server.reset((_req, res) =>
      json(res, 404, {
        errors: [
          {
            id: "d2f8a68a77ed67adde49967132ad79b9",
            status: "404",
            code: "service_account_not_found",
            detail: "Service Account Not Found",
            source: {},
          },
        ],
      }),
    );
    const err = await rejectionOf(client.request("GET", "/iam/v2/service-accounts/sa-gone"));
    expect(err.message).toBe(
      "GET /iam/v2/service-accounts/sa-gone failed with 404 Not Found: Service Account Not Found",
    );
    expect(err).toMatchObject({ status: 404, code: "service_account_not_found" });
  });

  test("422 with source.pointer; several errors are joined with '; '", async () => {
    server.reset((_req, res) =>
      json(
        res,
        422,
        {
          errors: [
            {
              status: "422",
              code: "invalid_value",
              title: "Validation Failed",
              detail: "display_name must be at most 64 characters",
              source: { pointer: "/spec/display_name" },
            },
            { status: "422", title: "Validation Failed", source: { parameter: "page_size" } },
          ],
        },
        { "x-request-id": "r-422" },
      ),
    );
    const err = await rejectionOf(client.request("PATCH", "/iam/v2/service-accounts/sa-1", { body: {} }));
    expect(err.message).toBe(
      "PATCH /iam/v2/service-accounts/sa-1 failed with 422 Unprocessable Entity: display_name must be at most 64 characters; Validation Failed (request id r-422)",
    );
    expect(err).toMatchObject({
      status: 422,
      code: "invalid_value",
      title: "Validation Failed",
      source: { pointer: "/spec/display_name" },
    });
    expect(server.seen).toHaveLength(1);
  });
});

describe("parseApiError", () => {
  const headers = { "x-request-id": "r-1" };

  test("falls back from detail to title to message to the status text", () => {
    const parse = (body: unknown, status = 400): string =>
      parseApiError({ method: "GET", path: "/p", status, headers: {}, body: JSON.stringify(body) }).message;
    expect(parse({ errors: [{ title: "Bad Title" }] })).toBe("GET /p failed with 400 Bad Request: Bad Title");
    expect(parse({ errors: [{ message: "from message" }] })).toBe(
      "GET /p failed with 400 Bad Request: from message",
    );
    expect(parse({ errors: [] })).toBe("GET /p failed with 400 Bad Request: Bad Request");
    expect(parse({ unrelated: true }, 599)).toBe("GET /p failed with 599: 599");
  });

  test("never throws on arbitrary bodies and any status, and keeps the status", () => {
    const body = fc.oneof(
      fc.string(),
      fc.uint8Array({ maxLength: 256 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({
          errors: fc.array(
            fc.dictionary(fc.constantFrom("code", "title", "detail", "source", "message"), fc.jsonValue()),
          ),
        })
        .map((v) => JSON.stringify(v)),
      fc
        .record(
          { error_code: fc.jsonValue(), message: fc.jsonValue(), error: fc.jsonValue() },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(fc.integer(), body, (status, b) => {
        const err = parseApiError({ method: "GET", path: "/iam/v2/users", status, headers, body: b });
        expect(err).toBeInstanceOf(ConfluentApiError);
        expect(err.status).toBe(status);
        expect(err.message.startsWith(`GET /iam/v2/users failed with ${status}`)).toBe(true);
        expect(err.message.endsWith(" (request id r-1)")).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
