/**
 * Runs SDK code under `pulumi.runtime.setMocks` and returns what `dynamic.Resource` registered, including
 * the serialized provider text (`__provider`) exactly as the engine would store it.
 */
import * as pulumi from "@pulumi/pulumi";

/** One registration, as the engine would have received it. */
export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  providerText: string;
  /** The import ID the engine was asked to import (the `import` resource option), if any. */
  engineImportId: string | undefined;
}

let mocksInstalled = false;
const captured: pulumi.runtime.MockResourceArgs[] = [];

async function installMocks(): Promise<void> {
  if (mocksInstalled) return;
  mocksInstalled = true;
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
    "proj",
    "dev",
    false,
  );
}

/** Registers one resource with `make()` and waits (bounded) until the SDK has serialized it. */
export async function captureRegistration(make: () => unknown): Promise<Registration> {
  await installMocks();
  const before = captured.length;
  make();
  for (let i = 0; i < 500 && captured.length === before; i++) await new Promise((r) => setTimeout(r, 10));
  const reg = captured[before];
  if (reg === undefined) throw new Error("the SDK registered nothing within 5 s");
  const p = reg.inputs.__provider as unknown;
  const providerText =
    typeof p === "string" ? p : String((p as { value?: unknown } | undefined)?.value ?? "<not a string>");
  return {
    type: reg.type,
    name: reg.name,
    inputs: reg.inputs as Record<string, unknown>,
    providerText,
    engineImportId: reg.id === undefined || reg.id === "" ? undefined : reg.id,
  };
}
