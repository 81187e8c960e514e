/**
 * A `pulumi up` killed (SIGKILL, its whole process group) while it creates, under the real CLI, and what a
 * user does next. The kill lands while the API key waits to authenticate (key propagation 30 s): the
 * service account and role binding are in the stack, the key exists in Confluent Cloud, and the engine keeps
 * a pending `creating` operation for it. Then, as the README's "After an interrupted `pulumi up`" says:
 *   1. `pulumi cancel` removes the dead update's lock;
 *   2. `pulumi refresh --clear-pending-creates` drops the pending create;
 *   3. the key the killed run made is deleted: its secret went with the killed process, and the run's own
 *      progress line named it (`ApiKey <id>: waiting … until the new key authenticates`);
 *   4. `pulumi up` makes the key again.
 * Afterwards the organization holds exactly the stack's objects: no duplicate, no orphan.
 */
import { spawn } from "child_process";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { cliBinDir } from "../../engine/cli";
import { EmulatorControl, EngineStack, repoRoot } from "./support/engine";

async function until(what: string, ok: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("pulumi up killed while it creates", () => {
  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let stack: EngineStack;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, keyPropagationMs: 30_000 });
    control = new EmulatorControl(emulator.url, emulator.apiKey, emulator.apiSecret);
    stack = await EngineStack.create({
      source: path.join(repoRoot, "examples", "quickstart"),
      mode: "repo",
      emulator,
    });
  });
  afterAll(async () => {
    stack?.close();
    await emulator?.close();
  });

  it("leaves a pending create; cancel, refresh --clear-pending-creates, deleting the named key and up leave no duplicate and no orphan", async () => {
    const child = spawn(
      path.join(cliBinDir(), "pulumi"),
      ["up", "--yes", "--non-interactive", "--stack", "dev"],
      {
        cwd: stack.dir,
        env: stack.env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const closed = new Promise((r) => child.on("close", r));
    await until("the key's readiness wait", async () => /ApiKey (\S+): waiting/.test(output), 240_000);
    process.kill(-child.pid!, "SIGKILL");
    await closed;

    const keyId = /ApiKey (\S+): waiting/.exec(output)![1]!;
    const dep = (await stack.exportDeployment()).deployment;
    expect(dep.pending_operations?.map((p) => [p.type, p.resource.urn.split("::").pop()])).toEqual([
      ["creating", "app-cloud-key"],
    ]);
    const keysInOrg = async (): Promise<string[]> =>
      (((await control.dump()).api_keys as { id: string }[] | undefined) ?? []).map((k) => k.id).sort();
    expect(await keysInOrg()).toEqual([keyId]);

    // Without step 1, every command refuses the stack.
    const locked = await stack.pulumi(["refresh", "--yes", "--stack", "dev"]);
    expect(locked.code).not.toBe(0);
    expect(locked.output).toContain("the stack is currently locked");

    expect((await stack.pulumi(["cancel", "--yes", "--stack", "dev"])).code).toBe(0);
    const refresh = await stack.pulumi(["refresh", "--yes", "--clear-pending-creates", "--stack", "dev"]);
    expect(refresh.code).toBe(0);
    expect((await stack.exportDeployment()).deployment.pending_operations ?? []).toEqual([]);

    expect((await control.api("DELETE", `/iam/v2/api-keys/${keyId}`)).status).toBe(204);
    const up = await stack.json("up");
    expect(up.code).toBe(0);

    const after = (await stack.exportDeployment()).deployment.resources ?? [];
    const inState = (type: string): string[] =>
      after.filter((r) => r.type === `pulumi-nodejs:dynamic/confluent:${type}`).map((r) => r.id ?? "");
    expect(await keysInOrg()).toEqual(inState("ApiKey"));
    expect(inState("ApiKey")).toHaveLength(1);
    const dump = await control.dump();
    expect(((dump.service_accounts as { id: string }[]) ?? []).map((s) => s.id)).toEqual(
      inState("ServiceAccount"),
    );
    expect(((dump.role_bindings as { id: string }[]) ?? []).map((s) => s.id)).toEqual(inState("RoleBinding"));
  });
});
