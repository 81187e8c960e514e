/**
 * A loopback proxy in front of the emulator that passes every request and answer on (the emulator's own
 * headers too, `Date` included), except the next POST to a chosen path, which it answers 502 Bad Gateway
 * either without passing it on (`drop`: the create did not happen) or after the emulator answered (`after`:
 * it did, and the answer was lost). Its 502 carries the proxy's own `Date`, as a gateway's would.
 */
import * as http from "http";
import type { AddressInfo } from "net";

const HOP = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"]);
const BAD_GATEWAY = JSON.stringify({ errors: [{ status: "502", detail: "Bad Gateway" }] });

export class LostAnswerProxy {
  /** `METHOD path` (no query) of every request, in order. */
  readonly seen: string[] = [];
  private fail: { path: string; mode: "drop" | "after" } | undefined;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  /** Answers the next POST to `path` with a 502, before (`drop`) or after (`after`) the emulator acts. */
  failNextPost(path: string, mode: "drop" | "after"): void {
    this.fail = { path, mode };
  }

  static async start(target: string): Promise<LostAnswerProxy> {
    const to = new URL(target);
    const agent = new http.Agent({ keepAlive: true });
    const ref: { proxy?: LostAnswerProxy } = {};
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const p = ref.proxy as LostAnswerProxy;
        const path = (req.url ?? "").replace(/\?.*$/, "");
        p.seen.push(`${req.method} ${path}`);
        const fail = req.method === "POST" && p.fail?.path === path ? p.fail.mode : undefined;
        if (fail !== undefined) p.fail = undefined;
        const badGateway = (): void => {
          res.writeHead(502, { "content-type": "application/json" });
          res.end(BAD_GATEWAY);
        };
        if (fail === "drop") {
          badGateway();
          return;
        }
        const headers: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k) && v !== undefined) headers[k] = v;
        const body = Buffer.concat(chunks);
        if (body.length > 0) headers["content-length"] = body.length;
        const up = http.request(
          { host: to.hostname, port: to.port, path: req.url, method: req.method, headers, agent },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on("data", (c: Buffer) => parts.push(c));
            answer.on("end", () => {
              if (fail === "after") {
                badGateway();
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
        up.on("error", () => req.socket.destroy());
        up.end(body);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    server.on("close", () => agent.destroy());
    ref.proxy = new LostAnswerProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return ref.proxy;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
