/**
 * The one scenario every object goes through, the way a real `pulumi up` goes: the SDK class registered
 * under mocks gives the real serialized provider; Pulumi's own dynamic-provider host runs it against the
 * emulator. Each object is one table entry (testing/table.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import { startEmulator, type RunningEmulator } from "../emulator";
import type { PropertyMap } from "../protocol";
import { startProviderHost, type ProviderHost } from "../runner/host";
import { captureRegistration } from "./capture";
import { EmulatorApi } from "./emulator-api";

/** One object's entry in the scenario table. */
export interface ScenarioEntry {
  /** SDK class name. */
  kind: string;
  /**
   * Registers one instance of the SDK class with the given options (args do not matter: the provider text
   * and the handling of options are what is used).
   */
  register: (opts?: pulumi.CustomResourceOptions) => unknown;
  /** Objects the scenario needs first (made through the emulator's API); values the inputs use. */
  prepare?: (api: EmulatorApi) => Promise<Record<string, string>>;
  /** Valid inputs; `tag` makes unique attributes differ between the objects of one run. */
  inputs: (deps: Record<string, string>, tag: string) => PropertyMap;
  /** Invalid inputs and the exact failures check must report. */
  invalid: {
    inputs: (deps: Record<string, string>) => PropertyMap;
    failures: { property: string; reason: string }[];
  };
  /** The method of the one update call: PATCH (default), or PUT where the API updates with the whole body. */
  updateMethod?: "PATCH" | "PUT";
  /** A change to update-in-place fields, and the outputs expected after the update. */
  update?: { change: (deps: Record<string, string>) => PropertyMap; expect: PropertyMap };
  /** A change that must replace the object, and the properties named. */
  replace?: { change: (deps: Record<string, string>) => PropertyMap; replaces: string[] };
  /** Inputs written differently that mean the same (a URL-encoded CRN, a set in another order). */
  equivalent?: (deps: Record<string, string>, inputs: PropertyMap) => PropertyMap;
  /** A change to a provider-only input: an update with no call to the object's own PATCH. */
  providerOnly?: PropertyMap;
  /** Calls the provider-only change makes (a JWKS refresh), and outputs expected after it; default none. */
  providerOnlyEffect?: { calls: (id: string) => string[]; expect: PropertyMap };
  /** Outputs expected right after create (a subset). */
  created: (deps: Record<string, string>, tag: string) => PropertyMap;
  /** Requests create makes, beyond the POST (documented waits, documented extra calls). */
  createExtraCalls?: (id: string) => string[];
  /**
   * Every request create makes, in order, for an object whose create is not a POST of its own (a
   * ProviderIntegrationAuthorization validates and PATCHes the integration its setup made); default: the
   * POST, then `createExtraCalls`.
   */
  createCalls?: (deps: Record<string, string>, id: string) => string[];
  /**
   * A change to update-in-place fields that the API refuses in the state the scenario reaches (a pim/v2
   * integration takes a new customer configuration only while DRAFT): the exact error, and the requests the
   * refused update makes. Stands in for `update`.
   */
  updateRefused?: {
    change: (deps: Record<string, string>) => PropertyMap;
    error: string;
    calls: (id: string) => string[];
  };
  /** Every request delete makes (default: one DELETE of `itemPath`). */
  deleteCalls?: (id: string, outs: PropertyMap) => string[];
  /** Delete leaves the remote object (it belongs to another resource): a read afterwards still finds it. */
  deleteLeavesObject?: boolean;
  /** The POST path (a function when it names a prerequisite). */
  createPath: string | ((deps: Record<string, string>) => string);
  /** REST path of one object, for the out-of-band delete and the request-log assertions. */
  itemPath: (id: string, outs: PropertyMap) => string;
  /** Import ID of an object (`id`, or `parent/id`). */
  importId?: (id: string, outs: PropertyMap) => string;
  /** Emulator dump table, and the unique attribute that must not repeat there. */
  dump: { table: string; unique: (rec: Record<string, unknown>) => string };
  /** Objects that cannot be created: the scenario imports this existing one instead. */
  existing?: { id: (deps: Record<string, string>) => string; createError: string };
  /** Secret outputs whose values must never appear in host output or errors. */
  secretOutputs?: string[];
  /** Deletes the object behind the provider's back (default: DELETE `itemPath` with the admin key). */
  outOfBandDelete?: (api: EmulatorApi, id: string, outs: PropertyMap) => Promise<void>;
  /**
   * Does what the error of a create with an unknown outcome advises (objects with no unique attribute:
   * find the object that may have been created and delete it), so that the create can be run again.
   */
  recoverCreate?: (api: EmulatorApi, deps: Record<string, string>, inputs: PropertyMap) => Promise<void>;
  /** Adoption of an existing object (the `import` resource option, which reaches the provider as `importId`). */
  adopt?: AdoptEntry;
  /** Why the object cannot be adopted at all (its own tests show the refusal); then it has no `adopt`. */
  cannotAdopt?: string;
  /**
   * What the calls-per-operation benchmark (bench/fixtures.ts, bench/calls.ts) does beyond or instead of the
   * scenario; absent: it runs the scenario's inputs, update and replace.
   */
  bench?: BenchEntry;
}

/** The benchmark's additions to one scenario entry. */
export interface BenchEntry {
  /** More prerequisites, merged into `prepare`'s. */
  prepare?: (api: EmulatorApi) => Promise<Record<string, string>>;
  /** The change the benchmark replaces the object with, instead of `replace.change`. */
  replace?: (deps: Record<string, string>) => PropertyMap;
  /** What the waits of `createExtraCalls` are, for the benchmark's table. */
  waitNote?: string;
  /**
   * The one object of this kind in the state-size benchmark's program (bench/state-size.ts): its name in
   * the program and its args, which name other objects of that program with `ref(name)`. Absent: the
   * benchmark reports the kind as not measured.
   */
  state?: { name: string; args: (tag: string, ref: (name: string) => string) => PropertyMap };
  /**
   * Fewer calls than the general minimum an operation of this kind can make, with the reason (a delete that
   * sends nothing, and so a replace that is only the create).
   */
  minimum?: {
    calls: Partial<Record<"create" | "update" | "replace" | "refresh" | "delete", number>>;
    why: string;
  };
}

/** How one object is adopted in tests/provider/adopt.test.ts. */
export interface AdoptEntry {
  /** What messages call the object ("service account"). */
  noun: string;
  /** The import ID format check names (`sa-…`). */
  format: string;
  /**
   * Makes the object out of band through the emulator's REST API exactly as `inputs` describe it (or picks
   * an existing one, for objects that cannot be created) and returns its import ID.
   */
  make: (api: EmulatorApi, deps: Record<string, string>, inputs: PropertyMap) => Promise<string>;
  /** An import ID of the right shape that names no object, and the path its GET goes to. */
  missing: (deps: Record<string, string>) => { importId: string; path: string };
  /** How the error names the differing field when the program has `replace.change` applied. */
  replaceMismatch?: (deps: Record<string, string>) => string;
}

/** Shared per-file state: one emulator, one host. */
export interface Harness {
  emu: RunningEmulator;
  api: EmulatorApi;
  host: ProviderHost;
  config: Record<string, string>;
  /** Moves the emulator's clock on by `ms` (read lag, key propagation) instead of waiting for it. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Env knobs that shrink every wait to test size (see provider/runtime.ts TUNING_ENV). */
export const FAST_ENV = {
  CONFLUENT_IAM_RETRY_BASE_MS: "5",
  CONFLUENT_IAM_RETRY_MAX_MS: "40",
  CONFLUENT_IAM_RECONCILE_WAIT_MS: "1200",
  CONFLUENT_IAM_KEY_READY_TIMEOUT_MS: "1500",
};

/**
 * Starts the emulator and the dynamic-provider host, configured through stack config (not env). The host
 * gets the Azure Resource Manager endpoint and token of the emulator in its environment (as a CI job would
 * have them), unless `hostEnv` says otherwise (`undefined` removes a variable).
 */
export async function startHarness(
  emulatorOptions: Parameters<typeof startEmulator>[0] = {},
  hostEnv: (emu: RunningEmulator) => Record<string, string | undefined> = () => ({}),
): Promise<Harness> {
  let skewMs = 0;
  const clock = emulatorOptions.now ?? Date.now;
  const emu = await startEmulator({ port: 0, ...emulatorOptions, now: () => clock() + skewMs });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...FAST_ENV,
    AZURE_ACCESS_TOKEN: emu.azureToken,
    AZURE_RESOURCE_MANAGER_ENDPOINT: emu.url,
  };
  delete env.CONFLUENT_CLOUD_API_KEY;
  delete env.CONFLUENT_CLOUD_API_SECRET;
  delete env.CONFLUENT_CLOUD_ENDPOINT;
  for (const [k, v] of Object.entries(hostEnv(emu))) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const host = await startProviderHost({ env });
  const config = {
    "confluentcloud:cloudApiKey": emu.apiKey,
    "confluentcloud:cloudApiSecret": emu.apiSecret,
    "confluentcloud:endpoint": emu.url,
  };
  await host.configure(config);
  return {
    emu,
    api: new EmulatorApi(emu),
    host,
    config,
    advance: (ms) => {
      skewMs += ms;
    },
    close: async () => {
      await host.close();
      await emu.close();
    },
  };
}

/** The URN of a test resource. */
export function urnOf(kind: string, name: string): string {
  return `urn:pulumi:dev::proj::pulumi-nodejs:dynamic/confluent:${kind}::${name}`;
}

/** Captures the serialized provider of an entry's SDK class. */
export async function providerTextOf(entry: ScenarioEntry): Promise<string> {
  return (await captureRegistration(entry.register)).providerText;
}

/** Drops `__provider` for comparisons. */
export function plain(props: PropertyMap): PropertyMap {
  const out = { ...props };
  delete out.__provider;
  return out;
}
