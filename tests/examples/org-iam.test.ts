import * as path from "path";
import { idsIn, plan, repoRoot, startExample, type ExampleRun } from "./harness";

const dir = path.join(repoRoot, "examples", "org-iam");
const policyPack = path.join(repoRoot, "policy");
const everything = [
  "create analytics",
  "create analytics-kafka-key",
  "create analytics-read-orders",
  "create management-from-office",
  "create new-engineer",
  "create office",
  "create orders",
  "create orders-cluster-operator",
  "create orders-kafka-key",
  "create orders-write-orders",
  "create platform",
  "create platform-env-admin",
  "create platform-metrics-viewer",
];

let ex: ExampleRun;
beforeAll(async () => {
  ex = await startExample(dir, "confluent-iam-org");
});
afterAll(async () => {
  await ex.close();
});

describe("examples/org-iam", () => {
  it("preview with the policy pack plans every object, passes the pack and sends no writes", async () => {
    await ex.clearRequests();
    const r = await ex.run("preview", [], policyPack);
    expect(r.exitCode).toBe(0);
    expect(plan(r)).toEqual(everything);
    expect(r.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(await ex.writes()).toEqual([]);
  });

  it("preview with an IP group open to the whole internet stops on the mandatory policy", async () => {
    await ex.clearRequests();
    const r = await ex.run("up", ['officeCidrs=["0.0.0.0/0"]'], policyPack);
    expect(r.exitCode).toBe(1);
    const mandatory = r.violations.filter((v) => v.enforcementLevel === "mandatory");
    expect(mandatory.map((v) => v.policyName)).toEqual(["ip-group-no-open-cidr"]);
    expect(mandatory[0]?.message).toContain('"0.0.0.0/0" allows every IPv4 address');
    expect(r.output).toContain("mandatory policy violation: ip-group-no-open-cidr");
    expect(r.output).toContain(
      "error: mandatory policy violation; up stopped before changing anything, nothing was applied",
    );
    expect(await ex.writes()).toEqual([]);
  });

  it("up creates every object", async () => {
    const r = await ex.run("up", [], policyPack);
    expect(r.exitCode).toBe(0);
    expect(plan(r)).toEqual(everything);
    expect(r.outputs.ordersKafkaKeySecret).toBe("[secret]");
    const writes = await ex.writes();
    expect(writes.filter((w) => w === "POST /iam/v2/role-bindings")).toHaveLength(5);
    expect(writes.filter((w) => w === "POST /iam/v2/api-keys")).toHaveLength(2);
  });

  it("a second up is a no-op with zero write calls", async () => {
    await ex.clearRequests();
    const r = await ex.run("up");
    expect(r.exitCode).toBe(0);
    expect(r.steps).toEqual([]);
    expect(r.summary.same).toBe(13);
    expect(await ex.writes()).toEqual([]);
  });

  it("removing a role binding deletes it and a new description updates the account in place", async () => {
    const st = ex.state();
    const rbId = st.resources.find((x) => x.name === "analytics-read-orders")?.id ?? "";
    const saId = st.resources.find((x) => x.name === "orders")?.id ?? "";
    await ex.clearRequests();
    const config = ["analyticsReadsOrders=false", "ordersDescription=Orders service v2"];
    const preview = await ex.run("preview", config);
    expect(plan(preview)).toEqual(["delete analytics-read-orders", "update orders"]);
    expect(await ex.writes()).toEqual([]);
    const r = await ex.run("up", config);
    expect(r.exitCode).toBe(0);
    expect(plan(r)).toEqual(["delete analytics-read-orders", "update orders"]);
    expect(r.steps.find((s) => s.name === "orders")?.diffs).toEqual(["~description"]);
    expect((await ex.writes()).sort()).toEqual([
      `DELETE /iam/v2/role-bindings/${rbId}`,
      `PATCH /iam/v2/service-accounts/${saId}`,
    ]);
    expect(idsIn(await ex.dump()).has(rbId)).toBe(false);
  });

  it("refresh after an out-of-band change to the IP group shows the drift", async () => {
    const ipgId = ex.state().resources.find((x) => x.name === "office")?.id ?? "";
    const patched = await ex.api("PATCH", `/iam/v2/ip-groups/${ipgId}`, { group_name: "renamed-in-console" });
    expect(patched.status).toBe(200);
    const r = await ex.run("refresh", ["analyticsReadsOrders=false", "ordersDescription=Orders service v2"]);
    expect(r.exitCode).toBe(0);
    expect(plan(r)).toEqual(["update office"]);
    expect(r.steps[0]?.diffs).toEqual(["~groupName"]);
  });

  it("destroy leaves none of the example's objects", async () => {
    const ids = ex.state().resources.map((x) => x.id);
    expect(ids).toHaveLength(12);
    const r = await ex.run("destroy");
    expect(r.exitCode).toBe(0);
    expect(r.summary.delete).toBe(12);
    const left = idsIn(await ex.dump());
    expect(ids.filter((id) => left.has(id))).toEqual([]);
  });
});
