/**
 * Benchmark 1: API calls per operation, for every object kind, counted in the emulator's request log.
 *
 * The provider is driven through Pulumi's own dynamic-provider host (runner/host.ts) with the SDK class's
 * real serialized provider, calling what the engine calls for each operation: check + create; check + diff
 * (no change); check + diff + update; check + diff + create + delete (replace, create before delete); read
 * (refresh); delete. Calls a create makes beyond its POST that the object documents as waits (API-key
 * readiness) are counted apart.
 */
import type { PropertyMap } from "../protocol";
import { startProviderHost, type ProviderHost } from "../runner/host";
import { providerTextOf } from "./capture";
import { fixtures, type KindFixture } from "./fixtures";
import { BenchEmulator, type LoggedCall, type Row } from "./support";

/** The operations measured, in table order. */
export const OPERATIONS = ["create", "noChange", "update", "replace", "refresh", "delete"] as const;
/** One operation. */
export type Operation = (typeof OPERATIONS)[number];

/** Column titles of the operations. */
const OPERATION_TITLES: Readonly<Record<Operation, string>> = {
  create: "create",
  noChange: "no-change up",
  update: "update",
  replace: "replace",
  refresh: "refresh",
  delete: "delete",
};

/** The fewest API calls each operation can make (replace = create + delete). */
export const MINIMUM: Readonly<Record<Operation, number>> = {
  create: 1,
  noChange: 0,
  update: 1,
  replace: 2,
  refresh: 1,
  delete: 1,
};

/** What one operation did. */
export interface OperationCount {
  /** API calls of the operation itself (documented waits excluded). */
  calls: number;
  /** Calls that are documented waits (API-key readiness). */
  waits: number;
  /** Every call, as `METHOD path status`. */
  log: string[];
}

/** The figures of one kind. */
export interface KindCalls {
  /** SDK class name. */
  kind: string;
  /** Per operation; absent when the object has no such operation (no PATCH, nothing replaces it, import only). */
  ops: Partial<Record<Operation, OperationCount>>;
  /** Why an operation is absent, by operation. */
  notApplicable: Partial<Record<Operation, string>>;
  /** What the documented wait is. */
  waitNote?: string;
  /** Wrong outcomes seen on the way (a no-change diff that reported changes, an update that replaced, …). */
  problems: string[];
  /** The fewest calls of each operation for this kind: {@link MINIMUM}, less where the kind says why. */
  minimum: Record<Operation, number>;
  /** Why the kind's minimum is below {@link MINIMUM}. */
  minimumNote?: string;
}

/** The benchmark's result. */
export interface CallsResult {
  /** One entry per kind with a fixture. */
  kinds: KindCalls[];
  /** Kinds the provider has that no fixture covers (they make the table incomplete). */
  missingFixtures: string[];
}

/** Options of {@link runCallsPerOperation}. */
export interface CallsOptions {
  /** Only these kinds. @default every fixture */
  kinds?: string[];
}

/** The fewest calls of each operation for one kind: {@link MINIMUM}, less where the fixture says why. */
export function minimumOf(f: Pick<KindFixture, "minimum">): Record<Operation, number> {
  return { ...MINIMUM, ...f.minimum?.calls };
}

function describe(calls: readonly LoggedCall[]): string[] {
  return calls.map((c) => `${c.method} ${c.path} ${c.status}`);
}

async function providerKinds(): Promise<string[]> {
  const { adapters } = await import("../provider/specs");
  return Object.keys(adapters);
}

async function measureKind(
  emu: BenchEmulator,
  host: ProviderHost,
  f: KindFixture,
  tag: string,
): Promise<KindCalls> {
  const result: KindCalls = {
    kind: f.kind,
    ops: {},
    notApplicable: {},
    waitNote: f.waitNote,
    problems: [],
    minimum: minimumOf(f),
    minimumNote: f.minimum?.why,
  };
  const text = await providerTextOf(f.register);
  const wp = (p: PropertyMap): PropertyMap => ({ ...p, __provider: text });
  const urn = `urn:pulumi:dev::bench::pulumi-nodejs:dynamic/confluent:${f.kind}::${f.kind.toLowerCase()}-${tag}`;
  const deps = f.prepare ? await f.prepare(emu, tag) : {};
  let inputs = f.inputs(deps, tag);
  let id = "";
  let outs: PropertyMap = {};

  const measure = async (op: Operation, fn: () => Promise<string | undefined>): Promise<void> => {
    await emu.clearLog();
    const createdId = await fn();
    const calls = await emu.log();
    const waitPaths = createdId !== undefined ? new Set(f.createWaits?.(createdId) ?? []) : new Set<string>();
    const waits = calls.filter((c) => waitPaths.has(`${c.method} ${c.path}`)).length;
    result.ops[op] = { calls: calls.length - waits, waits, log: describe(calls) };
  };

  const checked = async (olds: PropertyMap, news: PropertyMap): Promise<PropertyMap> => {
    const c = await host.check(urn, wp(olds), wp(news));
    if (c.failures.length > 0) {
      throw new Error(
        `${f.kind}: check failed: ${c.failures.map((x) => `${x.property}: ${x.reason}`).join("; ")}`,
      );
    }
    return c.inputs;
  };

  if (f.existing) {
    result.notApplicable.create = "cannot be created through the API (import only)";
    const existingId = f.existing(deps);
    const res = await host.read(existingId, urn, wp({}));
    id = res.id;
    outs = res.props;
  } else {
    await measure("create", async () => {
      const made = await host.create(urn, await checked({}, inputs));
      id = made.id;
      outs = made.outs;
      return made.id;
    });
  }

  await measure("noChange", async () => {
    const news = await checked(inputs, inputs);
    const d = await host.diff(id, urn, wp(outs), news, wp(inputs));
    if (d.changes === true || d.replaces.length > 0) {
      result.problems.push(
        `no-change diff reported changes [${d.diffs.join(", ")}] replaces [${d.replaces.join(", ")}]`,
      );
    }
    return undefined;
  });

  if (f.update) {
    const next = { ...inputs, ...f.update(deps) };
    await measure("update", async () => {
      const news = await checked(inputs, next);
      const d = await host.diff(id, urn, wp(outs), news, wp(inputs));
      if (d.changes === false || d.replaces.length > 0) {
        result.problems.push(
          `update diff: changes ${String(d.changes)}, replaces [${d.replaces.join(", ")}]`,
        );
      }
      outs = (await host.update(id, urn, wp(outs), news, wp(inputs))).outs;
      return undefined;
    });
    inputs = next;
  } else {
    result.notApplicable.update = f.updateRefused ?? "no in-place update (every change replaces it)";
  }

  if (f.replace) {
    const next = { ...inputs, ...f.replace(deps, tag) };
    await measure("replace", async () => {
      const news = await checked(inputs, next);
      const d = await host.diff(id, urn, wp(outs), news, wp(inputs));
      if (d.replaces.length === 0) result.problems.push("replace diff named no property that replaces");
      const made = await host.create(urn, news);
      await host.delete(id, urn, wp(outs));
      id = made.id;
      outs = made.outs;
      return made.id;
    });
    inputs = next;
  } else {
    result.notApplicable.replace = "no input replaces it";
  }

  await measure("refresh", async () => {
    const res = await host.read(id, urn, wp(outs), wp(inputs));
    if (res.id !== id) result.problems.push(`refresh read id ${JSON.stringify(res.id)}, expected ${id}`);
    return undefined;
  });

  await measure("delete", async () => {
    await host.delete(id, urn, wp(outs));
    return undefined;
  });
  return result;
}

/** Runs the benchmark against a fresh in-process emulator and one provider host. */
export async function runCallsPerOperation(options: CallsOptions = {}): Promise<CallsResult> {
  const chosen = fixtures.filter((f) => !options.kinds || options.kinds.includes(f.kind));
  const known = await providerKinds();
  const missingFixtures = known.filter((k) => !fixtures.some((f) => f.kind === k));
  const emu = await BenchEmulator.start();
  const env = emu.env({ AZURE_ACCESS_TOKEN: emu.emu.azureToken, AZURE_RESOURCE_MANAGER_ENDPOINT: emu.url });
  // Credentials come from stack config, as a user's stack would give them.
  delete env.CONFLUENT_CLOUD_API_KEY;
  delete env.CONFLUENT_CLOUD_API_SECRET;
  delete env.CONFLUENT_CLOUD_ENDPOINT;
  const host = await startProviderHost({ env, project: "bench", stack: "dev" });
  const kinds: KindCalls[] = [];
  try {
    await host.configure({
      "confluentcloud:cloudApiKey": emu.emu.apiKey,
      "confluentcloud:cloudApiSecret": emu.emu.apiSecret,
      "confluentcloud:endpoint": emu.url,
    });
    const tag = Date.now().toString(36);
    for (const f of chosen) kinds.push(await measureKind(emu, host, f, tag));
  } finally {
    await host.close();
    await emu.close();
  }
  return { kinds, missingFixtures };
}

/** True when every measured operation of the kind made exactly its minimum and nothing went wrong. */
function atMinimum(k: KindCalls): boolean {
  return (
    k.problems.length === 0 &&
    OPERATIONS.every((op) => {
      const c = k.ops[op];
      return c === undefined ? k.notApplicable[op] !== undefined : c.calls === k.minimum[op];
    })
  );
}

/** The table rows: one per kind (calls per operation next to the minimum), one per kind with waits. */
export function callsRows(r: CallsResult): Row[] {
  const benchmark = "calls";
  const head = OPERATIONS.map((op) => OPERATION_TITLES[op]).join(" / ");
  const rows: Row[] = [];
  for (const k of r.kinds) {
    const value = OPERATIONS.map((op) => (k.ops[op] ? String(k.ops[op]?.calls) : "-")).join(" / ");
    const target =
      OPERATIONS.map((op) => (k.ops[op] || !k.notApplicable[op] ? String(k.minimum[op]) : "-")).join(" / ") +
      (k.minimumNote ? ` (${k.minimumNote})` : "");
    rows.push({
      benchmark,
      figure: `${k.kind}: ${head}`,
      value: k.problems.length > 0 ? `${value} (${k.problems.join("; ")})` : value,
      target,
      met: atMinimum(k),
    });
    const waits = OPERATIONS.filter((op) => (k.ops[op]?.waits ?? 0) > 0);
    if (waits.length > 0) {
      rows.push({
        benchmark,
        figure: `${k.kind}: documented waits (${k.waitNote ?? "wait"})`,
        value: waits.map((op) => `${OPERATION_TITLES[op]} +${k.ops[op]?.waits ?? 0}`).join(", "),
        target: "shown apart",
      });
    }
  }
  for (const kind of r.missingFixtures) {
    rows.push({
      benchmark,
      figure: `${kind}: no entry in testing/table.ts (the fixture table bench/fixtures.ts reads)`,
      value: "not measured",
      target: "",
      met: false,
    });
  }
  return rows;
}
