/**
 * Benchmark 3: state size. A program with one object of every kind that can be created is applied with the
 * runner; the state file it writes is read back: bytes of the serialized provider (`__provider`) and bytes
 * of the whole resource entry (inputs, outputs, provider, dependencies), per kind. Destroyed afterwards.
 */
import * as fs from "fs";
import { z } from "zod";
import { table } from "../testing/table";
import {
  BenchEmulator,
  BenchProgram,
  failedOperations,
  firstErrors,
  ref,
  type Declaration,
  type Row,
} from "./support";

/** One kind's figures. */
export interface KindSize {
  /** SDK class name. */
  kind: string;
  /** Bytes of the serialized provider text (UTF-8). */
  providerBytes: number;
  /** Bytes of the resource's state entry as the runner stores it (compact JSON, UTF-8). */
  stateBytes: number;
}

/** The benchmark's result. */
export interface StateSizeResult {
  /** Per kind, in program order. */
  kinds: KindSize[];
  /** Kinds not measured, with the reason. */
  skipped: { kind: string; reason: string }[];
  /** Failed operations of `up` and `destroy`. */
  failed: number;
  /** First errors, when any. */
  errors: string[];
}

/** The provider's `__provider` budget (sdk/provider.ts keeps it under 2 KB). */
const PROVIDER_BUDGET_BYTES = 2048;

/** One object of every kind that can be created, with its references (the fixture table's `bench.state`). */
export function oneOfEach(tag: string): Declaration[] {
  return table.flatMap((e) =>
    e.bench?.state ? [{ kind: e.kind, name: e.bench.state.name, args: e.bench.state.args(tag, ref) }] : [],
  );
}

/** The kinds {@link oneOfEach} leaves out, with the reason. */
function notMeasured(): { kind: string; reason: string }[] {
  return table
    .filter((e) => !e.bench?.state)
    .map((e) => ({
      kind: e.kind,
      reason: e.existing
        ? "cannot be created (import only), and the runner does not import"
        : "no bench.state in its entry of testing/table.ts",
    }));
}

const stateSchema = z.object({
  resources: z.array(z.object({ type: z.string(), provider: z.string() }).passthrough()),
});

/** Runs the benchmark. */
export async function runStateSize(): Promise<StateSizeResult> {
  const emu = await BenchEmulator.start();
  const decls = oneOfEach(Date.now().toString(36));
  const program = BenchProgram.create("state-size", decls);
  const env = emu.env({ AZURE_ACCESS_TOKEN: emu.emu.azureToken, AZURE_RESOURCE_MANAGER_ENDPOINT: emu.url });
  try {
    const up = await program.run("up", env, { parallel: 8 });
    const state = stateSchema.parse(JSON.parse(fs.readFileSync(program.statePath, "utf8")));
    const kinds: KindSize[] = [];
    for (const r of state.resources) {
      kinds.push({
        kind: r.type.slice(r.type.lastIndexOf(":") + 1),
        providerBytes: Buffer.byteLength(r.provider),
        stateBytes: Buffer.byteLength(JSON.stringify(r)),
      });
    }
    const order = decls.map((d) => d.kind);
    kinds.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
    const destroy = await program.run("destroy", env, { parallel: 8 });
    return {
      kinds,
      skipped: notMeasured(),
      failed: failedOperations(up.result) + failedOperations(destroy.result),
      errors: [...firstErrors(up.result), ...firstErrors(destroy.result)],
    };
  } finally {
    program.remove();
    await emu.close();
  }
}

/** The table rows: one per kind. */
export function stateSizeRows(r: StateSizeResult): Row[] {
  const rows: Row[] = r.kinds.map((k) => ({
    benchmark: "state",
    figure: `${k.kind}: bytes of __provider / bytes of state per resource`,
    value: `${k.providerBytes} / ${k.stateBytes}`,
    target: `__provider <= ${PROVIDER_BUDGET_BYTES}`,
    met: k.providerBytes <= PROVIDER_BUDGET_BYTES,
  }));
  for (const s of r.skipped)
    rows.push({ benchmark: "state", figure: `${s.kind}: not measured`, value: s.reason, target: "" });
  if (r.failed > 0) {
    rows.push({
      benchmark: "state",
      figure: "failed operations of up + destroy",
      value: `${r.failed} [${r.errors[0] ?? ""}]`,
      target: "0",
      met: false,
    });
  }
  return rows;
}
