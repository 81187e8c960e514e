import * as path from "path";
import { plan, repoRoot, startExample, type ExampleRun } from "./harness";

// examples/rotation, as a daily scheduled `up` would run it: the rotation's clock
// (CONFLUENT_IAM_ROTATION_NOW, inherited by the runner's worker and provider host) stands at each day.
const DAY = 86_400_000;
const T0 = Date.now();
const day = (n: number): string => new Date(T0 + n * DAY).toISOString();

let ex: ExampleRun;
const saved = process.env.CONFLUENT_IAM_ROTATION_NOW;
beforeAll(async () => {
  ex = await startExample(path.join(repoRoot, "examples", "rotation"), "confluent-iam-rotation");
});
afterAll(async () => {
  if (saved === undefined) delete process.env.CONFLUENT_IAM_ROTATION_NOW;
  else process.env.CONFLUENT_IAM_ROTATION_NOW = saved;
  await ex.close();
});

/** The rotation's stored outputs (decrypted). */
function rotation(): { active: { id: string; secret: string }; previous?: { id: string } } {
  const r = ex.state().resources.find((x) => x.name === "orders-consumer-key");
  const plainOf = (v: unknown): unknown =>
    typeof v === "object" && v !== null && "value" in v ? (v as { value: unknown }).value : v;
  return {
    active: plainOf(r?.outputs.active) as { id: string; secret: string },
    previous: plainOf(r?.outputs.previous) as { id: string } | undefined,
  };
}

describe("examples/rotation, one scheduled up at a time", () => {
  let first = "";
  let rotationId = "";

  it("day 0: up makes the service account and the first key; the secret is masked", async () => {
    process.env.CONFLUENT_IAM_ROTATION_NOW = day(0);
    await ex.clearRequests();
    const r = await ex.run("up");
    expect(r.exitCode).toBe(0);
    expect(plan(r)).toEqual(["create orders-consumer", "create orders-consumer-key"]);
    expect((await ex.writes()).sort()).toEqual(["POST /iam/v2/api-keys", "POST /iam/v2/service-accounts"]);
    expect(r.outputs.activeApiSecret).toBe("[secret]");
    expect(r.outputs.nextRotationAt).toBe(new Date(T0 + 30 * DAY).toISOString());
    first = rotation().active.id;
    rotationId = ex.state().resources.find((x) => x.name === "orders-consumer-key")?.id ?? "";
    expect(r.output).not.toContain(rotation().active.secret);
  });

  it("day 29: nothing is due; up changes nothing and writes nothing", async () => {
    process.env.CONFLUENT_IAM_ROTATION_NOW = day(29);
    await ex.clearRequests();
    const r = await ex.run("up");
    expect(r.exitCode).toBe(0);
    expect(r.steps).toEqual([]);
    expect(await ex.writes()).toEqual([]);
  });

  it("day 31: preview shows the rotation as an update and says why, writing nothing", async () => {
    process.env.CONFLUENT_IAM_ROTATION_NOW = day(31);
    await ex.clearRequests();
    const r = await ex.run("preview");
    expect(r.exitCode).toBe(0);
    expect(plan(r)).toEqual(["update orders-consumer-key"]);
    expect(r.output).toContain(
      `ApiKeyRotation ${rotationId}: rotation due: nextRotationAt ${new Date(T0 + 30 * DAY).toISOString()} has passed`,
    );
    expect(await ex.writes()).toEqual([]);
  });

  it("day 31: up makes the new key active and keeps the first as previous", async () => {
    await ex.clearRequests();
    const r = await ex.run("up");
    expect(r.exitCode).toBe(0);
    expect(plan(r)).toEqual(["update orders-consumer-key"]);
    expect(await ex.writes()).toEqual(["POST /iam/v2/api-keys"]);
    const keys = rotation();
    expect(keys.active.id).not.toBe(first);
    expect(keys.previous?.id).toBe(first);
    expect(r.outputs.previousApiKey).toBe("[secret]");
  });

  it("day 38: the overlap is over; up deletes the previous key", async () => {
    process.env.CONFLUENT_IAM_ROTATION_NOW = day(38);
    await ex.clearRequests();
    const r = await ex.run("up");
    expect(r.exitCode).toBe(0);
    expect(plan(r)).toEqual(["update orders-consumer-key"]);
    expect(r.output).toContain(`the previous key ${first} retires`);
    expect(await ex.writes()).toEqual([`DELETE /iam/v2/api-keys/${first}`]);
    expect(rotation().previous).toBeUndefined();
  });

  it("destroy deletes the key and the service account", async () => {
    await ex.clearRequests();
    const r = await ex.run("destroy");
    expect(r.exitCode).toBe(0);
    const dump = (await ex.dump()) as { api_keys: unknown[]; service_accounts: unknown[] };
    expect(dump.api_keys).toEqual([]);
    expect(dump.service_accounts).toEqual([]);
  });
});
