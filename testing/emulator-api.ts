/** Talks to a started emulator over HTTP: its REST API (out-of-band changes) and its control API. */
import type { RunningEmulator } from "../emulator";

/** One request the emulator logged. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** ISO time the request arrived. */
  time: string;
}

export class EmulatorApi {
  constructor(readonly emu: RunningEmulator) {}

  private get auth(): string {
    return `Basic ${Buffer.from(`${this.emu.apiKey}:${this.emu.apiSecret}`).toString("base64")}`;
  }

  /** One call with the admin credentials; returns status and parsed body. */
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.emu.url}${path}`, {
      method,
      headers: {
        authorization: this.auth,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
  }

  /** Like {@link call}, failing unless the status is 2xx. */
  async ok(method: string, path: string, body?: unknown): Promise<unknown> {
    const r = await this.call(method, path, body);
    if (r.status < 200 || r.status > 299) {
      throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    }
    return r.body;
  }

  async clearLog(): Promise<void> {
    await this.ok("DELETE", "/_emulator/requests");
  }

  async log(): Promise<LoggedRequest[]> {
    const body = (await this.ok("GET", "/_emulator/requests")) as { data: LoggedRequest[] };
    return body.data;
  }

  /** `METHOD path` of every logged request, in order. */
  async calls(): Promise<string[]> {
    return (await this.log()).map((r) => `${r.method} ${r.path}`);
  }

  async dump(): Promise<Record<string, Record<string, unknown>[]>> {
    return (await this.ok("GET", "/_emulator/dump")) as Record<string, Record<string, unknown>[]>;
  }

  async faults(patch: Record<string, number>): Promise<void> {
    await this.ok("PUT", "/_emulator/faults", patch);
  }

  async reset(): Promise<void> {
    await this.ok("POST", "/_emulator/reset");
  }
}
