/**
 * The object registry (emulator/objects/index.ts, emulator/README.md "Adding an object"): a new object is one
 * file plus one line in the list. The test-only widget object (./widget-object.ts) is registered next to the
 * real ones and is served, guarded, persisted, dumped, reset and seeded with nothing else changed; then the
 * invariants every registered object must keep.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BaseRecord } from "../../emulator/db";
import { Db } from "../../emulator/db";
import { objects } from "../../emulator/objects";
import { table, type EmulatorObject } from "../../emulator/objects/types";
import { Router } from "../../emulator/router";
import { isArmPath } from "../../emulator/routes";
import { Emulator } from "../../emulator/server";
import { arr, basic, pick, str, theError, type Answer } from "./helpers";
import { widgets, widgetsTable, WIDGETS_PATH } from "./widget-object";

interface Served {
  emu: Emulator;
  url: string;
  call(method: string, path: string, body?: unknown, auth?: string): Promise<Answer>;
  close(): Promise<void>;
}

async function serve(list: readonly EmulatorObject[], dataFile?: string): Promise<Served> {
  const emu = new Emulator({ dataFile }, list);
  const port = await emu.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${port}`;
  const admin = basic(emu.apiKey, emu.apiSecret);
  return {
    emu,
    url,
    call: async (method, path, body, auth = admin) => {
      const headers: Record<string, string> = { authorization: auth };
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(url + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text === "" ? undefined : JSON.parse(text) };
    },
    close: () => emu.close(),
  };
}

const tableNames = (list: readonly EmulatorObject[]) => list.flatMap((o) => o.tables.map((t) => t.name));

let dir: string;
let dataFile: string;
const open: Served[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "emulator-registry-"));
  dataFile = join(dir, "data.json");
});

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(list: readonly EmulatorObject[] = [...objects, widgets]): Promise<Served> {
  const s = await serve(list, dataFile);
  open.push(s);
  return s;
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

describe("a new object registered with one line", () => {
  it("is served: create, get, list and delete, with its own errors", async () => {
    const s = await start();
    const created = await s.call("POST", WIDGETS_PATH, { display_name: "first" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ kind: "Widget", id: "wg-0001", display_name: "first", polished: false });

    const got = await s.call("GET", `${WIDGETS_PATH}/wg-0001`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    const list = await s.call("GET", WIDGETS_PATH);
    expect(list.status).toBe(200);
    expect(pick(list.body, "kind")).toBe("WidgetList");
    // Lists are ordered by id (emulator/pagination.ts).
    expect(arr(list.body, "data").map((w) => str(w, "id"))).toEqual([
      "wg-0001",
      "wg-seed-env-demo01",
      "wg-seed-env-prod01",
    ]);

    const bad = await s.call("POST", WIDGETS_PATH, { display_name: "" });
    expect(bad.status).toBe(422);
    expect(theError(bad)).toMatchObject({
      code: "invalid_input",
      detail: "display_name: must not be empty",
      source: { pointer: "/display_name" },
    });

    expect((await s.call("DELETE", `${WIDGETS_PATH}/wg-0001`)).status).toBe(204);
    const gone = await s.call("GET", `${WIDGETS_PATH}/wg-0001`);
    expect(gone.status).toBe(404);
    expect(theError(gone)).toMatchObject({ code: "widget_not_found", detail: "Widget Not Found" });
    const wrongMethod = await s.call("PATCH", `${WIDGETS_PATH}/wg-0001`, {});
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, DELETE, HEAD");
  });

  it("is guarded by its own access rule: a key whose owner holds no binding is refused", async () => {
    const s = await start();
    const sa = await s.call("POST", "/iam/v2/service-accounts", { display_name: "no-roles" });
    const key = await s.call("POST", "/iam/v2/api-keys", { spec: { owner: { id: str(sa.body, "id") } } });
    expect(key.status).toBe(202);
    const auth = basic(str(key.body, "id"), str(key.body, "spec.secret"));
    const refused = await s.call("GET", WIDGETS_PATH, undefined, auth);
    expect(refused.status).toBe(403);
    expect(theError(refused)).toMatchObject({ code: "forbidden_access", detail: "Forbidden Access" });
    expect((await s.call("GET", WIDGETS_PATH)).status).toBe(200);
  });

  it("is persisted in the data file and read back by the next start", async () => {
    const first = await start();
    await first.call("POST", WIDGETS_PATH, { display_name: "kept" });
    await first.close();
    open.splice(0);

    const file = readJson(dataFile) as { db: { tables: Record<string, unknown[]>; counters: object } };
    expect(Object.keys(file.db.tables)).toEqual([...tableNames(objects), "widgets"]);
    expect(file.db.tables.widgets).toContainEqual(
      expect.objectContaining({ id: "wg-0001", display_name: "kept", token_sha256: expect.any(String) }),
    );
    expect(file.db.counters).toMatchObject({ "wg-": 1 });

    const second = await start();
    expect((await second.call("GET", `${WIDGETS_PATH}/wg-0001`)).body).toMatchObject({
      display_name: "kept",
    });
    const next = await second.call("POST", WIDGETS_PATH, { display_name: "after restart" });
    expect(str(next.body, "id")).toBe("wg-0002");
  });

  it("is in the dump, after every registered table, without the fields its table hides", async () => {
    const s = await start();
    await s.call("POST", WIDGETS_PATH, { display_name: "dumped" });
    const dump = await s.call("GET", "/_emulator/dump");
    expect(dump.status).toBe(200);
    expect(Object.keys(dump.body as object)).toEqual(["seed", ...tableNames(objects), "widgets"]);
    const rows = arr(dump.body, "widgets") as Record<string, unknown>[];
    expect(rows.map((r) => r.id)).toEqual(["wg-seed-env-demo01", "wg-seed-env-prod01", "wg-0001"]);
    for (const r of rows) expect(r).not.toHaveProperty("token_sha256");
    expect(rows[2]).toMatchObject({
      display_name: "dumped",
      polished: false,
      visible_at_ms: expect.any(Number),
    });
  });

  it("is emptied and re-seeded by a reset; its control hook's change is persisted", async () => {
    const s = await start();
    await s.call("POST", WIDGETS_PATH, { display_name: "temporary" });
    const polished = await s.call("POST", "/_emulator/widgets/wg-0001/polish");
    expect(polished.status).toBe(200);
    expect(polished.body).toMatchObject({ id: "wg-0001", polished: true });
    const persisted = readJson(dataFile) as { db: { tables: { widgets: Record<string, unknown>[] } } };
    expect(persisted.db.tables.widgets.find((w) => w.id === "wg-0001")).toMatchObject({ polished: true });
    const unknown = await s.call("POST", "/_emulator/widgets/wg-9999/polish");
    expect(unknown.status).toBe(404);
    expect(theError(unknown)).toMatchObject({ code: "widget_not_found" });

    expect((await s.call("POST", "/_emulator/reset")).status).toBe(200);
    const after = await s.call("GET", WIDGETS_PATH);
    expect(arr(after.body, "data").map((w) => str(w, "id"))).toEqual([
      "wg-seed-env-demo01",
      "wg-seed-env-prod01",
    ]);
  });

  it("reads a data file written before the object existed (its table starts empty but for the seed)", async () => {
    const old = await start(objects);
    await old.call("POST", "/iam/v2/service-accounts", { display_name: "from-before" });
    await old.close();
    open.splice(0);
    expect(Object.keys((readJson(dataFile) as { db: { tables: object } }).db.tables)).not.toContain(
      "widgets",
    );

    const s = await start();
    expect(arr((await s.call("GET", WIDGETS_PATH)).body, "data")).toEqual([]);
    const sas = await s.call("GET", "/iam/v2/service-accounts");
    expect(arr(sas.body, "data").map((x) => str(x, "display_name"))).toEqual(["from-before"]);
  });

  it("a data file holding a table no registered object declares is refused, naming the table", async () => {
    const s = await start();
    await s.close();
    open.splice(0);
    expect(() => new Emulator({ dataFile }, objects)).toThrow(
      `the data file ${dataFile} is not an emulator data file this version can read: db.tables: ` +
        `Unrecognized key(s) in object: 'widgets'. It was left as it is; fix it, or start with another --data file.`,
    );
  });
});

describe("the registry's shape", () => {
  const row = (id: string): BaseRecord => ({
    id,
    created_at: "2025-01-01T00:00:00.000Z",
    updated_at: "2025-01-01T00:00:00.000Z",
    visible_at_ms: 0,
  });

  it("a table outside the registry is a programming error that names the fix", () => {
    const db = new Db(objects.flatMap((o) => o.tables));
    expect(() => db.rows(widgetsTable)).toThrow(
      "the table widgets is not registered: add its object to the list in emulator/objects/index.ts",
    );
  });

  it("two objects declaring one table, or one route, are refused at start", () => {
    const twin: EmulatorObject = { ...widgets, name: "twin", routes: [] };
    expect(() => new Emulator({}, [...objects, widgets, twin])).toThrow(
      "two registered objects declare the table widgets",
    );
    const sameRoute: EmulatorObject = { ...widgets, name: "same route", tables: [table("other_widgets")] };
    expect(() => new Emulator({}, [...objects, widgets, sameRoute])).toThrow(
      `duplicate route GET ${WIDGETS_PATH}`,
    );
  });

  it("every table name is unique and every route (method and path) is unique", () => {
    const names = tableNames(objects);
    expect(new Set(names).size).toBe(names.length);
    const routes = objects.flatMap((o) => [...o.routes, ...(o.controlRoutes ?? [])]);
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(() => new Router(routes)).not.toThrow();
  });

  it("no two route patterns with as many parameters can match one path (so registry order never matters)", () => {
    const patterns = [...new Set(objects.flatMap((o) => o.routes.map((r) => r.path)))].map((p) =>
      p.split("/").filter(Boolean),
    );
    const params = (segs: string[]) => segs.filter((s) => s.startsWith(":")).length;
    const clashes: string[] = [];
    patterns.forEach((a, i) =>
      patterns.slice(i + 1).forEach((b) => {
        if (a.length !== b.length || params(a) !== params(b)) return;
        const overlap = a.every((s, k) => s === b[k] || s.startsWith(":") || b[k]?.startsWith(":"));
        if (overlap) clashes.push(`/${a.join("/")} and /${b.join("/")}`);
      }),
    );
    expect(clashes).toEqual([]);
  });

  it("every Cloud API route is guarded: only Azure Resource Manager routes have no access rule", () => {
    const open = objects.filter((o) => o.access === null);
    for (const o of open) expect(o.routes.filter((r) => !isArmPath(r.path))).toEqual([]);
    for (const o of objects) {
      for (const r of o.controlRoutes ?? []) expect(r.path.startsWith("/_emulator/")).toBe(true);
    }
  });

  it("every registered table is written to the data file and read back, and is in the dump", () => {
    const first = new Emulator({ dataFile }, objects);
    for (const t of first.db.tableList) first.db.rows(t).set(`probe-${t.name}`, row(`probe-${t.name}`));
    first.persist();
    const file = readJson(dataFile) as { db: { tables: Record<string, BaseRecord[]> } };
    expect(Object.keys(file.db.tables)).toEqual(tableNames(objects));
    for (const name of tableNames(objects)) expect(file.db.tables[name]).toContainEqual(row(`probe-${name}`));

    const second = new Emulator({ dataFile }, objects);
    for (const t of second.db.tableList)
      expect(second.db.rows(t).get(`probe-${t.name}`)).toEqual(row(`probe-${t.name}`));
    const dump = second.dump();
    expect(Object.keys(dump)).toEqual(["seed", ...tableNames(objects)]);
    for (const name of tableNames(objects)) expect(dump[name]).toContainEqual(row(`probe-${name}`));
  });

  it("a data file as this version wrote it before the registry still loads, table for table", () => {
    // The tables of a data file written before the registry existed, in that order (emulator/db.ts TABLES).
    // Tables are read by name: the registry's order (file names) need not match it.
    const before = [
      "users",
      "service_accounts",
      "api_keys",
      "invitations",
      "ip_groups",
      "ip_filters",
      "role_bindings",
      "identity_providers",
      "identity_pools",
      "integrations",
      "byok_keys",
    ];
    expect(tableNames(objects)).toEqual(expect.arrayContaining(before));
    new Emulator({ dataFile }, objects); // writes a fresh data file: its seed is reused below
    const seed = readJson(dataFile);
    const tables = Object.fromEntries(before.map((t) => [t, [row(`old-${t}`)]]));
    writeFileSync(dataFile, JSON.stringify({ seed: seed.seed, db: { version: 1, counters: {}, tables } }));
    const emu = new Emulator({ dataFile }, objects);
    for (const t of emu.db.tableList)
      expect([...emu.db.rows(t).keys()]).toEqual(before.includes(t.name) ? [`old-${t.name}`] : []);
  });
});
