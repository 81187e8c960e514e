import { inspect } from "node:util";
import { z } from "zod";
import {
  ConfluentApiError,
  OutcomeUnknownError,
  REDACTED,
  ResponseValidationError,
  redact,
  type ClientEvent,
  type ConfluentClient,
} from "../../../provider/client";
import {
  FAKE_BASIC,
  FAKE_SECRET,
  clientFor,
  json,
  rejectionOf,
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

const KEY_SECRET = "newKeySecretFromTheApi+AbCdEfGh0123456789";

/** Every rendering of `err` someone might log. */
function renderings(err: unknown): string[] {
  const e = err as Error;
  const chain: string[] = [];
  for (let c: unknown = e; c instanceof Error; c = c.cause) chain.push(c.message, c.stack ?? "");
  return [
    ...chain,
    JSON.stringify(e),
    inspect(e, { depth: 10 }),
    inspect(e, { depth: 10, customInspect: false }),
    String(e),
  ];
}

function expectClean(err: unknown, ...secrets: string[]): void {
  for (const text of renderings(err)) {
    for (const s of [FAKE_SECRET, FAKE_BASIC, ...secrets]) expect(text).not.toContain(s);
  }
}

describe("redaction", () => {
  test("an error body that echoes the Authorization header and the secret is scrubbed, cause included", async () => {
    server.reset((req, res) =>
      json(res, 503, {
        errors: [
          {
            detail: `upstream rejected ${String(req.headers.authorization)} for secret ${FAKE_SECRET}`,
            title: `raw ${FAKE_BASIC}`,
          },
        ],
      }),
    );
    const err = await rejectionOf(client.request("POST", "/iam/v2/service-accounts", { body: {} }));
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.cause).toBeInstanceOf(ConfluentApiError);
    expect((err.cause as ConfluentApiError).detail).toBe(
      `upstream rejected Basic ${REDACTED} for secret ${REDACTED}`,
    );
    expect((err.cause as ConfluentApiError).title).toBe(`raw ${REDACTED}`);
    expectClean(err);
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({
      name: "OutcomeUnknownError",
      status: 503,
      cause: { name: "ConfluentApiError", status: 503 },
    });
  });

  test("a schema failure on an API key create response never shows the key's secret", async () => {
    server.reset((_req, res) =>
      json(res, 202, { id: "AK1", spec: { secret: KEY_SECRET, owner: {}, display_name: KEY_SECRET } }),
    );
    // Zod's enum message quotes the value it received: the one path by which a body value reaches a message.
    const schema = z.object({
      spec: z.object({ display_name: z.enum(["ci"]), owner: z.object({ id: z.string() }) }),
    });
    const err = await rejectionOf(client.request("POST", "/iam/v2/api-keys", { body: {}, schema }));
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.message).toBe(
      "POST /iam/v2/api-keys answered 202 with an unexpected body: " +
        `spec.display_name: Invalid enum value. Expected 'ci', received '${REDACTED}'; spec.owner.id: Required`,
    );
    expectClean(err, KEY_SECRET);
  });

  test("redact() replaces a foreign cause by a plain copy and drops secret-named fields", () => {
    const undiciLike = Object.assign(new Error(`socket closed while sending Basic ${FAKE_BASIC}`), {
      code: "UND_ERR_SOCKET",
      request: { headers: { authorization: `Basic ${FAKE_BASIC}` } },
      socket: { remote: "127.0.0.1" },
    });
    const outer = new Error(`failed with ${FAKE_SECRET}`, { cause: undiciLike });
    const clean = redact(outer, [FAKE_SECRET, FAKE_BASIC]);
    // Foreign errors are copied, not mutated: they may be shared (undici reuses some) and hold live sockets.
    expect(clean).not.toBe(outer);
    expect(clean.message).toBe(`failed with ${REDACTED}`);
    expect(clean.cause).not.toBe(undiciLike);
    expect(clean.cause).toMatchObject({
      name: "Error",
      code: "UND_ERR_SOCKET",
      message: `socket closed while sending Basic ${REDACTED}`,
    });
    expect(Object.keys(clean.cause as object).sort()).toEqual(["code", "name"]);
    expectClean(clean);
    expect(redact({ spec: { secret: "abcd1234", id: "AK1" }, note: "x" }, [])).toEqual({
      spec: { secret: REDACTED, id: "AK1" },
      note: "x",
    });
  });

  test("bearer tokens are scrubbed too", async () => {
    const token = "fake-azure-bearer-token-0123456789";
    const { client: arm } = clientFor(server, { auth: { kind: "bearer", token } });
    server.reset((req, res) =>
      json(res, 401, {
        error: { code: "InvalidAuthenticationToken", message: `token ${String(req.headers.authorization)}` },
      }),
    );
    const err = await rejectionOf(arm.request("GET", "/subscriptions/s"));
    expect(server.seen[0].headers.authorization).toBe(`Bearer ${token}`);
    expect(err.message).toBe(`GET /subscriptions/s failed with 401 Unauthorized: token Bearer ${REDACTED}`);
    expectClean(err, token);
    await arm.close();
  });

  test("event reasons carry no secret", async () => {
    server.reset((_req, res, n) =>
      n === 1 ? json(res, 429, {}, { "retry-after": "0" }) : json(res, 200, {}),
    );
    await client.request("GET", "/iam/v2/users");
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(FAKE_SECRET);
  });
});
