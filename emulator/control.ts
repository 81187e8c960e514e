import { z } from "zod";
import type { Reply, Settings } from "./context";
import { apiError } from "./errors";
import type { EmulatorObject } from "./objects/types";
import type { Route } from "./router";
import { parseSeed, type Seed } from "./seed";
import type { LogEntry } from "./server";
import { parseBody } from "./validate";

/** What the control API drives. */
export interface ControlTarget {
  readonly settings: Settings;
  log: LogEntry[];
  reset(): void;
  replaceSeed(seed: Seed): void;
  updateSettings(patch: Partial<Settings>): void;
  dump(): Record<string, unknown>;
  persist(): void;
}

const probability = z.number().min(0).max(1);
/** A whole number from 0 to `max`; the message states the bound and what it means. */
const upTo = (max: number, what: string) =>
  z
    .number()
    .int("must be a whole number")
    .min(0, "must not be negative")
    .max(max, `must be at most ${max} (${what})`);

/**
 * Bounds: a latency is a timer (Node's timers overflow past 2^31-1 ms, and a minute already stalls every
 * client); lags and propagation are compared with the clock, but more than an hour only ever hides objects.
 */
// emulator/options.ts bounds the matching CLI flags the same way.
export const FAULT_BOUNDS = {
  latency_ms: 60_000,
  latency_jitter_ms: 60_000,
  read_lag_ms: 3_600_000,
  key_propagation_ms: 3_600_000,
  rate_limit: 1_000_000,
  fault_seed: 0xffff_ffff,
} as const;

const faultsSchema = z
  .object({
    "5xx": probability,
    reset: probability,
    "429": probability,
    latency_ms: upTo(FAULT_BOUNDS.latency_ms, "one minute"),
    latency_jitter_ms: upTo(FAULT_BOUNDS.latency_jitter_ms, "one minute"),
    read_lag_ms: upTo(FAULT_BOUNDS.read_lag_ms, "one hour"),
    key_propagation_ms: upTo(FAULT_BOUNDS.key_propagation_ms, "one hour"),
    rate_limit: upTo(FAULT_BOUNDS.rate_limit, "requests per second"),
    fault_seed: upTo(FAULT_BOUNDS.fault_seed, "a 32-bit seed"),
  })
  .partial()
  .strict();

function faultsView(s: Settings): Reply {
  return {
    status: 200,
    body: {
      "5xx": s.fault5xx,
      reset: s.faultReset,
      "429": s.fault429,
      latency_ms: s.latencyMs,
      latency_jitter_ms: s.latencyJitterMs,
      read_lag_ms: s.readLagMs,
      key_propagation_ms: s.keyPropagationMs,
      rate_limit: s.rateLimit,
      fault_seed: s.faultSeed,
    },
  };
}

/**
 * The control API under /_emulator/ (docs/CONTRACTS.md), plus the objects' own test hooks (a successful
 * write among those is persisted). Its calls are never in the request log.
 */
export function controlRoutes(emu: ControlTarget, objects: readonly EmulatorObject[]): Route[] {
  const hooks = objects.flatMap((o) => o.controlRoutes ?? []);
  return [
    ...hooks.map((r): Route => ({
      ...r,
      handler: (ctx) => {
        const reply = r.handler(ctx);
        if (r.method !== "GET" && reply.status < 400) emu.persist();
        return reply;
      },
    })),
    {
      method: "POST",
      path: "/_emulator/reset",
      handler: () => {
        emu.reset();
        return { status: 200, body: { reset: true } };
      },
    },
    {
      method: "POST",
      path: "/_emulator/seed",
      handler: (ctx) => {
        let seed: Seed;
        try {
          seed = parseSeed(ctx.body);
        } catch (e) {
          throw apiError(400, "invalid_seed", e instanceof Error ? e.message : "invalid seed");
        }
        emu.replaceSeed(seed);
        return { status: 200, body: { seed } };
      },
    },
    { method: "GET", path: "/_emulator/requests", handler: () => ({ status: 200, body: { data: emu.log } }) },
    {
      method: "DELETE",
      path: "/_emulator/requests",
      handler: () => {
        emu.log = [];
        return { status: 204 };
      },
    },
    { method: "GET", path: "/_emulator/faults", handler: () => faultsView(emu.settings) },
    {
      method: "PUT",
      path: "/_emulator/faults",
      handler: (ctx) => {
        const f = parseBody(faultsSchema, ctx.body, "", 400);
        const patch: Partial<Settings> = {};
        if (f["5xx"] !== undefined) patch.fault5xx = f["5xx"];
        if (f.reset !== undefined) patch.faultReset = f.reset;
        if (f["429"] !== undefined) patch.fault429 = f["429"];
        if (f.latency_ms !== undefined) patch.latencyMs = f.latency_ms;
        if (f.latency_jitter_ms !== undefined) patch.latencyJitterMs = f.latency_jitter_ms;
        if (f.read_lag_ms !== undefined) patch.readLagMs = f.read_lag_ms;
        if (f.key_propagation_ms !== undefined) patch.keyPropagationMs = f.key_propagation_ms;
        if (f.rate_limit !== undefined) patch.rateLimit = f.rate_limit;
        if (f.fault_seed !== undefined) patch.faultSeed = f.fault_seed;
        emu.updateSettings(patch);
        return faultsView(emu.settings);
      },
    },
    { method: "GET", path: "/_emulator/dump", handler: () => ({ status: 200, body: emu.dump() }) },
  ];
}
