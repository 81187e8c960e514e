/**
 * A loopback server that answers one object's life only with recorded real API bodies
 * (/work/shared/recorded): the create answer, the GET after create, the PATCH answer (also every GET after
 * the PATCH), and after DELETE the recorded "gone" error with its recorded status. It checks Basic auth and
 * logs every call, so a test asserts the exact calls the provider made.
 *
 * The recordings hold no list of API keys or role bindings, which the provider's "is a 403 really gone?"
 * probe reads (`GET <collection>?page_size=1`): that one answer is an empty list in the API's list envelope.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

export const RECORDED = "/work/shared/recorded";

/** Recorded file (relative to {@link RECORDED}) → parsed body. */
export function recorded(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(RECORDED, file), "utf8")) as Record<string, unknown>;
}

/** One object's recorded life. */
export interface RecordedLife {
  /** Collection path the POST goes to (`/iam/v2/api-keys`). */
  collection: string;
  /** Status of the create answer (the spec's: 202 for API keys, 201 for most objects). */
  createStatus: number;
  /** Recorded files, relative to {@link RECORDED}. */
  create: string;
  /** GET after create; the create answer when the recordings use it for the GET too. */
  get: string;
  update?: string;
  gone: string;
  /** Status the "gone" answer was recorded with (403 for API keys and role bindings, else 404). */
  goneStatus: number;
  /** Status of the DELETE answer; 200 answers the deleted object's body (role bindings). */
  deleteStatus?: 200 | 204;
  /** `kind` of the list envelope for the 403 probe. */
  listKind?: string;
  /** The object exists before the test (users cannot be created): no POST, GET answers `get` at once. */
  existing?: boolean;
}

export interface RecordedServer {
  url: string;
  /** `METHOD path?query` of every call since the last `load`. */
  readonly calls: string[];
  /** Plays `life` from now on, from its start (nothing created yet). */
  load(life: RecordedLife): void;
  close(): Promise<void>;
}

export const RECORDED_KEY = "RECORDEDFAKEKEY1";
export const RECORDED_SECRET = "recorded-fake-secret-not-a-real-one";

export async function startRecordedServer(): Promise<RecordedServer> {
  let calls: string[] = [];
  let life: RecordedLife | undefined;
  let createBody: Record<string, unknown> = {};
  let item = "";
  let state: "absent" | "created" | "updated" | "deleted" = "absent";
  const auth = `Basic ${Buffer.from(`${RECORDED_KEY}:${RECORDED_SECRET}`).toString("base64")}`;

  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const url = req.url ?? "/";
      const method = req.method ?? "GET";
      calls.push(`${method} ${url}`);
      const p = url.replace(/\?.*$/, "");
      const answer = (status: number, body?: unknown): void => {
        if (body === undefined) {
          res.writeHead(status);
          res.end();
          return;
        }
        const text = JSON.stringify(body);
        res.writeHead(status, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(text),
        });
        res.end(text);
      };
      if (life === undefined) return answer(500, { error_code: 500, message: "no recorded life loaded" });
      if (req.headers.authorization !== auth)
        return answer(401, recorded("_common/errors/401__unauthorized_org_v2_list_envs.json"));
      const { update, get } = life;
      const current = (): Record<string, unknown> =>
        state === "updated" && update ? recorded(update) : recorded(get);
      if (method === "POST" && p === life.collection && state === "absent") {
        state = "created";
        return answer(life.createStatus, createBody);
      }
      if (method === "GET" && p === life.collection) {
        return answer(200, { kind: life.listKind ?? "List", metadata: {}, data: [] });
      }
      if (p === item) {
        if (state === "absent" || state === "deleted") return answer(life.goneStatus, recorded(life.gone));
        if (method === "GET") return answer(200, current());
        if (method === "PATCH" && update) {
          state = "updated";
          return answer(200, recorded(update));
        }
        if (method === "DELETE") {
          const body = current();
          state = "deleted";
          return life.deleteStatus === 200 ? answer(200, body) : answer(204);
        }
      }
      answer(404, {
        errors: [{ status: "404", code: "not_found", detail: `no recorded answer for ${method} ${p}` }],
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get calls() {
      return calls;
    },
    load(next) {
      life = next;
      createBody = recorded(next.create);
      item = `${next.collection}/${String(createBody.id)}`;
      state = next.existing ? "created" : "absent";
      calls = [];
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
