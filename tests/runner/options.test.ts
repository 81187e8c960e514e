/**
 * Issue 21: each resource option the runner supports, through the runner and Pulumi's dynamic-provider host
 * (tests/runner/fixtures/options on the items test provider, whose event log shows every operation), and a
 * clear refusal, before any operation, for what it does not support.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runLifecycle, type Command, type LifecycleOptions, type LifecycleResult } from "../../runner";
import { loadState, type StackState } from "../../runner/state";

const fixture = path.join(__dirname, "fixtures", "options");
const PROJECT = "runner-options";
const ITEM = "pulumi-nodejs:dynamic/test:Item";
const GROUP = "test:index:Group";
const urn = (type: string, name: string): string => `urn:pulumi:dev::${PROJECT}::${type}::${name}`;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Case {
  run(
    command: Command,
    step?: number,
    more?: string[],
    options?: Partial<LifecycleOptions>,
  ): Promise<LifecycleResult>;
  /** `op name` of every provider operation so far. */
  events(): string[];
  records(): string[];
  state(): StackState;
}

function program(kase: string): Case {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-options-"));
  dirs.push(dir);
  const db = path.join(dir, "db.json");
  const statePath = path.join(dir, "state.json");
  return {
    run: (command, step = 1, more = [], options = {}) =>
      runLifecycle(command, {
        ...options,
        cwd: fixture,
        statePath,
        config: [`db=${db}`, `case=${kase}`, `step=${step}`, ...more],
      }),
    events: () =>
      fs.existsSync(`${db}.log`)
        ? fs
            .readFileSync(`${db}.log`, "utf8")
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as { op: string; name: string })
            .filter((e) => e.op !== "create-start")
            .map((e) => `${e.op} ${e.name}`)
        : [],
    records: () =>
      fs.existsSync(db)
        ? Object.values(JSON.parse(fs.readFileSync(db, "utf8")) as Record<string, { name: string }>)
            .map((r) => r.name)
            .sort()
        : [],
    state: () => loadState(statePath, PROJECT, "dev"),
  };
}

const brief = (r: LifecycleResult): string[] => r.steps.map((s) => `${s.op} ${s.name} ${s.status}`);

describe("supported options", () => {
  it("protect: destroy refuses to delete, says how to unprotect; once removed from the program it deletes", async () => {
    const c = program("protect");
    expect((await c.run("up")).exitCode).toBe(0);
    expect(c.state().resources[0]?.protect).toBe(true);
    const refused = await c.run("destroy");
    expect(refused.exitCode).toBe(1);
    expect(refused.steps).toEqual([
      expect.objectContaining({
        op: "delete",
        name: "kept",
        status: "failed",
        error:
          "kept is protected, so it was not deleted; remove protect from its options and run up, then delete it",
      }),
    ]);
    expect(c.records()).toEqual(["kept"]);
    const unprotect = await c.run("up", 2);
    expect(unprotect.exitCode).toBe(0);
    expect(unprotect.steps).toEqual([]);
    expect(c.state().resources[0]?.protect).toBeUndefined();
    expect((await c.run("destroy", 2)).exitCode).toBe(0);
    expect(c.records()).toEqual([]);
  });

  it("protect: a change that would replace the object stops at up's preview, before any operation", async () => {
    const c = program("protect");
    expect((await c.run("up")).exitCode).toBe(0);
    const r = await c.run("up", 3);
    expect(r.exitCode).toBe(1);
    expect(r.steps).toEqual([
      expect.objectContaining({
        op: "replace",
        name: "kept",
        status: "failed",
        error:
          "kept is protected and a change to name would replace it; remove protect from its options first " +
          "(an up with protect removed changes nothing else)",
      }),
    ]);
    expect(c.events()).toEqual(["create kept"]);
  });

  it("moving a resource into a component with an alias is a no-change up; the state follows", async () => {
    const c = program("move-in");
    expect((await c.run("up")).exitCode).toBe(0);
    const id = c.state().resources[0]?.id;
    const r = await c.run("up", 2);
    expect(r.exitCode).toBe(0);
    expect(brief(r)).toEqual(["create home done"]);
    expect(c.events()).toEqual(["create solo"]);
    expect(c.state().resources.map((x) => [x.urn, x.parent, x.id])).toEqual([
      [urn(`test:index:Home$${ITEM}`, "solo"), urn("test:index:Home", "home"), id],
      [urn("test:index:Home", "home"), undefined, ""],
    ]);
  });

  it("protect is inherited from a component by its children", async () => {
    const c = program("protect-inherited");
    expect((await c.run("up")).exitCode).toBe(0);
    expect(c.state().resources.map((r) => [r.name, r.protect])).toEqual([
      ["grp", true],
      ["grp-1", true],
      ["grp-2", true],
    ]);
    const refused = await c.run("destroy");
    expect(refused.exitCode).toBe(1);
    expect(brief(refused).sort()).toEqual([
      "delete grp failed",
      "delete grp-1 failed",
      "delete grp-2 failed",
    ]);
    expect(c.records()).toEqual(["grp-1", "grp-2"]);
    expect((await c.run("up", 2)).exitCode).toBe(0);
    expect((await c.run("destroy", 2)).exitCode).toBe(0);
    expect(c.records()).toEqual([]);
  });

  it("retainOnDelete: dropping the resource leaves the object in place and takes it out of the state", async () => {
    const c = program("retain");
    expect((await c.run("up")).exitCode).toBe(0);
    const r = await c.run("up", 2);
    expect(r.exitCode).toBe(0);
    expect(brief(r)).toEqual(["delete retained done"]);
    expect(r.output).toContain(
      " -  deleted        test:Item  retained  [retained: the object is left in place]\n",
    );
    expect(c.events()).toEqual(["create retained"]);
    expect(c.records()).toEqual(["retained"]);
    expect(c.state().resources).toEqual([]);
  });

  it("ignoreChanges, a nested path included: ignored changes are not applied, the others are", async () => {
    const c = program("ignore");
    expect((await c.run("up")).exitCode).toBe(0);
    const r = await c.run("up", 2);
    expect(r.exitCode).toBe(0);
    expect(r.steps.map((s) => [s.op, s.name, s.diffs])).toEqual([["update", "ig", ["~tags"]]]);
    expect(c.state().resources[0]?.inputs).toMatchObject({
      value: 1,
      tags: { owner: "team-1", tier: "silver" },
    });
    expect((await c.run("up", 2)).steps).toEqual([]);
  });

  it("dependsOn a component means all its children: created before, deleted after the dependent", async () => {
    const c = program("depends-on-component");
    expect((await c.run("up")).exitCode).toBe(0);
    const created = c.events();
    expect(created.indexOf("create after")).toBeGreaterThan(created.indexOf("create grp-1"));
    expect(created.indexOf("create after")).toBeGreaterThan(created.indexOf("create grp-2"));
    const after = c.state().resources.find((r) => r.name === "after");
    expect(after?.dependencies).toEqual(
      expect.arrayContaining([urn(`${GROUP}$${ITEM}`, "grp-1"), urn(`${GROUP}$${ITEM}`, "grp-2")]),
    );
    expect((await c.run("destroy")).exitCode).toBe(0);
    const deleted = c.events().slice(created.length);
    expect(deleted[0]).toBe("delete after");
    expect(deleted.slice(1).sort()).toEqual(["delete grp-1", "delete grp-2"]);
  });

  it("replaceOnChanges: a change to a listed input replaces, create before delete", async () => {
    const c = program("replace-on-changes");
    expect((await c.run("up")).exitCode).toBe(0);
    const r = await c.run("up", 2);
    expect(r.exitCode).toBe(0);
    expect(r.steps.map((s) => [s.op, s.name, s.diffs, s.replaces])).toEqual([
      ["replace", "roc", ["~value"], ["value"]],
    ]);
    expect(c.events()).toEqual(["create roc", "create roc", "delete roc"]);
  });

  it("a rename without an alias replaces; with an alias it is a no-change up that moves the state", async () => {
    const plainRename = program("rename");
    expect((await plainRename.run("up")).exitCode).toBe(0);
    const r = await plainRename.run("up", 2);
    expect(r.exitCode).toBe(0);
    expect(brief(r).sort()).toEqual(["create new-name done", "delete old-name done"]);

    const aliased = program("rename");
    expect((await aliased.run("up")).exitCode).toBe(0);
    const id = aliased.state().resources[0]?.id;
    const a = await aliased.run("up", 2, ["alias=true"]);
    expect(a.exitCode).toBe(0);
    expect(a.steps).toEqual([]);
    expect(aliased.events()).toEqual(["create renamed"]);
    expect(aliased.state().resources.map((x) => [x.urn, x.name, x.id])).toEqual([
      [urn(ITEM, "new-name"), "new-name", id],
    ]);
  });
});

describe("refused before any operation, naming the feature and the alternative", () => {
  it.each([
    [
      "custom-timeouts",
      "timed",
      "the customTimeouts option is not supported by confluent-iam (Pulumi's dynamic-provider host ignores it); " +
        "remove it and bound the whole run with CONFLUENT_IAM_RUN_TIMEOUT_MS, or run this program with the Pulumi CLI",
    ],
    [
      "other-provider",
      "bucket",
      "resources of other providers (aws:s3/bucket:Bucket) are not supported by confluent-iam, which drives only " +
        "dynamic-provider resources such as this package's; remove it from this program, or run this program with the Pulumi CLI",
    ],
    [
      "deleted-with",
      "second",
      "the deletedWith option is not supported by confluent-iam; remove it, or run this program with the Pulumi CLI",
    ],
  ])("%s", async (kase, name, message) => {
    const c = program(kase);
    const r = await c.run("up");
    expect(r.exitCode).toBe(1);
    expect(r.steps.filter((s) => s.status === "failed")).toEqual([
      expect.objectContaining({ name, status: "failed", error: message }),
    ]);
    expect(r.output).toContain(`      error: ${message}\n`);
    expect(r.output).toContain(
      "\nerror: the preview failed, so up stopped before changing anything; nothing was applied\n",
    );
    expect(c.events()).toEqual([]);
  });

  it.each([
    [
      "stack-reference",
      "stack references (acme/network/prod) are not supported by confluent-iam; pass the other " +
        "stack's outputs in as config (--config key=value), or run this program with the Pulumi CLI",
    ],
    [
      "get",
      "reading an existing resource (aws:s3/bucket:Bucket.get, existing) is not supported by confluent-iam; " +
        "adopt it with the import option (this package's classes), or run this program with the Pulumi CLI",
    ],
    [
      "invoke",
      "function calls (invokes such as aws:index/getRegion:getRegion) are not supported by " +
        "confluent-iam; use this package's lookup functions (getServiceAccount, ...), which call the API " +
        "themselves, or run this program with the Pulumi CLI",
    ],
    [
      "transforms",
      "the transforms resource option is not supported by confluent-iam; use transformations " +
        "(which the SDK applies in the program), or run this program with the Pulumi CLI",
    ],
  ])("%s", async (kase, message) => {
    const c = program(kase);
    const r = await c.run("up");
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual([message]);
    expect(r.output).toContain(`error: ${message}\n`);
    expect(c.events()).toEqual([]);
  });
});

it("skipPreview: up applies at once, so a refusal comes as the resource registers, after earlier ones exist", async () => {
  const c = program("custom-timeouts");
  const r = await c.run("up", 1, [], { skipPreview: true });
  expect(r.exitCode).toBe(1);
  expect(r.output).not.toContain("Previewing update");
  expect(r.steps.map((s) => `${s.op} ${s.name} ${s.status}`).sort()).toEqual([
    "create first done",
    "create timed failed",
  ]);
  expect(c.events()).toEqual(["create first"]);
});
