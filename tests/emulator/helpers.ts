import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator, type EmulatorOptions } from "../../emulator";

/** Recorded real-API bodies (read-only, shared with the other parts of the project). */
export const RECORDED_DIR = process.env.CONFLUENT_RECORDED_DIR ?? "/work/shared/recorded";

/** An HTTP answer with its JSON body parsed. */
export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * The value at a dotted path (`errors.0.code`, `spec.secret`), or undefined. Tests read bodies through this
 * and compare whole bodies with toMatchObject, so no answer needs a cast.
 */
export function pick(body: unknown, path: string): unknown {
  let cur: unknown = body;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The string at a path; throws (failing the test) when it is not a string. */
export function str(body: unknown, path: string): string {
  const v = pick(body, path);
  if (typeof v !== "string") throw new Error(`expected a string at ${path}, got ${JSON.stringify(v)}`);
  return v;
}

/** The array at a path; throws when it is not an array. */
export function arr(body: unknown, path: string): unknown[] {
  const v = pick(body, path);
  if (!Array.isArray(v)) throw new Error(`expected an array at ${path}, got ${JSON.stringify(v)}`);
  return v as unknown[];
}

/** Basic authorization header value. */
export function basic(key: string, secret: string): string {
  return "Basic " + Buffer.from(`${key}:${secret}`).toString("base64");
}

/** A started emulator with a small fetch wrapper bound to its admin credential. */
export interface TestEmulator {
  url: string;
  auth: string;
  azureToken: string;
  close(): Promise<void>;
  /** Calls the API (JSON in and out). `auth: null` sends no Authorization header. */
  call(
    method: string,
    path: string,
    body?: unknown,
    opts?: { auth?: string | null; raw?: string },
  ): Promise<Answer>;
  /** POST /_emulator/reset. */
  reset(): Promise<void>;
  /** Request log entries. */
  requests(): Promise<unknown[]>;
}

/** Starts an in-process emulator on a free port. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator({ port: 0, ...options });
  const auth = basic(emu.apiKey, emu.apiSecret);
  const call: TestEmulator["call"] = async (method, path, body, opts = {}) => {
    const headers: Record<string, string> = {};
    const a = opts.auth === undefined ? auth : opts.auth;
    if (a !== null) headers.authorization = a;
    let payload: string | undefined = opts.raw;
    if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(path.startsWith("http") ? path : emu.url + path, {
      method,
      headers,
      body: payload,
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text === "" ? undefined : (JSON.parse(text) as unknown),
    };
  };
  return {
    url: emu.url,
    auth,
    azureToken: emu.azureToken,
    close: () => emu.close(),
    call,
    reset: async () => {
      const r = await call("POST", "/_emulator/reset");
      if (r.status !== 200) throw new Error(`reset answered ${r.status}`);
    },
    requests: async () => arr((await call("GET", "/_emulator/requests")).body, "data"),
  };
}

/** Reads a recorded body. */
export function recorded(file: string): unknown {
  return JSON.parse(readFileSync(join(RECORDED_DIR, file), "utf8")) as unknown;
}

/**
 * Every key path of the recorded body that the emulator's answer lacks (empty = the answer has every field
 * the real API sent). Arrays are compared through their first element. `ignore` lists paths not modelled.
 */
export function missingPaths(
  recordedBody: unknown,
  actual: unknown,
  ignore: string[] = [],
  prefix = "",
): string[] {
  const out: string[] = [];
  if (Array.isArray(recordedBody)) {
    if (!Array.isArray(actual)) return [`${prefix} (not an array)`];
    if (recordedBody.length > 0 && actual.length > 0) {
      out.push(...missingPaths(recordedBody[0], actual[0], ignore, `${prefix}[]`));
    }
    return out;
  }
  if (recordedBody !== null && typeof recordedBody === "object") {
    if (actual === null || typeof actual !== "object") return [`${prefix} (not an object)`];
    const rec = recordedBody as Record<string, unknown>;
    const act = actual as Record<string, unknown>;
    for (const key of Object.keys(rec)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (ignore.includes(path)) continue;
      if (!(key in act)) out.push(path);
      else out.push(...missingPaths(rec[key], act[key], ignore, path));
    }
  }
  return out;
}

/** Follows `metadata.next` from a first page; answers every page body. Bounded to 50 pages. */
export async function allPages(emu: TestEmulator, firstPath: string): Promise<unknown[]> {
  // As a client of the real API must: the `next` link names another host and carries only the token, so
  // the next page is the first request plus that token.
  const pages: unknown[] = [];
  let next: string | undefined = firstPath;
  while (next !== undefined && pages.length < 50) {
    const r = await emu.call("GET", next);
    if (r.status !== 200) throw new Error(`GET ${next} answered ${r.status}: ${JSON.stringify(r.body)}`);
    pages.push(r.body);
    const n = pick(r.body, "metadata.next");
    const token = typeof n === "string" ? new URL(n).searchParams.get("page_token") : null;
    next =
      token === null
        ? undefined
        : `${firstPath}${firstPath.includes("?") ? "&" : "?"}page_token=${encodeURIComponent(token)}`;
  }
  return pages;
}

/** The single standard-envelope error of an answer. */
export function theError(a: Answer): Record<string, unknown> {
  const errors = arr(a.body, "errors");
  expect(errors).toHaveLength(1);
  return errors[0] as Record<string, unknown>;
}

/** Ids of the items across pages. */
export function idsOf(pages: unknown[]): string[] {
  return pages.flatMap((p) => arr(p, "data").map((item) => str(item, "id")));
}
