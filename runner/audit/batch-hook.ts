/**
 * Loaded with `--require` into a policy pack's process by `confluent-iam audit`, so that one AnalyzeStack call
 * also runs the pack's resource policies over every resource: the pack's own Analyze handler is called in
 * process for each one (the same @pulumi/policy code that serves Analyze over gRPC), instead of one gRPC call
 * per object, which made an audit of 14,000 objects spend a minute in round trips. The pack is started as
 * the Pulumi CLI starts it; only the analyzer service's `analyzeStack` gains this batch form.
 *
 * The batch form is asked for by a last resource of type {@link BATCH_TYPE}. Named `resources`: the resource
 * policies run over the other resources, which the hook keeps, and no stack policy runs (batches keep each
 * answer small). Named `stack`, alone: the stack policies run over every resource kept so far, so the whole
 * organization is not sent twice. Either answer carries one diagnostic of policy {@link BATCH_DONE} so the
 * caller knows the hook is there. Without the marker, `analyzeStack` is the pack's own.
 */
import Module from "module";

export const BATCH_TYPE = "confluent-iam:audit:Batch";
export const BATCH_DONE = "confluent-iam-audit-batch";

type Callback = (err: unknown, value?: unknown) => void;
type Handler = (call: { request: unknown }, callback: Callback) => void;

interface Resource {
  getType(): string;
  getName(): string;
  getUrn(): string;
}
interface Diagnostic {
  getUrn(): string;
  setUrn(urn: string): void;
  setPolicyname(name: string): void;
}
/** The pack's AnalyzeDiagnostic class (from the @pulumi/pulumi its @pulumi/policy loads). */
let Diagnostic: (new () => Diagnostic) | undefined;
interface Response {
  getDiagnosticsList(): Diagnostic[];
  addDiagnostics(d: Diagnostic): void;
}

const call = (handler: Handler, request: unknown): Promise<Response> =>
  new Promise((resolve, reject) =>
    handler({ request }, (err, value) => (err ? reject(err) : resolve(value as Response))),
  );

function batched(analyze: Handler, analyzeStack: Handler): Handler {
  let kept: Resource[] = [];
  return (c, callback) => {
    const request = c.request as { getResourcesList(): Resource[]; setResourcesList(r: Resource[]): void };
    const resources = request.getResourcesList();
    const marker = resources.at(-1);
    if (marker?.getType() !== BATCH_TYPE) {
      analyzeStack(c, callback);
      return;
    }
    const stack = marker.getName() === "stack";
    const real = resources.slice(0, -1);
    if (stack) {
      request.setResourcesList(kept);
      kept = [];
    } else {
      kept.push(...real);
      request.setResourcesList([]);
    }
    void (async () => {
      const found: Diagnostic[] = [];
      // An AnalyzerResource has every getter Analyze reads (type, properties, urn, name, options, provider).
      if (!stack)
        for (const r of real)
          for (const d of (await call(analyze, r)).getDiagnosticsList()) {
            if (!d.getUrn()) d.setUrn(r.getUrn());
            found.push(d);
          }
      const answer = await call(analyzeStack, request);
      for (const d of found) answer.addDiagnostics(d);
      if (Diagnostic !== undefined) {
        const done = new Diagnostic();
        done.setPolicyname(BATCH_DONE);
        answer.addDiagnostics(done);
      }
      callback(undefined, answer);
    })().catch((e: unknown) => callback(e));
  };
}

const PATCHED = Symbol.for("confluent-iam.audit.batch");
type ModuleWithLoad = typeof Module & { _load(request: string, parent: unknown, isMain: boolean): unknown };
const M = Module as ModuleWithLoad;
const load = M._load.bind(M);
M._load = (request, parent, isMain) => {
  const exported = load(request, parent, isMain) as {
    Server?: { prototype: Record<PropertyKey, unknown> };
    AnalyzeDiagnostic?: new () => Diagnostic;
  };
  if (request.endsWith("proto/analyzer_pb") || request.endsWith("proto/analyzer_pb.js"))
    Diagnostic ??= exported.AnalyzeDiagnostic;
  if (request === "@grpc/grpc-js" && exported.Server && !exported.Server.prototype[PATCHED]) {
    const proto = exported.Server.prototype;
    proto[PATCHED] = true;
    const addService = proto.addService as (
      this: unknown,
      service: unknown,
      impl: Record<string, Handler>,
    ) => void;
    proto.addService = function (this: unknown, service: unknown, impl: Record<string, Handler>): void {
      if (typeof impl.analyze === "function" && typeof impl.analyzeStack === "function")
        impl = { ...impl, analyzeStack: batched(impl.analyze, impl.analyzeStack) };
      addService.call(this, service, impl);
    };
  }
  return exported;
};
