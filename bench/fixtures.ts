/**
 * One entry per object kind for the calls-per-operation benchmark, taken from the one fixture table the
 * tests use (testing/table.ts): how to register the SDK class (to get its real serialized provider),
 * valid inputs, a change that updates in place, a change that replaces, and the documented waits a create
 * makes beyond its POST. An entry's `bench` part says what the benchmark does differently.
 */
import type { PropertyMap } from "../protocol";
import { EmulatorApi } from "../testing/emulator-api";
import type { ScenarioEntry } from "../testing/scenario";
import { table } from "../testing/table";
import type { BenchEmulator } from "./support";

/** How one object kind goes through create, no-change, update, replace, refresh and delete. */
export interface KindFixture {
  /** SDK class name (also the provider's kind). */
  kind: string;
  /** Registers one instance of the SDK class; only the serialized provider text is used. */
  register: () => unknown;
  /** Objects the kind needs first (made through the REST API, outside the count). */
  prepare?: (emu: BenchEmulator, tag: string) => Promise<Record<string, string>>;
  /** Valid inputs. */
  inputs: (deps: Record<string, string>, tag: string) => PropertyMap;
  /** Inputs changed so that the object updates in place; absent when the API has no update. */
  update?: (deps: Record<string, string>) => PropertyMap;
  /** Inputs changed so that the object is replaced; absent when nothing replaces it. */
  replace?: (deps: Record<string, string>, tag: string) => PropertyMap;
  /** The object cannot be created: the benchmark imports (reads) this existing one instead. */
  existing?: (deps: Record<string, string>) => string;
  /**
   * Calls a create makes beyond its POST that are documented waits (`METHOD path`), counted apart from the
   * operation's own calls.
   */
  createWaits?: (id: string) => string[];
  /** What the wait is, for the table. */
  waitNote?: string;
  /** Why the object has update-in-place fields but no update the benchmark can make (the API refuses it). */
  updateRefused?: string;
  /** Fewer calls than the general minimum for some operations, and why. */
  minimum?: {
    calls: Partial<Record<"create" | "update" | "replace" | "refresh" | "delete", number>>;
    why: string;
  };
}

/** The prerequisites of the scenario entry and of its `bench` part, made through the emulator's REST API. */
function prepareOf(entry: ScenarioEntry): KindFixture["prepare"] {
  const steps = [entry.prepare, entry.bench?.prepare].filter((p) => p !== undefined);
  if (steps.length === 0) return undefined;
  return async (emu) => {
    const api = new EmulatorApi(emu.emu);
    let deps: Record<string, string> = {};
    for (const step of steps) deps = { ...deps, ...(await step(api)) };
    return deps;
  };
}

/** The benchmark's fixture of one scenario entry. */
function fixtureOf(entry: ScenarioEntry): KindFixture {
  const update = entry.update?.change;
  const replace = entry.bench?.replace ?? entry.replace?.change;
  return {
    kind: entry.kind,
    register: () => entry.register(),
    prepare: prepareOf(entry),
    inputs: entry.inputs,
    update: update && ((d) => update(d)),
    replace: replace && ((d) => replace(d)),
    existing: entry.existing?.id,
    createWaits: entry.createExtraCalls,
    waitNote: entry.bench?.waitNote,
    updateRefused:
      entry.updateRefused && "the API refuses it once the integration is CREATED (PATCH works only on DRAFT)",
    minimum: entry.bench?.minimum,
  };
}

/** Every kind the benchmark knows, in table order. */
export const fixtures: readonly KindFixture[] = table.map(fixtureOf);
