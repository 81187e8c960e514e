/**
 * A loopback proxy in front of the emulator that passes every request on and, for a seeded share of POSTs,
 * throws the emulator's answer away and answers 502 instead: the create happened, but the client is told it
 * failed (a gateway timing out on a slow backend). The emulator's own faults all come before it acts, so
 * without this proxy a POST sent again can never make a second object. A reset from the emulator is passed
 * on as a reset.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { Prng } from "../emulator/faults";

/** Headers not copied between the two connections. */
const HOP = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"]);

export class ActedFaultProxy {
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly counts: { faulted: number },
  ) {}

  /** POSTs answered 502 after the emulator acted. */
  get faulted(): number {
    return this.counts.faulted;
  }

  /** Starts a proxy to `target` (the emulator's URL) that answers `rate` of POSTs 502 after they acted. */
  static async start(target: string, rate: number, seed: number): Promise<ActedFaultProxy> {
    const to = new URL(target);
    const prng = new Prng(seed);
    const agent = new http.Agent({ keepAlive: true });
    const counts = { faulted: 0 };
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        // One draw per POST to the API, so a seed gives the same sequence of POSTs answered 502.
        const fault =
          req.method === "POST" && !(req.url ?? "").startsWith("/_emulator") && prng.next() < rate;
        const headers: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k) && v !== undefined) headers[k] = v;
        const body = Buffer.concat(chunks);
        if (body.length > 0) headers["content-length"] = body.length;
        const up = http.request(
          { host: to.hostname, port: to.port, path: req.url, method: req.method, headers, agent },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on("data", (c: Buffer) => parts.push(c));
            answer.on("error", () => req.socket.destroy());
            answer.on("end", () => {
              if (fault) {
                counts.faulted++;
                res.writeHead(502, { "content-type": "application/json" });
                res.end(JSON.stringify({ errors: [{ status: "502", detail: "Bad Gateway" }] }));
                return;
              }
              const out: http.OutgoingHttpHeaders = {};
              for (const [k, v] of Object.entries(answer.headers))
                if (!HOP.has(k) && v !== undefined) out[k] = v;
              res.writeHead(answer.statusCode ?? 502, out);
              res.end(Buffer.concat(parts));
            });
          },
        );
        // The emulator reset the connection (one of its faults): reset ours too.
        up.on("error", () => req.socket.destroy());
        up.end(body);
      });
    });
    server.keepAliveTimeout = 10_000;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    server.on("close", () => agent.destroy());
    return new ActedFaultProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, counts);
  }

  /** Stops the proxy. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
