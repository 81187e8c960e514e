import * as path from "path";
import { readProject } from "../../runner/project";
import { idsIn, plan, repoRoot, startExample, type ExampleRun } from "./harness";

// The quickstart, run from the repository root (the root Pulumi.yaml runs examples/quickstart).
let ex: ExampleRun;
beforeAll(async () => {
  ex = await startExample(repoRoot, "confluent-iam-quickstart");
});
afterAll(async () => {
  await ex.close();
});

describe("examples/quickstart through the root Pulumi.yaml", () => {
  it("the root Pulumi.yaml runs the quickstart program", () => {
    const root = readProject(repoRoot);
    expect(root.main).toBe(path.join(repoRoot, "examples", "quickstart", "index.ts"));
    expect(root.name).toBe(readProject(path.join(repoRoot, "examples", "quickstart")).name);
  });

  it("preview plans the service account, key and role binding and sends no writes", async () => {
    await ex.clearRequests();
    const r = await ex.run("preview");
    expect(r.exitCode).toBe(0);
    expect(plan(r)).toEqual(["create app", "create app-cloud-key", "create app-environment-admin"]);
    expect(await ex.writes()).toEqual([]);
  });

  it("up creates everything and keeps the key's secret masked", async () => {
    await ex.clearRequests();
    const r = await ex.run("up");
    expect(r.exitCode).toBe(0);
    expect(plan(r)).toEqual(["create app", "create app-cloud-key", "create app-environment-admin"]);
    expect((await ex.writes()).sort()).toEqual([
      "POST /iam/v2/api-keys",
      "POST /iam/v2/role-bindings",
      "POST /iam/v2/service-accounts",
    ]);
    expect(r.outputs.apiKeySecret).toBe("[secret]");
    expect(r.outputs.serviceAccountId).toMatch(/^sa-/);
    const secret = ex.state().outputs.apiKeySecret as { value: string };
    expect(typeof secret.value).toBe("string");
    expect(r.output).not.toContain(secret.value);
  });

  it("a second up is a no-op with zero write calls", async () => {
    await ex.clearRequests();
    const r = await ex.run("up");
    expect(r.exitCode).toBe(0);
    expect(r.steps).toEqual([]);
    expect(r.summary.same).toBe(3);
    expect(await ex.writes()).toEqual([]);
  });

  it("changing the description updates the service account in place", async () => {
    await ex.clearRequests();
    const r = await ex.run("up", ["description=Runs orders v2"]);
    expect(r.exitCode).toBe(0);
    expect(plan(r)).toEqual(["update app"]);
    expect(r.steps[0]?.diffs).toEqual(["~description"]);
    const saId = ex.state().resources.find((x) => x.name === "app")?.id ?? "";
    expect(await ex.writes()).toEqual([`PATCH /iam/v2/service-accounts/${saId}`]);
  });

  it("refresh after an out-of-band change shows the drift", async () => {
    const saId = ex.state().resources.find((x) => x.name === "app")?.id ?? "";
    const patched = await ex.api("PATCH", `/iam/v2/service-accounts/${saId}`, {
      description: "edited in the console",
    });
    expect(patched.status).toBe(200);
    const r = await ex.run("refresh", ["description=Runs orders v2"]);
    expect(r.exitCode).toBe(0);
    expect(plan(r)).toEqual(["update app"]);
    expect(r.steps[0]?.diffs).toEqual(["~description"]);
    expect(ex.state().resources.find((x) => x.name === "app")?.outputs.description).toBe(
      "edited in the console",
    );
  });

  it("destroy leaves none of the quickstart's objects", async () => {
    const ids = ex.state().resources.map((x) => x.id);
    expect(ids).toHaveLength(3);
    const r = await ex.run("destroy");
    expect(r.exitCode).toBe(0);
    expect(r.summary.delete).toBe(3);
    const left = idsIn(await ex.dump());
    expect(ids.filter((id) => left.has(id))).toEqual([]);
    expect(ex.state().resources).toEqual([]);
  });
});
