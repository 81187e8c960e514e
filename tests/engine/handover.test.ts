/**
 * The state hand-over under the real Pulumi CLI, both ways:
 * - `confluent-iam up` → `confluent-iam stack export` → `pulumi stack import` → `pulumi preview
 *   --expect-no-changes` → `pulumi destroy` leaves nothing behind;
 * - `pulumi up` → `pulumi stack export` → `confluent-iam stack import` → `confluent-iam preview` plans nothing.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorControl, EngineStack, planOf, repoRoot } from "./support/engine";
import { confluentIam } from "./support/runner";

const QUICKSTART = path.join(repoRoot, "examples", "quickstart");

/** Ids of the objects the quickstart makes, as the emulator holds them. */
async function quickstartObjects(control: EmulatorControl): Promise<string[]> {
  const dump = await control.dump();
  const ids: string[] = [];
  for (const kind of ["service_accounts", "api_keys", "role_bindings"]) {
    for (const o of (dump[kind] as { id: string }[] | undefined) ?? []) ids.push(o.id);
  }
  return ids.sort();
}

describe("confluent-iam → pulumi", () => {
  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let stack: EngineStack;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    control = new EmulatorControl(emulator.url, emulator.apiKey, emulator.apiSecret);
    stack = await EngineStack.create({ source: QUICKSTART, mode: "repo", emulator });
  });
  afterAll(async () => {
    stack?.close();
    await emulator?.close();
  });

  it("a stack made by confluent-iam up is taken over by pulumi stack import, plans no change, and destroys", async () => {
    const up = await confluentIam(["up", "--cwd", stack.dir, "--stack", "dev"], { cwd: stack.dir, emulator });
    expect(up.code).toBe(0);
    const made = await quickstartObjects(control);
    expect(made).toHaveLength(3);

    const file = path.join(stack.dir, "dev.deployment.json");
    const exported = await confluentIam(
      ["stack", "export", "--cwd", stack.dir, "--stack", "dev", "--file", file],
      {
        cwd: stack.dir,
        emulator,
      },
    );
    expect(exported.code).toBe(0);

    const imported = await stack.pulumi(["stack", "import", "--stack", "dev", "--file", file]);
    expect(imported.output).not.toMatch(/error/i);
    expect(imported.code).toBe(0);

    await control.clear();
    const preview = await stack.pulumi(["preview", "--stack", "dev", "--expect-no-changes"]);
    expect(preview.output).not.toMatch(/error:/);
    expect(preview.code).toBe(0);
    expect(await control.writes()).toEqual([]);

    const destroy = await stack.json("destroy");
    expect(destroy.code).toBe(0);
    expect(planOf(destroy.steps)).toEqual([
      "delete app",
      "delete app-cloud-key",
      "delete app-environment-admin",
    ]);
    expect(await quickstartObjects(control)).toEqual([]);
  });
});

describe("pulumi → confluent-iam", () => {
  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let stack: EngineStack;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    control = new EmulatorControl(emulator.url, emulator.apiKey, emulator.apiSecret);
    stack = await EngineStack.create({ source: QUICKSTART, mode: "repo", emulator });
  });
  afterAll(async () => {
    stack?.close();
    await emulator?.close();
  });

  it("a stack made by pulumi up is read by confluent-iam stack import, and confluent-iam preview plans nothing", async () => {
    const up = await stack.json("up");
    expect(up.code).toBe(0);
    const file = path.join(stack.dir, "from-pulumi.json");
    const exported = await stack.pulumi(["stack", "export", "--stack", "dev", "--file", file]);
    expect(exported.code).toBe(0);
    expect(fs.existsSync(file)).toBe(true);

    const imported = await confluentIam(
      ["stack", "import", "--cwd", stack.dir, "--stack", "dev", "--file", file],
      {
        cwd: stack.dir,
        emulator,
      },
    );
    expect(imported.output).not.toMatch(/error/i);
    expect(imported.code).toBe(0);

    await control.clear();
    const preview = await confluentIam(["preview", "--cwd", stack.dir, "--stack", "dev"], {
      cwd: stack.dir,
      emulator,
    });
    expect(preview.code).toBe(0);
    expect(preview.output).toMatch(/no changes|3 unchanged/i);
    expect(preview.output).not.toMatch(/\bcreate\b|\bdelete\b|\breplace\b/);
    expect(await control.writes()).toEqual([]);

    const destroy = await confluentIam(["destroy", "--cwd", stack.dir, "--stack", "dev"], {
      cwd: stack.dir,
      emulator,
    });
    expect(destroy.code).toBe(0);
    expect(await quickstartObjects(control)).toEqual([]);
  });
});
