/**
 * Issue 21's "done when": a program of two team components (tests/runner/fixtures/teams), each holding a
 * service account, a role binding and an API key, through up, a no-change up, an in-place edit, a rename
 * with aliases, a move out of a component with an alias, and destroy, against the emulator. Every step
 * exits 0, and the state is checked at each one.
 */
import * as path from "path";
import { startExample, idsIn, type ExampleRun } from "../examples/harness";
import type { StackState } from "../../runner/state";

const fixture = path.join(__dirname, "fixtures", "teams");
const PROJECT = "runner-teams";
const TEAM = "acme:iam:TeamAccess";
const SA = "pulumi-nodejs:dynamic/confluent:ServiceAccount";
const RB = "pulumi-nodejs:dynamic/confluent:RoleBinding";
const KEY = "pulumi-nodejs:dynamic/confluent:ApiKey";
const urn = (type: string, name: string): string => `urn:pulumi:dev::${PROJECT}::${type}::${name}`;

/** Each entry as [urn, parent, component, id-or-"" ], in state order. */
const shape = (st: StackState): Array<[string, string | undefined, boolean, string]> =>
  st.resources.map((r) => [r.urn, r.parent, r.component === true, r.id]);

let ex: ExampleRun;
let ids: Record<string, string> = {};
const run = (step: number): ReturnType<ExampleRun["run"]> => ex.run("up", [`step=${step}`]);

beforeAll(async () => {
  ex = await startExample(fixture, PROJECT);
});
afterAll(async () => ex.close());

it("up creates both components and their children; children's URNs carry the component type", async () => {
  const r = await run(1);
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect(r.steps.map((s) => `${s.op} ${s.type} ${s.name}`).sort()).toEqual(
    [
      `create ${TEAM} orders`,
      `create ${TEAM} payments`,
      ...["orders", "payments"].flatMap((t) => [
        `create ${SA} ${t}-sa`,
        `create ${RB} ${t}-rb`,
        `create ${KEY} ${t}-key`,
      ]),
    ].sort(),
  );
  expect(r.output).toContain(" +  created        acme:iam:TeamAccess  payments\n");
  const st = ex.state();
  ids = Object.fromEntries(st.resources.map((x) => [x.name, x.id]));
  const child = (t: string, type: string, n: string): string => urn(`${TEAM}$${type}`, `${t}-${n}`);
  expect(shape(st).sort()).toEqual(
    [
      [urn(TEAM, "payments"), undefined, true, ""],
      [urn(TEAM, "orders"), undefined, true, ""],
      ...["payments", "orders"].flatMap((t): Array<[string, string, boolean, string]> => [
        [child(t, SA, "sa"), urn(TEAM, t), false, ids[`${t}-sa`] ?? "?"],
        [child(t, RB, "rb"), urn(TEAM, t), false, ids[`${t}-rb`] ?? "?"],
        [child(t, KEY, "key"), urn(TEAM, t), false, ids[`${t}-key`] ?? "?"],
      ]),
    ].sort(),
  );
  // registerOutputs is kept as the component's outputs.
  expect(st.resources.find((x) => x.name === "payments")?.outputs).toEqual({
    serviceAccountId: ids["payments-sa"],
    apiKeyId: ids["payments-key"],
  });
  expect(Object.values(ids).filter((id) => id !== "")).toHaveLength(6);
});

it("a second up changes nothing and makes no API call", async () => {
  const before = ex.state();
  await ex.clearRequests();
  const r = await run(1);
  expect(r.exitCode).toBe(0);
  expect(r.steps).toEqual([]);
  expect(r.summary.same).toBe(8);
  expect(await ex.requests()).toEqual([]);
  expect(shape(ex.state())).toEqual(shape(before));
});

it("an edit inside a component updates that one object in place", async () => {
  await ex.clearRequests();
  const r = await run(2);
  expect(r.exitCode).toBe(0);
  expect(r.steps.map((s) => [s.op, s.name, s.diffs])).toEqual([["update", "payments-sa", ["~description"]]]);
  expect(await ex.writes()).toEqual([`PATCH /iam/v2/service-accounts/${ids["payments-sa"]}`]);
  expect(ex.state().resources.find((x) => x.name === "payments-sa")?.inputs.description).toBe(
    "Payments, reworded",
  );
});

it("renaming a component with an alias moves it and its children to the new URNs with no API call", async () => {
  await ex.clearRequests();
  const r = await run(3);
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect(r.steps).toEqual([]);
  expect(await ex.requests()).toEqual([]);
  const st = ex.state();
  const team = urn(TEAM, "payments-team");
  expect(
    st.resources.filter((x) => x.urn.includes("payments")).map((x) => [x.urn, x.name, x.parent, x.id]),
  ).toEqual([
    [team, "payments-team", undefined, ""],
    [urn(`${TEAM}$${SA}`, "payments-team-sa"), "payments-team-sa", team, ids["payments-sa"]],
    [urn(`${TEAM}$${RB}`, "payments-team-rb"), "payments-team-rb", team, ids["payments-rb"]],
    [urn(`${TEAM}$${KEY}`, "payments-team-key"), "payments-team-key", team, ids["payments-key"]],
  ]);
  // References to the old URNs moved too: the role binding depends on the renamed account.
  expect(st.resources.find((x) => x.name === "payments-team-rb")?.dependencies).toEqual([
    urn(`${TEAM}$${SA}`, "payments-team-sa"),
  ]);
  expect(st.resources).toHaveLength(8);
});

it("moving a key out of its component with an alias keeps the object, with no API call", async () => {
  await ex.clearRequests();
  const r = await run(4);
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect(r.steps).toEqual([]);
  expect(await ex.requests()).toEqual([]);
  const key = ex.state().resources.find((x) => x.name === "orders-key");
  expect([key?.urn, key?.parent, key?.id]).toEqual([urn(KEY, "orders-key"), undefined, ids["orders-key"]]);
  expect(ex.state().resources).toHaveLength(8);
});

it("destroy deletes every object, children before their component, and empties the state", async () => {
  await ex.clearRequests();
  const r = await ex.run("destroy", ["step=4"]);
  expect(r.exitCode).toBe(0);
  expect(r.summary.delete).toBe(8);
  const order = r.steps.map((s) => s.name);
  for (const [team, children] of [
    ["payments-team", ["payments-team-sa", "payments-team-rb", "payments-team-key"]],
    ["orders", ["orders-sa", "orders-rb"]],
  ] as const) {
    for (const c of children) expect(order.indexOf(c)).toBeLessThan(order.indexOf(team));
  }
  expect((await ex.writes()).sort()).toEqual(
    [
      `DELETE /iam/v2/api-keys/${ids["orders-key"]}`,
      `DELETE /iam/v2/api-keys/${ids["payments-key"]}`,
      `DELETE /iam/v2/role-bindings/${ids["orders-rb"]}`,
      `DELETE /iam/v2/role-bindings/${ids["payments-rb"]}`,
      `DELETE /iam/v2/service-accounts/${ids["orders-sa"]}`,
      `DELETE /iam/v2/service-accounts/${ids["payments-sa"]}`,
    ].sort(),
  );
  expect(ex.state().resources).toEqual([]);
  const left = idsIn(await ex.dump());
  expect(Object.values(ids).filter((id) => id !== "" && left.has(id))).toEqual([]);
});
