/**
 * The seam between a Pulumi program and the runner: the SDK runs the program against its mock resource
 * monitor (`pulumi.runtime.setMocks`), patched here so that each registration reaches the runner with what
 * the mocks alone do not carry (parent, aliases, dependencies, resource options), under the URN the Pulumi
 * engine would give it, and so that what the runner does not do (invokes, `.get`, stack references) is
 * refused with a sentence naming the alternative.
 *
 * The SDK keeps global state: install once per process (see ./worker.ts).
 */
import { createRequire } from "module";
import * as pulumi from "@pulumi/pulumi";
import type * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { UNKNOWN_VALUE, type PropertyMap } from "../protocol";
import type { StackConfig } from "./project";
import { USE_CLI, unsupportedOptions } from "./refusals";

/** Options the program passed with a registration that MockResourceArgs does not carry. */
export interface RegistrationExtras {
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

/** What the patched monitor hands the runner. */
export interface MonitorHooks {
  /**
   * A resource registration, answered as the mocks' `newResource` answers. `args.inputs` are in the
   * provider protocol's form (unknowns as the unknown sentinel string).
   */
  register(
    args: pulumi.runtime.MockResourceArgs,
    urn: string,
    extras: RegistrationExtras,
  ): Promise<pulumi.runtime.MockResourceResult>;
  /** A component's `registerOutputs`. */
  componentOutputs(urn: string, outputs: PropertyMap): void;
  /** Records a refusal as the run's error and returns the error that fails the program. */
  refuse(message: string): Error;
}

/** The installed monitor. */
export interface MockMonitor {
  /** Runs the program (its main module, a default export called if it is a function) in a stack. */
  runProgram(main: string): Promise<unknown>;
  /** Settles when the SDK's outstanding registrations are answered. */
  waitForRPCs(): Promise<void>;
  /** The stack's outputs as the program exported them. */
  stackOutputs(): PropertyMap;
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

/** The URN the engine gives a resource: parent types are chained, except the root stack's. */
export function urnFor(stack: string, project: string, type: string, name: string, parent: string): string {
  let qualified = type;
  if (parent) {
    const parentType = parent.split("::")[2] ?? "";
    if (parentType !== "pulumi:pulumi:Stack") qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
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

function stackOutputsOf(state: unknown): PropertyMap {
  if (state && typeof (state as { toJavaScript?: unknown }).toJavaScript === "function") {
    return (state as { toJavaScript(): PropertyMap }).toJavaScript();
  }
  if (typeof state === "object" && state !== null) return state as PropertyMap;
  return {};
}

/** What {@link installMockMonitor} needs. */
export interface MonitorOptions {
  project: string;
  stack: string;
  /** A preview: the SDK leaves values it cannot know unknown. */
  preview: boolean;
  /** The stack's configuration, as the program reads it. */
  config: StackConfig;
  hooks: MonitorHooks;
}

/** Sets up the SDK's mock monitor for this process's one program run, patched to call `hooks`. */
export async function installMockMonitor(o: MonitorOptions): Promise<MockMonitor> {
  const { hooks } = o;
  await pulumi.runtime.setMocks(
    {
      newResource: () => {
        throw new Error("unreachable: registrations go through the patched monitor");
      },
      call: (args) => {
        throw hooks.refuse(
          `function calls (invokes such as ${args.token}) are not supported by confluent-iam; use this ` +
            `package's lookup functions (getServiceAccount, ...), which call the API themselves, ${USE_CLI}`,
        );
      },
    },
    o.project,
    o.stack,
    o.preview,
  );
  // Without alias specs the SDK sends every alias as a URN, those inherited from parents included.
  (
    requireHere("@pulumi/pulumi/runtime/state") as { getStore(): { supportsAliasSpecs: boolean } }
  ).getStore().supportsAliasSpecs = false;
  pulumi.runtime.setAllConfig(o.config.values, o.config.secretKeys);
  const settings = requireHere("@pulumi/pulumi/runtime/settings") as SettingsModule;
  patchMonitor(settings.getMonitor() as MonitorLike, o);
  return {
    runProgram: (main) =>
      pulumi.runtime.runInPulumiStack(async () => {
        const loaded = requireHere(main) as unknown;
        const exported =
          typeof loaded === "object" &&
          loaded !== null &&
          "default" in loaded &&
          Object.keys(loaded).length === 1
            ? (loaded as { default: unknown }).default
            : loaded;
        return (typeof exported === "function" ? await (exported as () => unknown)() : exported) as never;
      }),
    waitForRPCs: () => settings.waitForRPCs(),
    stackOutputs: () => {
      const monitor = settings.getMonitor() as MonitorLike;
      const stackUrn = `urn:pulumi:${o.stack}::${o.project}::pulumi:pulumi:Stack::${o.project}-${o.stack}`;
      return stackOutputsOf(monitor.resources.get(stackUrn)?.state);
    },
  };
}

function patchMonitor(monitor: MonitorLike, o: MonitorOptions): void {
  const { hooks } = o;
  // Without alias specs the SDK sends every alias as a URN, those inherited from parents included.
  const supports = monitor.supportsFeature.bind(monitor);
  monitor.supportsFeature = (req, cb) => {
    // Transforms need the engine's callback server: without it the SDK refuses them (see
    // explainProgramError in ./refusals.ts).
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
    const urn = urnFor(o.stack, o.project, req.getType(), req.getName(), extras.parent);
    // A view of the monitor whose mocks know this request's extras (MockResourceArgs does not carry them).
    const view = Object.create(monitor, {
      mocks: {
        value: {
          ...monitor.mocks,
          newResource: (args: pulumi.runtime.MockResourceArgs) =>
            hooks.register({ ...args, inputs: toWire(args.inputs) }, urn, extras),
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
    // A component's registerOutputs: the runner keeps them in its state entry, as the engine does.
    const outs = req.getOutputs();
    if (outs) hooks.componentOutputs(req.getUrn(), outs.toJavaScript() as PropertyMap);
    registerOutputs(req, cb);
  };
  monitor.readResource = async (req, cb) => {
    const type = req.getType();
    cb(
      hooks.refuse(
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
