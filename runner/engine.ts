/**
 * The part of the Pulumi engine this package needs, for machines without the Pulumi CLI: run the program with
 * the real SDK (`pulumi.runtime.setMocks` as the resource monitor), and for each resource do what the engine
 * would do through Pulumi's own dynamic-provider host: Check, Diff against saved state, then Create, Update,
 * Replace or nothing; afterwards delete what the program no longer declares, dependents first.
 *
 * The SDK keeps global state, so one process runs one command: see ./worker.ts and ./index.ts.
 */
import { createRequire } from "module";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type * as resproto from "@pulumi/pulumi/proto/resource_pb";
import {
  PROVIDER_KEY,
  UNKNOWN_VALUE,
  containsSecret,
  isSecretWire,
  unwrapSecrets,
  type PropertyMap,
} from "../protocol";
import { ProviderCallError, ResourceInitError, startProviderHost, type ProviderHost } from "./host";
import { startPolicyPack, type AnalyzerResource, type PolicyPackHandle } from "./analyzer";
import { readProject, readStackConfig, type ProjectInfo, type StackConfig } from "./project";
import { mustGoFirst } from "./delete-order";
import { USE_CLI, explainProgramError, unsupportedOptions } from "./refusals";
import { storable, withoutInputOnly } from "./input-only";
import { displayType, showHostLine, stepLine } from "./render";
import { applyIgnoreChanges, changedKeys, planStep } from "./plan";
import { loadState, markSecrets, maskSecrets, saveState, type ResourceState, type StackState } from "./state";

/**
 * How long a program that has a failed step may go without a new registration before the run stops waiting
 * for it (CONFLUENT_IAM_STALL_MS; tests may shrink it).
 */
const STALL_MS =
  Number(process.env.CONFLUENT_IAM_STALL_MS) > 0 ? Number(process.env.CONFLUENT_IAM_STALL_MS) : 5000;

/** A lifecycle command. */
export type Command = "preview" | "up" | "refresh" | "destroy";

/** What a step did (or, in preview, would do). */
export type StepOp = "create" | "update" | "replace" | "delete" | "same" | "read";

/** One step of a run. */
export interface StepRecord {
  /** What was (or would be) done. */
  op: StepOp;
  /** The resource. */
  urn: string;
  /** Its type token. */
  type: string;
  /** Its logical name. */
  name: string;
  /** Input (or, for refresh, output) keys that changed. */
  diffs: string[];
  /** Keys whose change forces replacement. */
  replaces: string[];
  /** planned (preview), done, or failed. */
  status: "planned" | "done" | "failed";
  /** The error, when failed. */
  error?: string;
  /** A remark shown on the step's line (`retained` for a delete that left the object in place). */
  note?: string;
}

/** A policy violation as reported by the pack. */
export interface Violation {
  /** Policy name. */
  policyName: string;
  /** What is wrong. */
  message: string;
  /** advisory, mandatory, remediate or disabled. */
  enforcementLevel: string;
  /** The resource's URN, when the violation is about one resource. */
  urn?: string;
}

/** The outcome of a command. */
export interface RunResult {
  /** The command run. */
  command: Command;
  /** false when any operation failed, the program failed, or a mandatory policy was violated. */
  ok: boolean;
  /** Every step except "same", in the order they finished. */
  steps: StepRecord[];
  /** Counts by op (failed steps counted under `failed`). */
  summary: Record<StepOp | "failed", number>;
  /** Stack outputs with secrets shown as `[secret]` and unknowns as `[unknown]`. */
  outputs: Record<string, unknown>;
  /** Policy violations. */
  violations: Violation[];
  /** Error messages (program errors, failed operations). */
  errors: string[];
}

/** Options of one command run. */
export interface EngineOptions {
  /** The command. */
  command: Command;
  /** Folder with Pulumi.yaml. */
  cwd: string;
  /** Stack name. @default "dev" */
  stack?: string;
  /** `key=value` config overrides. */
  config?: string[];
  /** State file. @default `<cwd>/.state/<stack>.json` */
  statePath?: string;
  /** At most this many resource operations at once. @default 10 */
  parallel?: number;
  /** Policy pack folder (preview and up). */
  policyPack?: string;
  /** This preview is the policy check `up --policy-pack` runs before applying (changes its closing words). */
  gate?: boolean;
  /** Where output lines go. */
  print: (line: string) => void;
  /** Told when a provider operation starts and ends (`create confluent:ApiKey key`). */
  onOperation?: (phase: "start" | "end", what: string) => void;
}

export { displayType, explainProgramError };

/** Bounds concurrency: at most `limit` holders at once. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** The most holders seen at once. */
  peak = 0;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`parallel must be a positive integer, got ${limit}`);
  }

  /** Runs `fn` once a slot is free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

function withoutProvider(props: PropertyMap): PropertyMap {
  const { [PROVIDER_KEY]: _provider, ...rest } = props;
  void _provider;
  return rest;
}

function plain(props: PropertyMap): PropertyMap {
  return unwrapSecrets(props) as PropertyMap;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** The URN the engine gives a resource: parent types are chained, except the root stack's. */
function urnFor(stack: string, project: string, type: string, name: string, parent: string): string {
  let qualified = type;
  if (parent) {
    const parentType = parent.split("::")[2] ?? "";
    if (parentType !== "pulumi:pulumi:Stack") qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** Options the program passed with a registration that MockResourceArgs does not carry. */
interface RegistrationExtras {
  parent: string;
  /** URNs the resource had before (the `aliases` option, with those inherited from its parents). */
  aliases: string[];
  /** Options this runner cannot honour, each as the sentence that refuses it. */
  unsupported: string[];
  dependencies: string[];
  additionalSecretOutputs: string[];
  deleteBeforeReplace: boolean;
  ignoreChanges: string[];
  replaceOnChanges: string[];
  protect: boolean;
  retainOnDelete: boolean;
}

interface MonitorLike {
  supportsFeature(
    req: resproto.SupportsFeatureRequest,
    cb: (err: unknown, res: { getHassupport(): boolean }) => void,
  ): void;
  registerResourceOutputs(
    req: resproto.RegisterResourceOutputsRequest,
    cb: (err: unknown, res: unknown) => void,
  ): void;
  registerResource(
    req: resproto.RegisterResourceRequest,
    cb: (err: unknown, res: unknown) => void,
  ): Promise<void>;
  readResource(req: resproto.ReadResourceRequest, cb: (err: unknown, res: unknown) => void): Promise<void>;
  mocks: pulumi.runtime.Mocks;
  resources: Map<string, { urn: string; id: string | null; state: unknown }>;
}

interface SettingsModule {
  getMonitor(): unknown;
  waitForRPCs(): Promise<void>;
}

const requireHere = createRequire(__filename);

/** Runs one command in this process. */
export async function runEngine(opts: EngineOptions): Promise<RunResult> {
  return new Engine(opts).run();
}

class Engine {
  private readonly project: ProjectInfo;
  private readonly stack: string;
  private readonly config: StackConfig;
  private readonly statePath: string;
  private readonly sem: Semaphore;
  private state!: StackState;
  private host!: ProviderHost;
  private pack: PolicyPackHandle | undefined;
  private readonly steps: StepRecord[] = [];
  private readonly errors: string[] = [];
  private readonly violations: Violation[] = [];
  private readonly registered = new Map<string, ResourceState>();
  private readonly analyzed = new Map<string, AnalyzerResource>();
  private readonly pendingDeletes: ResourceState[] = [];
  private readonly inflight = new Set<Promise<unknown>>();
  /** When a registration or an operation last started or ended (Date.now() ms). */
  private lastActivity = Date.now();
  private readonly print: (line: string) => void;
  private readonly preview: boolean;

  constructor(private readonly opts: EngineOptions) {
    this.project = readProject(path.resolve(opts.cwd));
    this.stack = opts.stack ?? "dev";
    this.config = readStackConfig(this.project, this.stack, opts.config ?? []);
    this.statePath = path.resolve(
      opts.statePath ?? path.join(this.project.dir, ".state", `${this.stack}.json`),
    );
    this.sem = new Semaphore(opts.parallel ?? 10);
    this.print = opts.print;
    this.preview = opts.command === "preview";
  }

  async run(): Promise<RunResult> {
    const { command } = this.opts;
    this.state = loadState(this.statePath, this.project.name, this.stack);
    const heading = {
      preview: "Previewing update",
      up: "Updating",
      refresh: "Refreshing",
      destroy: "Destroying",
    }[command];
    this.print(`${heading} (${this.stack}) of project ${this.project.name}, state ${this.statePath}`);
    this.print("");
    this.host = this.reporting(
      await startProviderHost({
        cwd: this.project.dir,
        project: this.project.name,
        stack: this.stack,
        onOutput: (line) => {
          if (showHostLine(line)) this.print(`    [provider] ${line}`);
        },
      }),
    );
    try {
      await this.host.configure(this.config.values);
      if (this.opts.policyPack && (command === "preview" || command === "up")) {
        this.pack = await startPolicyPack(path.resolve(this.opts.policyPack));
      }
      if (command === "preview" || command === "up") await this.deploy();
      else if (command === "refresh") await this.refresh();
      else await this.destroy();
    } catch (e) {
      this.errors.push(errorText(e));
    } finally {
      await this.pack?.close().catch(() => undefined);
      await this.host.close();
    }
    return this.finish();
  }

  /** Records a refusal (once) as the run's error, and returns it to throw. */
  private refuse(message: string): Error {
    if (!this.errors.includes(message)) this.errors.push(message);
    return new Error(message);
  }

  /** The host, telling `onOperation` when each create, read, update and delete starts and ends. */
  private reporting(host: ProviderHost): ProviderHost {
    const notify = this.opts.onOperation;
    if (!notify) return host;
    const typeOf = (urn: string): string => {
      const parts = urn.split("::");
      return `${displayType((parts[2] ?? "").split("$").pop() ?? "")} ${parts[3] ?? ""}`;
    };
    const wrap =
      <A extends unknown[], R>(op: string, urnAt: number, fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        const what = `${op} ${typeOf(String(args[urnAt]))}`;
        notify("start", what);
        try {
          return await fn(...args);
        } finally {
          notify("end", what);
        }
      };
    return {
      ...host,
      create: wrap("create", 0, host.create.bind(host)),
      read: wrap("read", 1, host.read.bind(host)),
      update: wrap("update", 1, host.update.bind(host)),
      delete: wrap("delete", 1, host.delete.bind(host)),
    };
  }

  private save(): void {
    // Input-only fields (a spec's `inputOnly`) never reach the file, whichever path put them in an entry.
    if (!this.preview)
      saveState(this.statePath, { ...this.state, resources: this.state.resources.map(storable) });
  }

  private record(step: StepRecord): void {
    this.steps.push(step);
    if (step.op === "same") return;
    this.print(stepLine(step, this.opts.command, this.preview));
    if (step.error) this.print(`      error: ${step.error}`);
  }

  private setResource(entry: ResourceState): void {
    const i = this.state.resources.findIndex((r) => r.urn === entry.urn && !isPendingDelete(r));
    if (i >= 0) this.state.resources[i] = entry;
    else this.state.resources.push(entry);
  }

  private removeResource(entry: ResourceState): void {
    this.state.resources = this.state.resources.filter((r) => r !== entry);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    this.lastActivity = Date.now();
    const done = (): void => {
      this.inflight.delete(p);
      this.lastActivity = Date.now();
    };
    p.then(done, done);
    return p;
  }

  /**
   * Settles when the program can no longer make progress: a step has failed, nothing is under way and no
   * registration has come for {@link STALL_MS}. A resource that depends on a failed one is never registered,
   * and the SDK leaves what waits on it (a stack output, a dependent's inputs) pending for ever; the Pulumi
   * engine ends the program then, and so does this.
   */
  private stalledAfterFailure(): { promise: Promise<void>; cancel: () => void } {
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<void>((resolve) => {
      const tick = (): void => {
        const quiet = Date.now() - this.lastActivity;
        if (this.steps.some((s) => s.status === "failed") && this.inflight.size === 0 && quiet >= STALL_MS) {
          resolve();
        } else timer = setTimeout(tick, 200);
      };
      timer = setTimeout(tick, 200);
    });
    return { promise, cancel: () => clearTimeout(timer) };
  }

  // ---- preview / up -------------------------------------------------------------------------------------

  private async deploy(): Promise<void> {
    const pendingFromLastRun = this.state.resources.filter(isPendingDelete);
    this.pendingDeletes.push(...pendingFromLastRun);
    await pulumi.runtime.setMocks(
      {
        newResource: () => {
          throw new Error("unreachable: registrations go through the patched monitor");
        },
        call: (args) => {
          throw this.refuse(
            `function calls (invokes such as ${args.token}) are not supported by confluent-iam; use this ` +
              `package's lookup functions (getServiceAccount, ...), which call the API themselves, ${USE_CLI}`,
          );
        },
      },
      this.project.name,
      this.stack,
      this.preview,
    );
    // Without alias specs the SDK sends every alias as a URN, those inherited from parents included.
    (
      requireHere("@pulumi/pulumi/runtime/state") as { getStore(): { supportsAliasSpecs: boolean } }
    ).getStore().supportsAliasSpecs = false;
    pulumi.runtime.setAllConfig(this.config.values, this.config.secretKeys);
    const settings = requireHere("@pulumi/pulumi/runtime/settings") as SettingsModule;
    this.patchMonitor(settings.getMonitor() as MonitorLike);

    let programFailed = false;
    let stalled = false;
    const stall = this.stalledAfterFailure();
    try {
      const program = pulumi.runtime.runInPulumiStack(async () => {
        const loaded = requireHere(this.project.main) as unknown;
        const exported =
          typeof loaded === "object" &&
          loaded !== null &&
          "default" in loaded &&
          Object.keys(loaded).length === 1
            ? (loaded as { default: unknown }).default
            : loaded;
        return (typeof exported === "function" ? await (exported as () => unknown)() : exported) as never;
      });
      const outcome = await Promise.race([
        program.then(() => "done" as const),
        stall.promise.then(() => "stalled" as const),
      ]);
      if (outcome === "stalled") {
        stalled = true;
        program.catch(() => undefined);
        this.print("");
        this.print(
          "Stopped: what depends on a failed resource was not created or updated; fix the failure and run up again.",
        );
      }
    } catch (e) {
      programFailed = true;
      const text = explainProgramError(errorText(e));
      // A failed resource rejects the outputs that depend on it, and a refusal fails the program: each is
      // reported once, as the step or the refusal.
      if (!this.steps.some((s) => s.status === "failed") && this.errors.length === 0) {
        this.errors.push(`program failed: ${text}`);
      }
    }
    stall.cancel();
    // After a stall the SDK's outstanding RPCs wait on what never comes.
    if (!stalled) await settings.waitForRPCs().catch(() => undefined);
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);

    const monitor = settings.getMonitor() as MonitorLike;
    const stackUrn = `urn:pulumi:${this.stack}::${this.project.name}::pulumi:pulumi:Stack::${this.project.name}-${this.stack}`;
    const stackState = monitor.resources.get(stackUrn)?.state;
    const outputs = stackOutputs(stackState);

    if (this.pack) {
      const vs = await this.pack.analyzeStack([...this.analyzed.values()]);
      this.reportViolations(vs);
    }

    const failed = programFailed || this.steps.some((s) => s.status === "failed") || this.mandatoryViolated();
    if (failed) {
      if (this.preview) return;
      this.print("");
      this.print("Not deleting anything: the update did not complete.");
      this.save();
      return;
    }
    await this.deleteUnwanted();
    if (!this.preview) {
      this.state.outputs = outputs;
      this.save();
    } else {
      this.state.outputs = outputs;
    }
  }

  private patchMonitor(monitor: MonitorLike): void {
    // Without alias specs the SDK sends every alias as a URN, those inherited from parents included.
    const supports = monitor.supportsFeature.bind(monitor);
    monitor.supportsFeature = (req, cb) => {
      // Transforms need the engine's callback server: without it the SDK refuses them (see deploy).
      if (req.getId() === "aliasSpecs" || req.getId() === "transforms")
        cb(null, { getHassupport: () => false });
      else supports(req, cb);
    };
    // Not bound: it is called with a per-request view of the monitor as `this`.
    const register = monitor.registerResource;
    monitor.registerResource = (req, cb) => {
      const extras: RegistrationExtras = {
        parent: req.getParent(),
        aliases: req.getAliasurnsList(),
        unsupported: unsupportedOptions(req),
        dependencies: req.getDependenciesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
      };
      const urn = urnFor(this.stack, this.project.name, req.getType(), req.getName(), extras.parent);
      // A view of the monitor whose mocks know this request's extras (MockResourceArgs does not carry them).
      const view = Object.create(monitor, {
        mocks: {
          value: {
            ...monitor.mocks,
            newResource: (args: pulumi.runtime.MockResourceArgs) =>
              this.track(this.registerOne(args, urn, extras)),
          },
        },
      }) as MonitorLike;
      // Hand the SDK the engine's URN (the mock's own puts the root stack's type into every child's URN),
      // so that dependencies and children's parents use the URNs kept in state.
      return register.call(view, req, (err: unknown, res: unknown) => {
        if (!err && res && typeof (res as resproto.RegisterResourceResponse).setUrn === "function") {
          const response = res as resproto.RegisterResourceResponse;
          // Keep the mock's record under the engine's URN too, so registerResourceOutputs finds it.
          const own = monitor.resources.get(response.getUrn());
          if (own) monitor.resources.set(urn, { ...own, urn });
          response.setUrn(urn);
        }
        cb(err, res);
      });
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
      // A component's registerOutputs: keep them in its state entry, as the engine does.
      const entry = this.registered.get(req.getUrn());
      const outs = req.getOutputs();
      if (entry && entry.component && outs) {
        entry.outputs = outs.toJavaScript() as PropertyMap;
        if (!this.preview && this.state.resources.includes(entry)) this.save();
      }
      registerOutputs(req, cb);
    };
    monitor.readResource = async (req, cb) => {
      const type = req.getType();
      cb(
        this.refuse(
          type === "pulumi:pulumi:StackReference"
            ? `stack references (${req.getName()}) are not supported by confluent-iam; pass the other ` +
                `stack's outputs in as config (--config key=value), ${USE_CLI}`
            : `reading an existing resource (${type}.get, ${req.getName()}) is not supported by ` +
                `confluent-iam; adopt it with the import option (this package's classes), ${USE_CLI}`,
        ),
        undefined,
      );
    };
  }

  private async registerOne(
    args: pulumi.runtime.MockResourceArgs,
    urn: string,
    extras: RegistrationExtras,
  ): Promise<pulumi.runtime.MockResourceResult> {
    this.lastActivity = Date.now();
    if (args.type === "pulumi:pulumi:Stack") return { id: undefined, state: {} };
    const step: StepRecord = {
      op: "same",
      urn,
      type: args.type,
      name: args.name,
      diffs: [],
      replaces: [],
      status: "done",
    };
    try {
      const [refusal] = extras.unsupported;
      if (refusal !== undefined) throw new Error(refusal);
      if (this.registered.has(urn)) throw new Error(`duplicate resource URN ${urn}`);
      if (args.id) {
        throw new Error(
          `the import option on ${args.type} is not supported by confluent-iam; this package's classes ` +
            `adopt objects through it themselves, ${USE_CLI}`,
        );
      }
      if (!args.custom) return this.component(args, urn, extras, step);
      return await this.sem.run(() => this.step(args, urn, extras, step));
    } catch (e) {
      step.status = "failed";
      step.error = errorText(e);
      if (step.op === "same") step.op = "create";
      this.record(step);
      this.errors.push(`${urn}: ${step.error}`);
      throw e;
    }
  }

  /**
   * The saved entry of the resource now at `urn`: its own, or the one saved under one of its aliases, which
   * then moves to `urn` (and so do the references of other entries to it), as the engine does.
   */
  private claim(urn: string, aliases: readonly string[]): ResourceState | undefined {
    const live = this.state.resources.filter((r) => !isPendingDelete(r));
    const own = live.find((r) => r.urn === urn);
    if (own) return own;
    for (const alias of aliases) {
      if (alias === urn || this.registered.has(alias)) continue;
      const found = live.find((r) => r.urn === alias);
      if (!found) continue;
      found.urn = urn;
      for (const r of this.state.resources) {
        r.dependencies = r.dependencies.map((d) => (d === alias ? urn : d));
        if (r.parent === alias) r.parent = urn;
      }
      return found;
    }
    return undefined;
  }

  /** A component resource: no provider, no API call; kept in state with its parent and outputs. */
  private component(
    args: pulumi.runtime.MockResourceArgs,
    urn: string,
    extras: RegistrationExtras,
    step: StepRecord,
  ): pulumi.runtime.MockResourceResult {
    const old = this.claim(urn, extras.aliases);
    const entry: ResourceState = {
      urn,
      type: args.type,
      name: args.name,
      id: "",
      inputs: {},
      outputs: old?.outputs ?? {},
      provider: "",
      dependencies: [...extras.dependencies].sort(),
      secretOutputs: [],
      component: true,
      ...optionFlags(extras),
    };
    step.op = old ? "same" : "create";
    if (this.preview) {
      if (!old) step.status = "planned";
    } else {
      this.setResource(entry);
      this.save();
    }
    this.registered.set(urn, entry);
    this.record(step);
    return { id: undefined, state: {} };
  }

  private async step(
    args: pulumi.runtime.MockResourceArgs,
    urn: string,
    extras: RegistrationExtras,
    step: StepRecord,
  ): Promise<pulumi.runtime.MockResourceResult> {
    const wireInputs = toWire(args.inputs) as PropertyMap;
    const providerValue = unwrapSecrets(wireInputs[PROVIDER_KEY]);
    if (typeof providerValue !== "string") throw new Error(`${urn} has no serialized provider`);
    const provider = providerValue;
    const userInputs = withoutProvider(wireInputs);
    // The dynamic host declares acceptSecrets=false, so the engine sends it plain values and carries the
    // secretness over to outputs of the same name itself; do the same.
    const secretInputKeys = Object.keys(userInputs).filter((k) => containsSecret(userInputs[k]));
    let news = plain(userInputs);
    const old = this.claim(urn, extras.aliases);
    if (old && extras.ignoreChanges.length > 0) {
      news = applyIgnoreChanges(news, plain(old.inputs), extras.ignoreChanges);
    }
    const oldInputs = old ? { ...plain(old.inputs), [PROVIDER_KEY]: old.provider } : undefined;
    const oldOutputs = old ? { ...plain(old.outputs), [PROVIDER_KEY]: old.provider } : undefined;

    const checked = await this.host.check(urn, oldInputs ?? {}, { ...news, [PROVIDER_KEY]: provider });
    if (checked.failures.length > 0) {
      step.op = old ? "update" : "create";
      throw new Error(
        `invalid inputs: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
      );
    }
    news = withoutProvider(checked.inputs);
    const newsWithProvider = { ...news, [PROVIDER_KEY]: provider };

    if (this.pack) {
      // Policies see inputs with secrets unwrapped and without `__provider`, as the engine shows them.
      const options = {
        protect: extras.protect,
        ignoreChanges: extras.ignoreChanges,
        additionalSecretOutputs: extras.additionalSecretOutputs,
        deleteBeforeReplace: extras.deleteBeforeReplace,
      };
      const resource: AnalyzerResource = { type: args.type, name: args.name, urn, properties: news, options };
      const found = await this.pack.analyze(resource);
      this.reportViolations(found);
      // As the Pulumi CLI does: each resource is analyzed with its resolved inputs before it is created or
      // updated (values behind an `apply` are unknown at preview), and a mandatory violation stops it.
      const blocking = [
        ...new Set(found.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName)),
      ];
      if (!this.preview && blocking.length > 0) {
        step.op = old ? "update" : "create";
        throw new Error(
          `mandatory policy ${blocking.join(", ")} failed, so it was not ${old ? "updated" : "created"}`,
        );
      }
    }

    const secretOutputsFor = (outs: PropertyMap): string[] =>
      [...new Set([...extras.additionalSecretOutputs, ...secretInputKeys])].filter((k) => k in outs).sort();
    const entryFor = (id: string, outs: PropertyMap): ResourceState => {
      const outputs = withoutProvider(outs);
      const secretOutputs = secretOutputsFor(outputs);
      return {
        urn,
        type: args.type,
        name: args.name,
        id,
        inputs: markSecrets(news, secretInputKeys),
        outputs: markSecrets(outputs, secretOutputs),
        provider,
        dependencies: [...extras.dependencies].sort(),
        secretOutputs,
        ...optionFlags(extras),
      };
    };
    const done = (entry: ResourceState, id: string | undefined): pulumi.runtime.MockResourceResult => {
      this.registered.set(urn, entry);
      this.analyzed.set(urn, {
        type: args.type,
        name: args.name,
        urn,
        properties: plain(entry.outputs),
        ...(extras.parent ? { parent: extras.parent } : {}),
      });
      this.record(step);
      return { id, state: entry.outputs };
    };

    if (!old || !oldInputs || !oldOutputs) {
      step.op = "create";
      step.diffs = [];
      if (this.preview) {
        step.status = "planned";
        return done(entryFor("", news), undefined);
      }
      const created = await this.create(urn, newsWithProvider, entryFor);
      return done(created, created.id);
    }

    const diff = await this.host.diff(old.id, urn, oldOutputs, newsWithProvider, oldInputs);
    const planned = planStep({
      diff,
      oldInputs: withoutInputOnly(args.type, plain(old.inputs)),
      oldOutputs: plain(old.outputs),
      news: withoutInputOnly(args.type, news),
      replaceOnChanges: extras.replaceOnChanges,
      deleteBeforeReplace: extras.deleteBeforeReplace,
      initFailed: old.initFailed === true,
    });
    step.diffs = planned.diffs;

    if (planned.op === "same") {
      step.op = "same";
      // Keep the newest serialized provider and inputs, as the engine does for a same step.
      const entry: ResourceState = {
        ...withoutOptionFlags(old),
        urn,
        type: args.type,
        name: args.name,
        inputs: markSecrets(news, secretInputKeys),
        provider,
        dependencies: [...extras.dependencies].sort(),
        ...optionFlags(extras),
      };
      if (!this.preview) {
        this.setResource(entry);
        this.save();
      }
      return done(entry, old.id);
    }

    if (planned.op === "update") {
      step.op = "update";
      if (this.preview) {
        step.status = "planned";
        return done(entryFor(old.id, { ...plain(old.outputs), ...news }), old.id);
      }
      try {
        const updated = await this.host.update(old.id, urn, oldOutputs, newsWithProvider, oldInputs);
        const entry = entryFor(old.id, updated.outs);
        this.setResource(entry);
        this.save();
        return done(entry, old.id);
      } catch (e) {
        if (e instanceof ResourceInitError) {
          this.setResource({ ...entryFor(old.id, e.properties), initFailed: true });
          this.save();
        }
        throw e;
      }
    }

    step.op = "replace";
    step.replaces = planned.replaces;
    if (old.protect || extras.protect) {
      throw new Error(
        `${args.name} is protected and a change to ${planned.replaces.join(", ")} would replace it; remove ` +
          `protect from its options first (an up with protect removed changes nothing else)`,
      );
    }
    if (this.preview) {
      step.status = "planned";
      return done(entryFor("", news), undefined);
    }
    if (planned.deleteFirst) {
      await this.deleteOne(old);
      this.removeResource(old);
      this.save();
    } else {
      // Create before delete: the old object stays in state, marked, until it is deleted after the program.
      const marked: ResourceState = { ...old, pendingDelete: true };
      this.removeResource(old);
      this.state.resources.push(marked);
      this.pendingDeletes.push(marked);
      this.save();
    }
    const created = await this.create(urn, newsWithProvider, entryFor);
    return done(created, created.id);
  }

  private async create(
    urn: string,
    inputs: PropertyMap,
    entryFor: (id: string, outs: PropertyMap) => ResourceState,
  ): Promise<ResourceState> {
    try {
      const created = await this.host.create(urn, inputs);
      const entry = entryFor(created.id, created.outs);
      this.setResource(entry);
      this.save();
      return entry;
    } catch (e) {
      if (e instanceof ResourceInitError) {
        // The object exists: keep it (its id) in state so the next run updates or deletes it.
        this.setResource({
          ...entryFor(e.id, { ...withoutProvider(inputs), ...e.properties }),
          initFailed: true,
        });
        this.save();
        throw new Error(`${e.message} (the object ${e.id} was created and is kept in state)`);
      }
      throw e;
    }
  }

  private async deleteOne(entry: ResourceState): Promise<void> {
    if (entry.component || entry.id === "" || entry.retainOnDelete) return;
    await this.host.delete(entry.id, entry.urn, { ...plain(entry.outputs), [PROVIDER_KEY]: entry.provider });
  }

  /** Resources the program no longer declares, and old copies of replaced ones. */
  private async deleteUnwanted(): Promise<void> {
    const gone = this.state.resources.filter((r) => !isPendingDelete(r) && !this.registered.has(r.urn));
    await this.deleteAll([...this.pendingDeletes.filter((r) => !gone.includes(r)), ...gone]);
  }

  /**
   * Deletes `entries` dependents first: an entry waits until every other entry that depends on it is gone.
   * Independent deletes run concurrently, bounded by the semaphore.
   */
  private async deleteAll(entries: ResourceState[]): Promise<void> {
    const done = new Map<ResourceState, Promise<boolean>>();
    const dependentsOf = (r: ResourceState): ResourceState[] => mustGoFirst(entries, r);
    const visit = (r: ResourceState): Promise<boolean> => {
      const known = done.get(r);
      if (known) return known;
      const p = (async () => {
        const results = await Promise.all(dependentsOf(r).map(visit));
        const step: StepRecord = {
          op: "delete",
          urn: r.urn,
          type: r.type,
          name: r.name,
          diffs: [],
          replaces: [],
          status: this.preview ? "planned" : "done",
        };
        if (isPendingDelete(r)) {
          // Part of a replace that was already reported; just finish it quietly.
          if (this.preview) return true;
        }
        if (results.some((ok) => !ok)) {
          step.status = "failed";
          step.error = "not deleted: a resource that depends on it could not be deleted";
          this.record(step);
          this.errors.push(`${r.urn}: ${step.error}`);
          return false;
        }
        if (this.preview) {
          this.record(step);
          return true;
        }
        return this.sem.run(async () => {
          try {
            if (r.protect) {
              throw new Error(
                `${r.name} is protected, so it was not deleted; remove protect from its options and run up, ` +
                  `then delete it`,
              );
            }
            await this.deleteOne(r);
            if (r.retainOnDelete && !r.component) step.note = "retained: the object is left in place";
            this.removeResource(r);
            this.save();
            if (!isPendingDelete(r)) this.record(step);
            return true;
          } catch (e) {
            step.status = "failed";
            step.error = errorText(e);
            this.record(step);
            this.errors.push(`${r.urn}: ${step.error}`);
            return false;
          }
        });
      })();
      done.set(r, p);
      return p;
    };
    await Promise.all(entries.map(visit));
  }

  // ---- refresh / destroy --------------------------------------------------------------------------------

  private async refresh(): Promise<void> {
    await Promise.all(
      this.state.resources
        .filter((r) => !isPendingDelete(r) && !r.component)
        .map((r) =>
          this.sem.run(async () => {
            const step: StepRecord = {
              op: "same",
              urn: r.urn,
              type: r.type,
              name: r.name,
              diffs: [],
              replaces: [],
              status: "done",
            };
            try {
              const res = await this.host.read(
                r.id,
                r.urn,
                { ...plain(r.outputs), [PROVIDER_KEY]: r.provider },
                { ...plain(r.inputs), [PROVIDER_KEY]: r.provider },
              );
              if (res.id === "") {
                step.op = "delete";
                this.removeResource(r);
                this.save();
                this.record(step);
                return;
              }
              const outs = withoutProvider(res.props);
              step.diffs = changedKeys(plain(r.outputs), outs);
              const secretInputKeys = Object.keys(r.inputs).filter((k) => isSecretWire(r.inputs[k]));
              const inputs = res.inputs
                ? markSecrets(withoutProvider(res.inputs), secretInputKeys)
                : r.inputs;
              const entry: ResourceState = {
                ...r,
                id: res.id,
                inputs,
                outputs: markSecrets(
                  outs,
                  r.secretOutputs.filter((k) => k in outs),
                ),
              };
              const i = this.state.resources.indexOf(r);
              if (i >= 0) this.state.resources[i] = entry;
              this.save();
              if (step.diffs.length > 0) step.op = "update";
              this.record(step);
            } catch (e) {
              step.op = "read";
              step.status = "failed";
              step.error = errorText(e);
              this.record(step);
              this.errors.push(`${r.urn}: ${step.error}`);
            }
          }),
        ),
    );
  }

  private async destroy(): Promise<void> {
    await this.deleteAll([...this.state.resources]);
    if (this.state.resources.length === 0) this.state.outputs = {};
    this.save();
  }

  // ---- policies and summary -----------------------------------------------------------------------------

  private reportViolations(vs: readonly Violation[]): void {
    for (const v of vs) {
      this.violations.push({
        policyName: v.policyName,
        message: v.message,
        enforcementLevel: v.enforcementLevel,
        ...(v.urn ? { urn: v.urn } : {}),
      });
      // The pack prefixes the policy's message with its description and a newline: one line each.
      const [first, ...rest] = v.message.split("\n");
      this.print(`    ${v.enforcementLevel} policy violation: ${v.policyName}${v.urn ? ` (${v.urn})` : ""}`);
      for (const l of [first ?? "", ...rest]) if (l.trim() !== "") this.print(`        ${l}`);
    }
  }

  private mandatoryViolated(): boolean {
    return this.violations.some((v) => v.enforcementLevel === "mandatory");
  }

  private finish(): RunResult {
    const summary: RunResult["summary"] = {
      create: 0,
      update: 0,
      replace: 0,
      delete: 0,
      same: 0,
      read: 0,
      failed: 0,
    };
    for (const s of this.steps) {
      if (s.status === "failed") summary.failed++;
      else summary[s.op]++;
    }
    const outputs = maskOutputs(this.state.outputs);
    const cmd = this.opts.command;
    if (cmd !== "refresh" && cmd !== "destroy" && Object.keys(outputs).length > 0) {
      this.print("");
      this.print("Outputs:");
      const width = Math.max(...Object.keys(outputs).map((k) => k.length));
      for (const [k, v] of Object.entries(outputs)) {
        this.print(
          `    ${k.padEnd(width)}: ${v === "[secret]" || v === "[unknown]" ? v : JSON.stringify(v)}`,
        );
      }
    }
    const blocked = this.preview && this.mandatoryViolated();
    this.print("");
    this.print(blocked ? "Resources (none will be applied: a mandatory policy failed):" : "Resources:");
    const future = this.preview;
    const line = (n: number, sign: string, now: string, later: string): void => {
      if (n > 0) this.print(`    ${sign} ${n} ${future ? later : now}`);
    };
    line(summary.create, "+ ", "created", blocked ? "would be created" : "to create");
    line(
      summary.update,
      "~ ",
      cmd === "refresh" ? "changed (drift)" : "updated",
      blocked ? "would be updated" : "to update",
    );
    line(summary.replace, "+-", "replaced", blocked ? "would be replaced" : "to replace");
    line(
      summary.delete,
      "- ",
      cmd === "refresh" ? "gone" : "deleted",
      blocked ? "would be deleted" : "to delete",
    );
    line(summary.failed, "**", "failed", "failed");
    this.print(`      ${summary.same} unchanged`);
    const ok = this.errors.length === 0 && summary.failed === 0 && !this.mandatoryViolated();
    const mandatory = this.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    if (mandatory > 0) {
      const what = `mandatory policy violation${mandatory > 1 ? "s" : ""}`;
      this.print("");
      if (this.opts.gate)
        this.print(`error: ${what}; up stopped before changing anything, nothing was applied`);
      else if (this.preview) this.print(`error: ${what}; nothing will be applied`);
      // In up, each stopped resource is a failed step with its own error line; the rest of the run went on.
      else if (!this.steps.some((s) => s.error?.startsWith("mandatory policy "))) {
        this.print(`error: ${what} in the stack policies, found after the update; nothing was deleted`);
      }
    }
    for (const e of this.errors) {
      if (!this.steps.some((s) => s.error && e.endsWith(s.error))) this.print(`error: ${e}`);
    }
    if (this.opts.gate && !ok && mandatory === 0) {
      this.print("");
      this.print("error: the preview failed, so up stopped before changing anything; nothing was applied");
    }
    return {
      command: cmd,
      ok,
      steps: this.steps.filter((s) => s.op !== "same"),
      summary,
      outputs,
      violations: this.violations,
      errors: this.errors,
    };
  }
}

// The mock monitor hands inputs over deserialized, with unknowns (preview) as the SDK's `unknown` object;
// the provider protocol carries them as the unknown sentinel string.
const outputModule = requireHere("@pulumi/pulumi/output") as { isUnknown(v: unknown): boolean };

function toWire(v: unknown): unknown {
  if (outputModule.isUnknown(v)) return UNKNOWN_VALUE;
  if (Array.isArray(v)) return v.map(toWire);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x)]));
  }
  return v;
}

/** The state fields that follow the resource options of the latest registration. */
function optionFlags(extras: RegistrationExtras): Partial<ResourceState> {
  const topLevel = extras.parent === "" || extras.parent.split("::")[2] === "pulumi:pulumi:Stack";
  return {
    ...(topLevel ? {} : { parent: extras.parent }),
    ...(extras.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
    ...(extras.protect ? { protect: true } : {}),
    ...(extras.retainOnDelete ? { retainOnDelete: true } : {}),
  };
}

function withoutOptionFlags(r: ResourceState): ResourceState {
  const { parent: _p, deleteBeforeReplace: _d, protect: _pr, retainOnDelete: _r, ...rest } = r;
  void [_p, _d, _pr, _r];
  return rest;
}

/** Old copies of replaced resources carry `pendingDelete: true` in state until they are deleted. */
function isPendingDelete(r: ResourceState): boolean {
  return r.pendingDelete === true;
}

function stackOutputs(state: unknown): PropertyMap {
  if (state && typeof (state as { toJavaScript?: unknown }).toJavaScript === "function") {
    return (state as { toJavaScript(): PropertyMap }).toJavaScript();
  }
  if (typeof state === "object" && state !== null) return state as PropertyMap;
  return {};
}

function maskOutputs(outputs: PropertyMap): Record<string, unknown> {
  const masked = maskSecrets(outputs) as Record<string, unknown>;
  const unknowns = (v: unknown): unknown =>
    v === UNKNOWN_VALUE
      ? "[unknown]"
      : Array.isArray(v)
        ? v.map(unknowns)
        : typeof v === "object" && v !== null
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unknowns(x)]))
          : v;
  return unknowns(masked) as Record<string, unknown>;
}

/** Error types callers may want to tell apart. */
export { ProviderCallError, ResourceInitError };
