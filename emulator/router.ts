import type { Handler } from "./context";

/** One route: a method and a path pattern whose `:name` segments become `ctx.params`. */
export interface Route {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  handler: Handler;
}

interface Compiled<R extends Route> {
  segments: string[];
  methods: Map<string, R>;
}

/** The result of matching a path: a handler, or the methods the path allows (405), or nothing (404). */
export type Match<R extends Route = Route> =
  | { kind: "found"; route: R; handler: Handler; params: Record<string, string>; pattern: string }
  | { kind: "method"; allow: string[] }
  | { kind: "none" };

/** A small router: routes grouped by segment count, literal segments before parameters. */
export class Router<R extends Route = Route> {
  private readonly bySize = new Map<number, Compiled<R>[]>();

  constructor(routes: readonly R[]) {
    for (const r of routes) this.add(r);
  }

  private add(route: R): void {
    const segments = route.path.split("/").filter(Boolean);
    const list = this.bySize.get(segments.length) ?? [];
    let entry = list.find((c) => c.segments.join("/") === segments.join("/"));
    if (!entry) {
      entry = { segments, methods: new Map() };
      list.push(entry);
      // Literal matches win over parameters: /identity-providers/:id/jwks before /:id/:x patterns.
      list.sort((a, b) => paramCount(a) - paramCount(b));
      this.bySize.set(segments.length, list);
    }
    if (entry.methods.has(route.method)) throw new Error(`duplicate route ${route.method} ${route.path}`);
    entry.methods.set(route.method, route);
  }

  /** Matches a decoded-segment path. */
  match(method: string, path: string): Match<R> {
    const parts = path.split("/").filter(Boolean);
    const candidates = this.bySize.get(parts.length);
    if (!candidates) return { kind: "none" };
    for (const c of candidates) {
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = c.segments[i] as string;
        const part = parts[i] as string;
        if (seg.startsWith(":")) {
          params[seg.slice(1)] = safeDecode(part);
        } else if (seg !== part) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      // HEAD is GET without a body (Node's server drops the body of a HEAD answer itself).
      const route = c.methods.get(method) ?? (method === "HEAD" ? c.methods.get("GET") : undefined);
      if (route) {
        return { kind: "found", route, handler: route.handler, params, pattern: `/${c.segments.join("/")}` };
      }
      const allow = [...c.methods.keys()];
      return { kind: "method", allow: allow.includes("GET") ? [...allow, "HEAD"] : allow };
    }
    return { kind: "none" };
  }
}

function paramCount(c: Compiled<Route>): number {
  return c.segments.filter((s) => s.startsWith(":")).length;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
