/**
 * A test-only emulator object, written as a new object file in emulator/objects/ would be: its record, its
 * table, its routes, what RBAC asks of them, its seeded rows and a control hook. tests/emulator/registry.test.ts
 * registers it next to the real objects (the one line `[...objects, widgets]`) and finds it served,
 * persisted, dumped, reset and guarded with nothing else changed.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { find, findVisible, newBase, nowIso, type Ctx } from "../../emulator/context";
import type { BaseRecord } from "../../emulator/db";
import { apiError, type ApiError } from "../../emulator/errors";
import { table, type EmulatorObject } from "../../emulator/objects/types";
import { paginate } from "../../emulator/pagination";
import { orgWide } from "../../emulator/rbac";
import type { Route } from "../../emulator/router";
import { parseBody, requiredString } from "../../emulator/validate";

/** A stored widget. */
export interface WidgetRecord extends BaseRecord {
  display_name: string;
  polished: boolean;
  /** Kept in the data file, left out of the dump (as API keys' secret hashes are). */
  token_sha256: string;
}

export const widgetsTable = table<WidgetRecord>("widgets", { hiddenInDump: ["token_sha256"] });

export const WIDGETS_PATH = "/test/v1/widgets";

const createSchema = z.object({ display_name: requiredString });

function missing(): ApiError {
  return apiError(404, "widget_not_found", "Widget Not Found");
}

function render(w: WidgetRecord): unknown {
  return { kind: "Widget", id: w.id, display_name: w.display_name, polished: w.polished };
}

const routes: Route[] = [
  {
    method: "GET",
    path: WIDGETS_PATH,
    handler: (ctx) =>
      paginate(
        ctx,
        [...ctx.env.db.rows(widgetsTable).values()],
        { defaultSize: 10, maxSize: 100 },
        { apiVersion: "test/v1", kind: "WidgetList" },
        render,
      ),
  },
  {
    method: "POST",
    path: WIDGETS_PATH,
    handler: (ctx) => {
      const input = parseBody(createSchema, ctx.body);
      const w: WidgetRecord = {
        ...newBase(ctx, ctx.env.db.nextId("wg-", 4)),
        display_name: input.display_name,
        polished: false,
        token_sha256: createHash("sha256").update(input.display_name).digest("hex"),
      };
      ctx.env.db.rows(widgetsTable).set(w.id, w);
      return { status: 201, body: render(w) };
    },
  },
  {
    method: "GET",
    path: `${WIDGETS_PATH}/:id`,
    handler: (ctx) => {
      const w = findVisible(ctx, widgetsTable, ctx.params.id ?? "");
      if (!w) throw missing();
      return { status: 200, body: render(w) };
    },
  },
  {
    method: "DELETE",
    path: `${WIDGETS_PATH}/:id`,
    handler: (ctx) => {
      const w = find(ctx, widgetsTable, ctx.params.id ?? "");
      if (!w) throw missing();
      ctx.env.db.rows(widgetsTable).delete(w.id);
      return { status: 204 };
    },
  },
];

function polish(ctx: Ctx): unknown {
  const w = find(ctx, widgetsTable, ctx.params.id ?? "");
  if (!w) throw missing();
  w.polished = true;
  w.updated_at = nowIso(ctx);
  return render(w);
}

/** Widgets: one seeded per environment of the seed; a control hook polishes one. */
export const widgets: EmulatorObject = {
  name: "widgets",
  tables: [widgetsTable],
  routes,
  access: (r) => orgWide(r.method, "service-accounts"),
  controlRoutes: [
    {
      method: "POST",
      path: "/_emulator/widgets/:id/polish",
      handler: (ctx) => ({ status: 200, body: polish(ctx) }),
    },
  ],
  applySeed: (db, seed, now) => {
    const iso = new Date(now).toISOString();
    for (const e of seed.environments) {
      const id = `wg-seed-${e.id}`;
      db.rows(widgetsTable).set(id, {
        id,
        created_at: iso,
        updated_at: iso,
        visible_at_ms: 0,
        display_name: `seeded for ${e.id}`,
        polished: false,
        token_sha256: "0".repeat(64),
      });
    }
  },
};
