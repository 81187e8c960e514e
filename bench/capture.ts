/**
 * The serialized provider (`__provider`) of an SDK class, exactly as the engine would store it: the class
 * is registered under `pulumi.runtime.setMocks` and the registration's inputs are read back.
 */
import * as pulumi from "@pulumi/pulumi";

let installed = false;
const captured: pulumi.runtime.MockResourceArgs[] = [];

async function install(): Promise<void> {
  if (installed) return;
  installed = true;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        captured.push(args);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args) {
        return args.inputs;
      },
    },
    "bench",
    "dev",
    false,
  );
}

/** Registers one resource with `make()` and returns its serialized provider text (bounded wait: 10 s). */
export async function providerTextOf(make: () => unknown): Promise<string> {
  await install();
  const before = captured.length;
  make();
  for (let i = 0; i < 1000 && captured.length === before; i++) await new Promise((r) => setTimeout(r, 10));
  const reg = captured[before];
  if (reg === undefined) throw new Error("the SDK registered nothing within 10 s");
  const p: unknown = reg.inputs.__provider;
  if (typeof p === "string") return p;
  // Secret-wrapped provider text (an SDK that marks it secret) still carries the text as `value`.
  const value = typeof p === "object" && p !== null ? (p as { value?: unknown }).value : undefined;
  if (typeof value === "string") return value;
  throw new Error(`the registration of ${reg.type} has no serialized provider`);
}
