/**
 * The stack state of one run, and every write to it. Each change is saved at once (atomically, by
 * ./state.ts), so a run that stops half-way leaves a state file that says what exists; a preview changes the
 * state in memory only and never writes. Input-only fields (a spec's `inputOnly`) never reach the file.
 */
import { storable } from "./input-only";
import {
  hasPassphrase,
  loadState,
  noPassphraseMessage,
  saveState,
  stateHoldsSecret,
  type PendingOperation,
  type ResourceState,
  type StackState,
} from "./state";

/** Old copies of replaced resources carry `pendingDelete: true` in state until they are deleted. */
export function isPendingDelete(r: ResourceState): boolean {
  return r.pendingDelete === true;
}

/** The resource options a state entry keeps from the latest registration. */
export interface EntryOptions {
  /** The parent's URN ("" for none). */
  parent: string;
  deleteBeforeReplace: boolean;
  protect: boolean;
  retainOnDelete: boolean;
}

/** The state fields that follow the resource options of the latest registration. */
export function optionFlags(o: EntryOptions): Partial<ResourceState> {
  const topLevel = o.parent === "" || o.parent.split("::")[2] === "pulumi:pulumi:Stack";
  return {
    ...(topLevel ? {} : { parent: o.parent }),
    ...(o.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
    ...(o.protect ? { protect: true } : {}),
    ...(o.retainOnDelete ? { retainOnDelete: true } : {}),
  };
}

/** `r` without the fields {@link optionFlags} sets. */
export function withoutOptionFlags(r: ResourceState): ResourceState {
  const { parent: _p, deleteBeforeReplace: _d, protect: _pr, retainOnDelete: _r, ...rest } = r;
  void [_p, _d, _pr, _r];
  return rest;
}

/** The stack state of a run, kept in memory and saved after each change (not in a preview). */
export class StateWriter {
  /** The state as it is now. */
  readonly state: StackState;

  /** Loads the state of `stack` from `file` (a missing file is an empty stack; secrets are decrypted). */
  constructor(
    readonly file: string,
    project: string,
    stack: string,
    private readonly preview: boolean,
    /** Where the passphrase comes from (PULUMI_CONFIG_PASSPHRASE / PULUMI_CONFIG_PASSPHRASE_FILE). */
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.state = loadState(file, project, stack, env);
    if (!preview && stateHoldsSecret(this.state) && !hasPassphrase(env)) {
      // A state written before secrets were encrypted: refuse before any API call rather than fail to save
      // after one.
      throw new Error(
        `${file}: ${noPassphraseMessage("the state holds secrets that must be stored encrypted")}`,
      );
    }
  }

  /** The saved entries, in creation order (old copies of replaced resources included). */
  get resources(): readonly ResourceState[] {
    return this.state.resources;
  }

  /** Writes the state file (not in a preview). */
  save(): void {
    if (this.preview) return;
    const pending = this.state.pendingOperations ?? [];
    const providers = saveState(
      this.file,
      {
        ...this.state,
        resources: this.state.resources.map(storable),
        ...(pending.length > 0
          ? { pendingOperations: pending.map((p) => ({ ...p, resource: storable(p.resource) })) }
          : { pendingOperations: undefined }),
      },
      this.env,
    );
    if (providers) this.state.secretsProviders = providers;
  }

  /** Operations sent to the provider whose end is not recorded yet (an interrupted run's, at the start). */
  get pending(): readonly PendingOperation[] {
    return this.state.pendingOperations ?? [];
  }

  /**
   * Records that `type` is about to be sent to the provider for `resource`, and saves, before the provider
   * is asked: a kill from here on leaves the record for the next run to settle. Returns the record, to
   * pass to the write that records the result ({@link set}, {@link replace}, {@link remove}) or to
   * {@link endPending}.
   */
  beginPending(type: PendingOperation["type"], resource: ResourceState): PendingOperation {
    const op: PendingOperation = { type, startedAt: new Date().toISOString(), resource };
    this.state.pendingOperations = [...this.pending, op];
    this.save();
    return op;
  }

  /** Drops `op` from the pending operations (in memory; saved with the next write). */
  private drop(op: PendingOperation | undefined): void {
    if (op === undefined) return;
    const left = this.pending.filter((p) => p !== op);
    this.state.pendingOperations = left.length > 0 ? left : undefined;
  }

  /** Drops `op` (its outcome is settled and changes no entry), and saves. */
  endPending(op: PendingOperation): void {
    this.drop(op);
    this.save();
  }

  /**
   * Puts `entry` in place of the live entry with its URN (or adds it), drops `settled` (the operation that
   * made it) in the same write, and saves.
   */
  set(entry: ResourceState, settled?: PendingOperation): void {
    const i = this.state.resources.findIndex((r) => r.urn === entry.urn && !isPendingDelete(r));
    if (i >= 0) this.state.resources[i] = entry;
    else this.state.resources.push(entry);
    this.drop(settled);
    this.save();
  }

  /** Puts `entry` in place of `old` itself (refresh), drops `settled`, and saves. */
  replace(old: ResourceState, entry: ResourceState, settled?: PendingOperation): void {
    const i = this.state.resources.indexOf(old);
    if (i >= 0) this.state.resources[i] = entry;
    this.drop(settled);
    this.save();
  }

  /** Drops `entry` (and `settled`), and saves. */
  remove(entry: ResourceState, settled?: PendingOperation): void {
    this.state.resources = this.state.resources.filter((r) => r !== entry);
    this.drop(settled);
    this.save();
  }

  /**
   * Marks `old` as the old copy of a replaced resource (moved to the end), saves, and returns the marked
   * entry: it stays in state until it is deleted after the program (create before delete).
   */
  markPendingDelete(old: ResourceState): ResourceState {
    const marked: ResourceState = { ...old, pendingDelete: true };
    this.state.resources = this.state.resources.filter((r) => r !== old);
    this.state.resources.push(marked);
    this.save();
    return marked;
  }

  /** Sets the stack outputs, and saves. */
  setOutputs(outputs: StackState["outputs"]): void {
    this.state.outputs = outputs;
    this.save();
  }

  /**
   * The saved entry of the resource now at `urn`: its own, or the one saved under one of its aliases (not
   * one `taken` by a resource of this run), which then moves to `urn`, and so do the references of other
   * entries to it, as the engine does. Not saved here: the step that claims it saves what it becomes.
   */
  claim(urn: string, aliases: readonly string[], taken: (urn: string) => boolean): ResourceState | undefined {
    const live = this.state.resources.filter((r) => !isPendingDelete(r));
    const own = live.find((r) => r.urn === urn);
    if (own) return own;
    for (const alias of aliases) {
      if (alias === urn || taken(alias)) continue;
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
}
