import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runLifecycle, type LifecycleResult } from "../../runner";
import { loadState } from "../../runner/state";
import { SECRET_SIG, SPECIAL_SIG_KEY } from "../../protocol";

// The engine against a tiny file-backed dynamic provider of the test's own (fixtures/items): each command
// runs in its own child process, as the CLI does.
const fixture = path.join(__dirname, "fixtures", "items");
const urnOf = (name: string): string =>
  `urn:pulumi:dev::runner-items::pulumi-nodejs:dynamic/test:Item::${name}`;

interface Sandbox {
  dir: string;
  db: string;
  state: string;
  run(
    command: "preview" | "up" | "refresh" | "destroy",
    config?: string[],
    parallel?: number,
  ): Promise<LifecycleResult>;
  events(): Array<{ op: string; name: string; id?: string; inflight?: number }>;
  records(): Record<string, { name: string; value: number }>;
}

function sandbox(): Sandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-engine-"));
  const db = path.join(dir, "db.json");
  const state = path.join(dir, "state.json");
  return {
    dir,
    db,
    state,
    run: (command, config = [], parallel) =>
      runLifecycle(command, { cwd: fixture, statePath: state, config: [`db=${db}`, ...config], parallel }),
    events: () =>
      fs.existsSync(`${db}.log`)
        ? fs
            .readFileSync(`${db}.log`, "utf8")
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as { op: string; name: string; id?: string; inflight?: number })
        : [],
    records: () =>
      fs.existsSync(db)
        ? (JSON.parse(fs.readFileSync(db, "utf8")) as Record<string, { name: string; value: number }>)
        : {},
  };
}

const brief = (r: LifecycleResult): string[] => r.steps.map((s) => `${s.op} ${s.name} ${s.status}`);

describe("lifecycle of a program (preview, up, up again, edit, refresh, destroy)", () => {
  const sb = sandbox();
  afterAll(() => fs.rmSync(sb.dir, { recursive: true, force: true }));

  it("preview plans three creates, shows unknown outputs and changes nothing", async () => {
    const r = await sb.run("preview");
    expect(r.exitCode).toBe(0);
    expect(brief(r)).toEqual(["create a planned", "create b planned", "create c planned"]);
    expect(r.outputs).toEqual({ aId: "[unknown]", bRef: "[unknown]", bToken: "[unknown]", plain: "hello" });
    expect(r.output).toContain(" +  create         test:Item  a\n");
    expect(r.output).toContain("    +  3 to create\n");
    expect(fs.existsSync(sb.db)).toBe(false);
    expect(fs.existsSync(sb.state)).toBe(false);
  });

  it("up creates everything in dependency order, records dependencies and keeps secrets marked", async () => {
    const r = await sb.run("up");
    expect(r.exitCode).toBe(0);
    expect(brief(r)).toEqual(["create a done", "create b done", "create c done"]);
    expect(
      sb
        .events()
        .filter((e) => e.op === "create")
        .map((e) => e.name),
    ).toEqual(["a", "b", "c"]);
    expect(r.outputs).toEqual({ aId: "item-1", bRef: "item-1", bToken: "[secret]", plain: "hello" });
    expect(r.output).toContain("    bToken: [secret]\n");
    expect(r.output).not.toContain("tok-item");

    const st = loadState(sb.state, "runner-items", "dev");
    expect(st.resources.map((x) => [x.name, x.id, x.dependencies])).toEqual([
      ["a", "item-1", []],
      ["b", "item-2", [urnOf("a")]],
      ["c", "item-3", [urnOf("b")]],
    ]);
    const b = st.resources[1];
    expect(b?.secretOutputs).toEqual(["token"]);
    expect(b?.outputs.token).toEqual({ [SPECIAL_SIG_KEY]: SECRET_SIG, value: "tok-item-2" });
    expect(b?.outputs[`__provider`]).toBeUndefined();
    expect(st.outputs.bToken).toEqual({ [SPECIAL_SIG_KEY]: SECRET_SIG, value: "tok-item-2" });
  });

  it("a second up is a no-op: no provider writes", async () => {
    const before = sb.events().length;
    const r = await sb.run("up");
    expect(r.exitCode).toBe(0);
    expect(r.steps).toEqual([]);
    expect(r.summary.same).toBe(3);
    expect(sb.events()).toHaveLength(before);
  });

  it("preview of the edited program plans update, replace, create and delete and changes nothing", async () => {
    const before = fs.readFileSync(sb.state, "utf8");
    const r = await sb.run("preview", ["step=2"]);
    expect(r.exitCode).toBe(0);
    expect(brief(r).sort()).toEqual([
      "create d planned",
      "delete c planned",
      "replace b planned",
      "update a planned",
    ]);
    expect(r.steps.find((s) => s.name === "b")?.replaces).toEqual(["name"]);
    expect(r.steps.find((s) => s.name === "a")?.diffs).toEqual(["~value"]);
    expect(fs.readFileSync(sb.state, "utf8")).toBe(before);
  });

  it("up of the edited program updates in place, replaces create-before-delete and deletes dependents first", async () => {
    const before = sb.events().length;
    const r = await sb.run("up", ["step=2", "note=n0te"]);
    expect(r.exitCode).toBe(0);
    expect(brief(r).sort()).toEqual(["create d done", "delete c done", "replace b done", "update a done"]);
    const ops = sb
      .events()
      .slice(before)
      .filter((e) => e.op !== "create-start")
      .map((e) => `${e.op} ${e.name}`);
    // b2 (the replacement) exists before old b is deleted; c (which depends on b) goes before b.
    expect(ops.indexOf("create b2")).toBeLessThan(ops.indexOf("delete b"));
    expect(ops.indexOf("delete c")).toBeLessThan(ops.indexOf("delete b"));
    expect(ops).toContain("update a");
    expect(
      Object.values(sb.records())
        .map((x) => x.name)
        .sort(),
    ).toEqual(["a", "b2", "d"]);
    const st = loadState(sb.state, "runner-items", "dev");
    expect(st.resources.some((x) => x.pendingDelete)).toBe(false);
    // A secret config value flowing into an input stays secret in state, as input and as output.
    const d = st.resources.find((x) => x.name === "d");
    expect(d?.inputs.note).toEqual({ [SPECIAL_SIG_KEY]: SECRET_SIG, value: "n0te" });
    expect(d?.outputs.note).toEqual({ [SPECIAL_SIG_KEY]: SECRET_SIG, value: "n0te" });
    expect(d?.secretOutputs).toEqual(["note", "token"]);
  });

  it("refresh after an out-of-band change records the drift and the object that is gone", async () => {
    const recs = sb.records();
    const dId = Object.keys(recs).find((k) => recs[k]?.name === "d") ?? "";
    const rec = recs["item-1"];
    if (rec) rec.value = 99;
    delete recs[dId];
    fs.writeFileSync(sb.db, JSON.stringify(recs));
    const r = await sb.run("refresh", ["step=2"]);
    expect(r.exitCode).toBe(0);
    expect(brief(r).sort()).toEqual(["delete d done", "update a done"]);
    expect(r.steps.find((s) => s.name === "a")?.diffs).toEqual(["~value"]);
    expect(r.output).toContain(" ~  changed        test:Item  a  [diff: ~value]\n");
    const st = loadState(sb.state, "runner-items", "dev");
    expect(st.resources.find((x) => x.name === "a")?.outputs.value).toBe(99);
    expect(st.resources.find((x) => x.name === "d")).toBeUndefined();
    // The next up puts the value back and recreates d.
    const up = await sb.run("up", ["step=2"]);
    expect(brief(up).sort()).toEqual(["create d done", "update a done"]);
    expect(up.steps.find((s) => s.name === "a")?.diffs).toEqual(["~value"]);
  });

  it("destroy deletes everything, dependents first, and empties the state", async () => {
    const before = sb.events().length;
    const r = await sb.run("destroy");
    expect(r.exitCode).toBe(0);
    expect(r.summary.delete).toBe(3);
    const deletes = sb
      .events()
      .slice(before)
      .map((e) => e.name);
    expect(deletes.indexOf("b2")).toBeLessThan(deletes.indexOf("a"));
    expect(sb.records()).toEqual({});
    expect(loadState(sb.state, "runner-items", "dev").resources).toEqual([]);
  });
});

describe("engine details", () => {
  const sbs: Sandbox[] = [];
  const fresh = (): Sandbox => {
    const s = sandbox();
    sbs.push(s);
    return s;
  };
  afterAll(() => {
    for (const s of sbs) fs.rmSync(s.dir, { recursive: true, force: true });
  });

  it("--parallel bounds independent operations; without a tight bound they overlap", async () => {
    const two = fresh();
    expect((await two.run("up", ["fanout=5"], 2)).exitCode).toBe(0);
    const peak2 = Math.max(...two.events().map((e) => e.inflight ?? 0));
    expect(peak2).toBe(2);
    const five = fresh();
    expect((await five.run("up", ["fanout=5"], 5)).exitCode).toBe(0);
    expect(Math.max(...five.events().map((e) => e.inflight ?? 0))).toBeGreaterThan(2);
  });

  it("delete-before-replace deletes the old object before creating its replacement", async () => {
    const sb = fresh();
    expect((await sb.run("up", ["dbr=true"])).exitCode).toBe(0);
    const before = sb.events().length;
    const r = await sb.run("up", ["dbr=true", "step=2"]);
    expect(r.exitCode).toBe(0);
    const ops = sb
      .events()
      .slice(before)
      .filter((e) => e.op !== "create-start")
      .map((e) => `${e.op} ${e.name}`);
    expect(ops.indexOf("delete b")).toBeLessThan(ops.indexOf("create b2"));
  });

  it("check failures fail the run with the property and reason, and nothing is deleted", async () => {
    const sb = fresh();
    expect((await sb.run("up")).exitCode).toBe(0);
    // step 2 drops c; the failed check must stop the run before that delete.
    const r = await sb.run("up", ["fail=check", "step=2"]);
    expect(r.exitCode).toBe(1);
    const bad = r.steps.find((s) => s.name === "bad");
    expect(bad).toMatchObject({
      op: "create",
      status: "failed",
      error: "invalid inputs: name: name must be a non-empty string",
    });
    expect(r.output).toContain("      error: invalid inputs: name: name must be a non-empty string\n");
    expect(sb.events().some((e) => e.name === "")).toBe(false);
    expect(sb.events().some((e) => e.op === "delete")).toBe(false);
    // up's preview finds it, so up stops before any change.
    expect(r.output).toContain(
      "\nerror: the preview failed, so up stopped before changing anything; nothing was applied\n",
    );
    expect(Object.values(sb.records()).map((x) => x.name)).toContain("c");
  });

  it("a create that fails with partial state keeps the object in state and says so", async () => {
    const sb = fresh();
    const r = await sb.run("up", ["fail=init"]);
    expect(r.exitCode).toBe(1);
    const broken = r.steps.find((s) => s.name === "broken");
    expect(broken?.status).toBe("failed");
    expect(broken?.error).toMatch(
      /^item-\d+ was created but never became ready \(the object item-\d+ was created and is kept in state\)$/,
    );
    const kept = loadState(sb.state, "runner-items", "dev").resources.find((x) => x.name === "broken");
    expect(kept?.initFailed).toBe(true);
    expect(kept?.id).toMatch(/^item-\d+$/);
    expect(kept?.outputs.state).toBe("PROVISIONING");
    // destroy removes it too.
    expect((await sb.run("destroy", ["fail=init"])).exitCode).toBe(0);
    expect(sb.records()).toEqual({});
  });

  it("a resource that failed to initialize is updated by the next up (as the engine retries it), then left alone", async () => {
    const sb = fresh();
    expect((await sb.run("up", ["fail=init"])).exitCode).toBe(1);
    const id = loadState(sb.state, "runner-items", "dev").resources.find((x) => x.name === "broken")?.id;
    const before = sb.events().length;
    const r = await sb.run("up", ["fail=init"]);
    expect(r.exitCode).toBe(0);
    expect(brief(r)).toEqual(["update broken done"]);
    expect(sb.events().slice(before)).toEqual([{ op: "update", name: "broken", id }]);
    const kept = loadState(sb.state, "runner-items", "dev").resources.find((x) => x.name === "broken");
    expect(kept?.initFailed).toBeUndefined();
    expect(kept?.id).toBe(id);
    const third = await sb.run("up", ["fail=init"]);
    expect(third.steps).toEqual([]);
    expect(sb.events().slice(before)).toHaveLength(1);
  });

  it("a rejection the program handles late is no error and prints no PromiseRejectionHandledWarning", async () => {
    const ok = await fresh().run("up", ["lateCatch=true"]);
    expect(ok.errors).toEqual([]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stderr).toBe("");
    const failed = await fresh().run("up", ["lateCatch=true", "fail=plain"]);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toBe("");
    expect(failed.output).not.toContain("Warning");
  });

  it("a plain create failure exits non-zero with the provider's message", async () => {
    const sb = fresh();
    const r = await sb.run("up", ["fail=plain"]);
    expect(r.exitCode).toBe(1);
    expect(r.steps.find((s) => s.name === "broken")).toMatchObject({
      status: "failed",
      error: "cannot create broken: quota exceeded",
    });
    expect(
      loadState(sb.state, "runner-items", "dev")
        .resources.map((x) => x.name)
        .sort(),
    ).toEqual(["a", "b", "c"]);
  });
});

describe("run time limit", () => {
  it("a command that does not finish within timeoutMs is stopped (SIGKILL) and reported as failed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-hang-"));
    const r = await runLifecycle("up", {
      cwd: path.join(__dirname, "fixtures", "hang"),
      statePath: path.join(dir, "state.json"),
      timeoutMs: 4_000,
    });
    expect(r.ok).toBe(false);
    expect(r.exitCode).toBe(1);
    const message =
      "up did not finish within 4000 ms (the run time limit) and was stopped, with its provider host; " +
      "no provider operation was under way. The state keeps every operation that finished: run refresh, then up again.";
    expect(r.errors).toEqual([message]);
    expect(r.output.endsWith(`error: ${message}\n`)).toBe(true);
  });
});
