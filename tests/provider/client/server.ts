import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ConfluentClient, type ClientEvent, type ClientOptions } from "../../../provider/client";

/** One request as the scripted server saw it. */
export interface Seen {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** `performance.now()` when the request's body had arrived. */
  at: number;
}

/** Answers one request; `n` counts requests since the last `reset()`, from 1. */
export type Handler = (req: Seen, res: http.ServerResponse, n: number) => void | Promise<void>;

/** A real HTTP server on 127.0.0.1 whose behaviour each test scripts. */
export interface ScriptedServer {
  url: string;
  port: number;
  /** Every request since the last `reset()`. */
  seen: Seen[];
  /** Most requests that were in progress at once since the last `reset()`. */
  maxInFlight: number;
  /** Replace the handler and forget what was seen. */
  reset(handler: Handler): void;
  close(): Promise<void>;
}

export const FAKE_KEY = "FAKEKEY0TESTONLY";
export const FAKE_SECRET = "fake-secret-for-tests-0123456789abcdef";
export const FAKE_BASIC = Buffer.from(`${FAKE_KEY}:${FAKE_SECRET}`).toString("base64");

export async function startServer(): Promise<ScriptedServer> {
  let handler: Handler = (_req, res) => json(res, 500, { error_code: 500, message: "no handler scripted" });
  let count = 0;
  let inFlight = 0;
  const state = { seen: [] as Seen[], maxInFlight: 0 };

  const server = http.createServer((req, res) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    let done = false;
    const finish = (): void => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
    res.on("close", finish);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen: Seen = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: performance.now(),
      };
      state.seen.push(seen);
      count++;
      void Promise.resolve(handler(seen, res, count)).catch((e: unknown) => {
        res.destroy(e instanceof Error ? e : new Error(String(e)));
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get seen() {
      return state.seen;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    reset(h: Handler) {
      handler = h;
      count = 0;
      state.seen = [];
      state.maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Send a JSON answer. */
export function json(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A client against `server` with retries shrunk to milliseconds; `events` collects its events. */
export function clientFor(
  server: ScriptedServer,
  overrides: Partial<ClientOptions> = {},
): { client: ConfluentClient; events: ClientEvent[] } {
  const events: ClientEvent[] = [];
  const client = new ConfluentClient({
    endpoint: server.url,
    auth: { kind: "basic", apiKey: FAKE_KEY, apiSecret: FAKE_SECRET },
    retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 4, budgetMs: 10_000 },
    timeouts: { headersMs: 5_000, bodyMs: 5_000, connectMs: 2_000 },
    // Every client of a file shares one limiter (one origin); reset the cap a test may have lowered.
    maxInFlight: 8,
    onEvent: (e) => events.push(e),
    ...overrides,
  });
  return { client, events };
}

/** The rejection of `p`, failing the test when `p` resolves. */
export async function rejectionOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`rejected with a non-Error: ${String(e)}`);
  }
  throw new Error("expected the promise to reject, but it resolved");
}

/** Drop the connection without answering, as a crashing proxy would. */
export function resetConnection(res: http.ServerResponse): void {
  res.socket?.destroy();
}
