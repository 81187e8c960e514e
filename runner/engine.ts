/**
 * The part of the Pulumi engine this package needs, for machines without the Pulumi CLI: run the program with
 * the real SDK (`pulumi.runtime.setMocks` as the resource monitor), and for each resource do what the engine
 * would do through Pulumi's own dynamic-provider host: Check, Diff against saved state, then Create, Update,
 * Replace or nothing; afterwards delete what the program no longer declares, dependents first.
 *
 * The SDK keeps global state, so one process runs one command: see ./worker.ts and ./index.ts.
 */
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import {
  PENDING_OPERATION_KEY,
  PROVIDER_KEY,
  containsSecret,
  isSecretWire,
  unwrapSecrets,
  type PendingOperationMarker,
  type PropertyMap,
} from "../protocol";
import { ProviderCallError, ResourceInitError, startProviderHost, type ProviderHost } from "./host";
import {
  reconcilePolicyConfig,
  startPolicyPack,
  type AnalyzerResource,
  type PolicyPackHandle,
} from "./analyzer";
import { readProject, readStackConfig, type ProjectInfo, type StackConfig } from "./project";
import { inDeleteOrder } from "./delete-order";
import { announcingOperations } from "./progress";
import { Semaphore } from "./semaphore";
import { installMockMonitor, type RegistrationExtras } from "./monitor";
import { USE_CLI, explainProgramError } from "./refusals";
import { withoutInputOnly } from "./input-only";
import { closingLines, headingLine, maskOutputs, showHostLine, stepLines, violationLines } from "./render";
import { applyIgnoreChanges, changedKeys, deletesObject, planDelete, planStep } from "./plan";
import { grpc } from "./grpc";
import {
  hasPassphrase,
  markSecrets,
  noPassphraseMessage,
  type PendingOperation,
  type ResourceState,
  type StackState,
} from "./state";
import { StateWriter, isPendingDelete, optionFlags, withoutOptionFlags } from "./state-writer";

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

export { displayType } from "./render";
export { Semaphore, explainProgramError };

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

/**
 * Whether the provider itself answered a failed Create or Update (it threw: gRPC UNKNOWN), so its own
 * reconciliation settled what the request made. A host that died, or a call past its deadline, settled
 * nothing: the pending operation stays for the next run.
 */
function providerAnswered(e: unknown): boolean {
  return e instanceof ProviderCallError && e.code === grpc.status.UNKNOWN;
}

/**
 * Every id the state records: each entry's id, and every `id` member inside outputs (an ApiKeyRotation's
 * keys). Handed to the provider when it settles an interrupted operation: none of these is ever taken for
 * what that operation made.
 */
export function knownIds(state: StackState): string[] {
  const ids = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k === "id" && typeof x === "string" && x !== "") ids.add(x);
        else walk(x);
      }
    }
  };
  for (const r of state.resources) {
    if (r.id !== "") ids.add(r.id);
    walk(unwrapSecrets(r.outputs));
  }
  return [...ids].sort();
}

/** Counts of a run's steps by operation (failed steps counted under `failed`). */
function summarize(steps: readonly StepRecord[]): RunResult["summary"] {
  const summary: RunResult["summary"] = {
    create: 0,
    update: 0,
    replace: 0,
    delete: 0,
    same: 0,
    read: 0,
    failed: 0,
  };
  for (const s of steps) {
    if (s.status === "failed") summary.failed++;
    else summary[s.op]++;
  }
  return summary;
}

/** Runs one command in this process. */
export async function runEngine(opts: EngineOptions): Promise<RunResult> {
  return new Engine(opts).run();
}

/**
 * One command, top to bottom: {@link Engine.run} starts the provider host (and the policy pack), then
 * deploys (preview, up), refreshes or destroys, and closes with the summary. What each resource needs is
 * decided by ./plan.ts, state is written by ./state-writer.ts, deletes are ordered by ./delete-order.ts,
 * the program reaches the engine through ./monitor.ts, and every line printed is made by ./render.ts.
 */
class Engine {
  private readonly project: ProjectInfo;
  private readonly stack: string;
  private readonly config: StackConfig;
  private readonly sem: Semaphore;
  private store!: StateWriter;
  private host!: ProviderHost;
  private pack: PolicyPackHandle | undefined;
  private readonly steps: StepRecord[] = [];
  private readonly errors: string[] = [];
  private readonly violations: Violation[] = [];
  /** The entries of the resources the program registered in this run, by URN. */
  private readonly registered = new Map<string, ResourceState>();
  /** What the policy pack's stack analysis sees, by URN. */
  private readonly analyzed = new Map<string, AnalyzerResource>();
  /** Old copies of replaced resources, deleted after the program. */
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
    this.sem = new Semaphore(opts.parallel ?? 10);
    this.print = opts.print;
    this.preview = opts.command === "preview";
  }

  async run(): Promise<RunResult> {
    const { command } = this.opts;
    const statePath = path.resolve(
      this.opts.statePath ?? path.join(this.project.dir, ".state", `${this.stack}.json`),
    );
    this.store = new StateWriter(statePath, this.project.name, this.stack, this.preview);
    this.print(headingLine(command, this.stack, this.project.name, statePath));
    this.print("");
    this.host = announcingOperations(
      await startProviderHost({
        cwd: this.project.dir,
        project: this.project.name,
        stack: this.stack,
        onOutput: (line) => {
          if (showHostLine(line)) this.print(`    [provider] ${line}`);
        },
      }),
      this.opts.onOperation,
    );
    try {
      await this.host.configure(this.config.values);
      if (this.opts.policyPack && (command === "preview" || command === "up")) {
        this.pack = await startPolicyPack(path.resolve(this.opts.policyPack));
        // As the CLI does: the policies' defaults, then the pack's own initial configuration, sent with Configure.
        await this.pack.configure(reconcilePolicyConfig(await this.pack.info()));
      }
      // An interrupted run's operations are settled before anything else (a preview only lists them).
      if (this.preview) this.notePending();
      const settled = this.preview || (await this.settlePending());
      if (!settled) {
        // Stopped: settlePending said why.
      } else if (command === "preview" || command === "up") await this.deploy();
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

  private record(step: StepRecord): void {
    this.steps.push(step);
    for (const line of stepLines(step, this.opts.command, this.preview)) this.print(line);
  }

  /** Records `step` as failed with `error`, which also becomes the run's error `<urn>: <error>`. */
  private fail(step: StepRecord, error: string): void {
    step.status = "failed";
    step.error = error;
    this.record(step);
    this.errors.push(`${step.urn}: ${error}`);
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

  // ---- operations an interrupted run left unfinished ------------------------------------------------------

  /** A preview sends nothing: it says what the next up will settle first. */
  private notePending(): void {
    const ops = this.store.pending;
    if (ops.length === 0) return;
    this.print(
      `${ops.length} operation${ops.length === 1 ? "" : "s"} of an interrupted run ${ops.length === 1 ? "is" : "are"} ` +
        `not settled yet; the next up settles ${ops.length === 1 ? "it" : "them"} before anything else:`,
    );
    for (const op of ops) this.print(`    ${op.type} ${op.resource.urn} (since ${op.startedAt})`);
    this.print("");
  }

  /**
   * Settles each operation an interrupted run left pending (./state.ts `PendingOperation`) before anything
   * is planned, through the provider's Read with the operation in `__pendingOperation`:
   * - `creating`: the provider looks for what the create made (by unique attributes, or for API keys by
   *   owner, names and creation time). Found and usable: adopted into the state. A key whose secret was lost
   *   with the run is deleted (the provider prints a line) and the program's step makes it again. Nothing:
   *   the record is cleared.
   * - `updating`: the provider deletes what the update made that the state does not hold (a rotation's new
   *   key), then the object is read again, as a refresh does.
   * False when one could not be settled: nothing else is done then (a create planned now could make a
   * second object).
   */
  private async settlePending(): Promise<boolean> {
    const ops = [...this.store.pending];
    if (ops.length === 0) return true;
    this.print(
      `Settling ${ops.length} operation${ops.length === 1 ? "" : "s"} an interrupted run left unfinished:`,
    );
    const known = knownIds(this.store.state);
    let ok = true;
    await Promise.all(
      ops.map((op) =>
        this.sem.run(async () => {
          try {
            this.print(`    ${await this.settleOne(op, known)}`);
          } catch (e) {
            ok = false;
            const message = `${op.resource.urn}: the interrupted ${op.type === "creating" ? "create" : "update"} could not be settled: ${errorText(e)}`;
            this.errors.push(message);
            this.print(`    ${message}`);
          }
        }),
      ),
    );
    this.print("");
    if (!ok) {
      this.print(
        "Stopped: nothing else was done, so that no object is made twice; fix the cause and run the command again.",
      );
    }
    return ok;
  }

  /** Settles one pending operation; answers the line to print. */
  private async settleOne(op: PendingOperation, known: string[]): Promise<string> {
    const r = op.resource;
    const marker: PendingOperationMarker = {
      type: op.type,
      startedAt: Date.parse(op.startedAt),
      known,
      ...(op.type === "updating" ? { inputs: plain(r.inputs) } : {}),
    };
    if (op.type === "creating") {
      const res = await this.host.read("", r.urn, {
        ...plain(r.inputs),
        [PROVIDER_KEY]: r.provider,
        [PENDING_OPERATION_KEY]: marker,
      });
      if (res.id === "") {
        this.store.endPending(op);
        return `${r.urn}: nothing the interrupted create made is kept; the record is cleared`;
      }
      const outputs = withoutProvider(res.props);
      const secretOutputs = r.secretOutputs.filter((k) => k in outputs);
      this.store.set({ ...r, id: res.id, outputs: markSecrets(outputs, secretOutputs), secretOutputs }, op);
      return `${r.urn}: adopted ${res.id}, which the interrupted create made`;
    }
    const entry = this.store.resources.find((e) => e.urn === r.urn && e.id === r.id && !isPendingDelete(e));
    if (!entry) {
      this.store.endPending(op);
      return `${r.urn}: no longer in the state; the record of its interrupted update is cleared`;
    }
    const res = await this.host.read(
      entry.id,
      entry.urn,
      { ...plain(entry.outputs), [PROVIDER_KEY]: entry.provider, [PENDING_OPERATION_KEY]: marker },
      { ...plain(entry.inputs), [PROVIDER_KEY]: entry.provider },
    );
    if (res.id === "") {
      this.store.remove(entry, op);
      return `${r.urn}: the object no longer exists; removed from the state`;
    }
    const outs = withoutProvider(res.props);
    const secretInputKeys = Object.keys(entry.inputs).filter((k) => isSecretWire(entry.inputs[k]));
    this.store.replace(
      entry,
      {
        ...entry,
        id: res.id,
        inputs: res.inputs ? markSecrets(withoutProvider(res.inputs), secretInputKeys) : entry.inputs,
        outputs: markSecrets(
          outs,
          entry.secretOutputs.filter((k) => k in outs),
        ),
      },
      op,
    );
    return `${r.urn}: read again after its interrupted update`;
  }

  // ---- preview / up -------------------------------------------------------------------------------------

  /**
   * Runs the program; each registration is a step ({@link registerOne}). When the program completed and no
   * mandatory policy failed, deletes what it no longer declares and the old copies of replaced resources,
   * and keeps its stack outputs.
   */
  private async deploy(): Promise<void> {
    this.pendingDeletes.push(...this.store.resources.filter(isPendingDelete));
    const monitor = await installMockMonitor({
      project: this.project.name,
      stack: this.stack,
      preview: this.preview,
      config: this.config,
      hooks: {
        register: (args, urn, extras) => this.track(this.registerOne(args, urn, extras)),
        componentOutputs: (urn, outputs) => this.componentOutputs(urn, outputs),
        refuse: (message) => this.refuse(message),
      },
    });

    let programFailed = false;
    let stalled = false;
    const stall = this.stalledAfterFailure();
    try {
      const program = monitor.runProgram(this.project.main);
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
    if (!stalled) await monitor.waitForRPCs().catch(() => undefined);
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    const outputs = monitor.stackOutputs();

    if (this.pack) {
      const vs = await this.pack.analyzeStack([...this.analyzed.values()]);
      this.reportViolations(vs);
    }

    const failed = programFailed || this.steps.some((s) => s.status === "failed") || this.mandatoryViolated();
    if (failed) {
      if (this.preview) return;
      this.print("");
      this.print("Not deleting anything: the update did not complete.");
      this.store.save();
      return;
    }
    await this.deleteUnwanted();
    this.store.setOutputs(outputs);
  }

  /** A component's registerOutputs: kept in its state entry, as the engine does. */
  private componentOutputs(urn: string, outputs: PropertyMap): void {
    const entry = this.registered.get(urn);
    if (entry && entry.component) {
      entry.outputs = outputs;
      if (this.store.resources.includes(entry)) this.store.save();
    }
  }

  /** One registration: refused, a component, or a custom resource's step (bounded by the semaphore). */
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
      if (step.op === "same") step.op = "create";
      this.fail(step, errorText(e));
      throw e;
    }
  }

  /** The saved entry of the resource now at `urn`, or at one of its aliases (it moves to `urn`). */
  private claim(urn: string, aliases: readonly string[]): ResourceState | undefined {
    return this.store.claim(urn, aliases, (alias) => this.registered.has(alias));
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
      this.store.set(entry);
    }
    this.registered.set(urn, entry);
    this.record(step);
    return { id: undefined, state: {} };
  }

  /**
   * A custom resource: Check, the policy pack's verdict, then create it (nothing saved), or Diff and do what
   * {@link planStep} decides: nothing, update in place, or replace (delete first, or create first and delete
   * the old copy after the program).
   */
  private async step(
    args: pulumi.runtime.MockResourceArgs,
    urn: string,
    extras: RegistrationExtras,
    step: StepRecord,
  ): Promise<pulumi.runtime.MockResourceResult> {
    const wireInputs = args.inputs as PropertyMap;
    const providerValue = unwrapSecrets(wireInputs[PROVIDER_KEY]);
    if (typeof providerValue !== "string") throw new Error(`${urn} has no serialized provider`);
    const provider = providerValue;
    const userInputs = withoutProvider(wireInputs);
    // The dynamic host declares acceptSecrets=false, so the engine sends it plain values and carries the
    // secretness over to outputs of the same name itself; do the same.
    const secretInputKeys = Object.keys(userInputs).filter((k) => containsSecret(userInputs[k]));
    let news = plain(userInputs);
    const secretKeys = [...new Set([...secretInputKeys, ...extras.additionalSecretOutputs])].sort();
    if (
      (this.opts.command === "up" || this.opts.gate === true) &&
      secretKeys.length > 0 &&
      !hasPassphrase()
    ) {
      // Stop before any API call: the object would exist with nowhere to keep its secret.
      step.op = "create";
      throw new Error(
        noPassphraseMessage(`secret values (${secretKeys.join(", ")}) must be stored encrypted in the state`),
      );
    }
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

    if (this.pack) await this.analyze(args, urn, extras, news, step, old !== undefined);

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
    /** What a pending create records: the entry to be, without id and outputs. */
    const pendingEntry = (): ResourceState => ({
      ...entryFor("", {}),
      secretOutputs: [...new Set([...extras.additionalSecretOutputs, ...secretInputKeys])].sort(),
    });
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
      const created = await this.create(urn, newsWithProvider, entryFor, pendingEntry());
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
      protect: old.protect === true || extras.protect,
      name: args.name,
    });
    step.op = planned.op;
    step.diffs = planned.diffs;

    if (planned.op === "same") {
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
      if (!this.preview) this.store.set(entry);
      return done(entry, old.id);
    }

    if (planned.op === "update") {
      if (this.preview) {
        step.status = "planned";
        return done(entryFor(old.id, { ...plain(old.outputs), ...news }), old.id);
      }
      // Recorded before it is sent: an update can make objects too (a rotation's new key).
      const pending = this.store.beginPending("updating", {
        ...old,
        inputs: markSecrets(news, secretInputKeys),
      });
      try {
        const updated = await this.host.update(old.id, urn, oldOutputs, newsWithProvider, oldInputs);
        const entry = entryFor(old.id, updated.outs);
        this.store.set(entry, pending);
        return done(entry, old.id);
      } catch (e) {
        if (e instanceof ResourceInitError)
          this.store.set({ ...entryFor(old.id, e.properties), initFailed: true }, pending);
        else if (providerAnswered(e)) this.store.endPending(pending);
        throw e;
      }
    }

    step.replaces = planned.replaces;
    if (planned.refusal !== undefined) throw new Error(planned.refusal);
    if (this.preview) {
      step.status = "planned";
      return done(entryFor("", news), undefined);
    }
    if (planned.deleteFirst) {
      await this.deleteObject(old);
      this.store.remove(old);
    } else {
      // Create before delete: the old object stays in state, marked, until it is deleted after the program.
      this.pendingDeletes.push(this.store.markPendingDelete(old));
    }
    const created = await this.create(urn, newsWithProvider, entryFor, pendingEntry());
    return done(created, created.id);
  }

  /**
   * The policy pack's verdict on a resource about to be created or updated, with its resolved inputs (values
   * behind an `apply` are unknown at preview), as the Pulumi CLI asks it: a mandatory violation stops it.
   */
  private async analyze(
    args: pulumi.runtime.MockResourceArgs,
    urn: string,
    extras: RegistrationExtras,
    news: PropertyMap,
    step: StepRecord,
    exists: boolean,
  ): Promise<void> {
    if (!this.pack) return;
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
    const blocking = [
      ...new Set(found.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName)),
    ];
    if (!this.preview && blocking.length > 0) {
      step.op = exists ? "update" : "create";
      throw new Error(
        `mandatory policy ${blocking.join(", ")} failed, so it was not ${exists ? "updated" : "created"}`,
      );
    }
  }

  /** Creates the object and saves it; one created but not initialized is saved too (`initFailed`). */
  private async create(
    urn: string,
    inputs: PropertyMap,
    entryFor: (id: string, outs: PropertyMap) => ResourceState,
    pendingEntry: ResourceState,
  ): Promise<ResourceState> {
    // Recorded before the provider is asked, so before its request leaves: if the run is killed from here
    // on, the next one finds out what the create made (settlePending) instead of making it again.
    const pending = this.store.beginPending("creating", pendingEntry);
    try {
      const created = await this.host.create(urn, inputs);
      const entry = entryFor(created.id, created.outs);
      this.store.set(entry, pending);
      return entry;
    } catch (e) {
      if (e instanceof ResourceInitError) {
        // The object exists: keep it (its id) in state so the next run updates or deletes it.
        this.store.set(
          {
            ...entryFor(e.id, { ...withoutProvider(inputs), ...e.properties }),
            initFailed: true,
          },
          pending,
        );
        throw new Error(`${e.message} (the object ${e.id} was created and is kept in state)`);
      }
      // The provider answered: its own reconciliation settled the outcome. Otherwise keep the record.
      if (providerAnswered(e)) this.store.endPending(pending);
      throw e;
    }
  }

  /** Asks the provider to delete the object behind `entry`, when there is one to delete. */
  private async deleteObject(entry: ResourceState): Promise<void> {
    if (!deletesObject(entry)) return;
    await this.host.delete(entry.id, entry.urn, { ...plain(entry.outputs), [PROVIDER_KEY]: entry.provider });
  }

  /** Resources the program no longer declares, and old copies of replaced ones. */
  private async deleteUnwanted(): Promise<void> {
    const gone = this.store.resources.filter((r) => !isPendingDelete(r) && !this.registered.has(r.urn));
    await this.deleteAll([...this.pendingDeletes.filter((r) => !gone.includes(r)), ...gone]);
  }

  /**
   * Deletes `entries` dependents first (./delete-order.ts), each as {@link planDelete} decides. Independent
   * deletes run concurrently, bounded by the semaphore.
   */
  private async deleteAll(entries: readonly ResourceState[]): Promise<void> {
    await inDeleteOrder(entries, async (r, dependentsGone) => {
      const step: StepRecord = {
        op: "delete",
        urn: r.urn,
        type: r.type,
        name: r.name,
        diffs: [],
        replaces: [],
        status: this.preview ? "planned" : "done",
      };
      const plan = planDelete({ entry: r, dependentsGone, preview: this.preview });
      if (plan.action === "skip") return true;
      if (plan.action === "show") {
        this.record(step);
        return true;
      }
      if (plan.action === "refuse" && plan.blockedByDependent) {
        this.fail(step, plan.error);
        return false;
      }
      return this.sem.run(async () => {
        try {
          if (plan.action === "refuse") throw new Error(plan.error);
          if (plan.callProvider) await this.deleteObject(r);
          if (plan.note !== undefined) step.note = plan.note;
          this.store.remove(r);
          if (!plan.quiet) this.record(step);
          return true;
        } catch (e) {
          this.fail(step, errorText(e));
          return false;
        }
      });
    });
  }

  // ---- refresh / destroy --------------------------------------------------------------------------------

  /** Reads every object: gone ones leave the state, changed ones (drift) are saved as they are now. */
  private async refresh(): Promise<void> {
    await Promise.all(
      this.store.resources
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
                this.store.remove(r);
                this.record(step);
                return;
              }
              const outs = withoutProvider(res.props);
              step.diffs = changedKeys(plain(r.outputs), outs);
              const secretInputKeys = Object.keys(r.inputs).filter((k) => isSecretWire(r.inputs[k]));
              const inputs = res.inputs
                ? markSecrets(withoutProvider(res.inputs), secretInputKeys)
                : r.inputs;
              this.store.replace(r, {
                ...r,
                id: res.id,
                inputs,
                outputs: markSecrets(
                  outs,
                  r.secretOutputs.filter((k) => k in outs),
                ),
              });
              if (step.diffs.length > 0) step.op = "update";
              this.record(step);
            } catch (e) {
              step.op = "read";
              this.fail(step, errorText(e));
            }
          }),
        ),
    );
  }

  private async destroy(): Promise<void> {
    await this.deleteAll([...this.store.resources]);
    if (this.store.resources.length === 0) this.store.setOutputs({});
    else this.store.save();
  }

  // ---- policies and summary -----------------------------------------------------------------------------

  private reportViolations(vs: readonly Violation[]): void {
    for (const v of vs) {
      const violation: Violation = {
        policyName: v.policyName,
        message: v.message,
        enforcementLevel: v.enforcementLevel,
        ...(v.urn ? { urn: v.urn } : {}),
      };
      this.violations.push(violation);
      for (const line of violationLines(violation)) this.print(line);
    }
  }

  private mandatoryViolated(): boolean {
    return this.violations.some((v) => v.enforcementLevel === "mandatory");
  }

  private finish(): RunResult {
    const summary = summarize(this.steps);
    const outputs = maskOutputs(this.store.state.outputs);
    const ok = this.errors.length === 0 && summary.failed === 0 && !this.mandatoryViolated();
    const closing = closingLines({
      command: this.opts.command,
      preview: this.preview,
      gate: this.opts.gate === true,
      steps: this.steps,
      errors: this.errors,
      violations: this.violations,
      outputs,
      summary,
      ok,
    });
    for (const line of closing) this.print(line);
    return {
      command: this.opts.command,
      ok,
      steps: this.steps.filter((s) => s.op !== "same"),
      summary,
      outputs,
      violations: this.violations,
      errors: this.errors,
    };
  }
}

/** Error types callers may want to tell apart. */
export { ProviderCallError, ResourceInitError };
