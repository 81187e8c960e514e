/**
 * The routes of a plain object, built from one description: list (GET), create (POST), read (GET `{id}`),
 * update (PATCH or PUT `{id}`) and delete (DELETE `{id}`). What differs between objects (the body schemas, the
 * row a create makes, how an update applies, the rendering, the unique attributes, the page sizes, the
 * "missing" answer, what a delete refuses or takes along) is said in {@link CrudOptions}; the order of the
 * checks is the same for every object: find (404 before the body is looked at), parse the body, check it
 * against other rows, check uniqueness, make the id, write, answer.
 *
 * A collection under a parent (`/iam/v2/certificate-authorities/:ca/identity-pools`) keeps its parent in its
 * rows: `parent` says how a request's parent is found (and answers when it is missing) and which rows are
 * under it.
 */
import type { z } from "zod";
import { find, findVisible, newBase, nowIso, type Ctx, type Reply } from "./context";
import type { BaseRecord } from "./db";
import type { ApiError } from "./errors";
import type { Table } from "./objects/types";
import { paginate, type ListShape, type PageLimits } from "./pagination";
import type { Route } from "./router";
import { parseBody } from "./validate";

/** One object's CRUD routes. `C` is the parsed create body, `U` the parsed update body. */
export interface CrudOptions<Row extends BaseRecord, C, U> {
  /** The collection's path pattern; `:name` segments are parent ids (`ctx.params`). Items are `<path>/:id`. */
  path: string;
  table: Table<Row>;
  /** A new id (`ctx.env.db.nextId("sa-")`). */
  newId: (ctx: Ctx) => string;
  /** The "missing" answer of an id that names nothing (also for a row under another parent). */
  missing: (ctx: Ctx) => ApiError;
  render: (ctx: Ctx, row: Row) => unknown;
  list: {
    limits: PageLimits;
    shape: ListShape;
    /** Query filters (`display_name`), applied before paging. */
    filter?: (ctx: Ctx, rows: Row[]) => Row[];
  };
  /** POST: its body schema, and the row it makes from the parsed body and the fresh base fields. */
  create: {
    schema: z.ZodType<C, z.ZodTypeDef, unknown>;
    build: (ctx: Ctx, input: C, base: BaseRecord) => Row;
    /** Throws when the parsed body is refused for what other rows hold (a referenced row missing). */
    check?: (ctx: Ctx, input: C) => void;
    /** What a create does besides writing the row (a role binding it grants), after the row is written. */
    created?: (ctx: Ctx, row: Row) => void;
    /** The status of a body that fails validation: 422, or 400 where the spec lists no 422. */
    invalidStatus?: 400 | 422;
  };
  /** PATCH (only the fields sent change) or PUT (the whole body); absent: no update route (405). */
  update?: {
    method: "PATCH" | "PUT";
    schema: z.ZodType<U, z.ZodTypeDef, unknown>;
    /** Writes the parsed body into the row (`updated_at` is set afterwards). */
    apply: (ctx: Ctx, row: Row, input: U) => void;
    /** Throws when the parsed body is refused, given the row as it is. */
    check?: (ctx: Ctx, row: Row, input: U) => void;
    invalidStatus?: 400 | 422;
  };
  /**
   * Throws when a unique attribute of the create (`self` undefined) or update body is taken by another row
   * (a 409 naming it).
   */
  unique?: (ctx: Ctx, input: C | U, self: Row | undefined) => void;
  /** A parent in the path: `check` throws its missing answer; `owns` says whether a row is under it. */
  parent?: {
    check: (ctx: Ctx) => void;
    owns: (ctx: Ctx, row: Row) => boolean;
  };
  delete?: {
    /** Throws when the row cannot go (a 409 or 400 naming what holds it). */
    refuse?: (ctx: Ctx, row: Row) => void;
    /** What goes with it (API keys and role bindings of a principal). */
    cascade?: (ctx: Ctx, row: Row) => void;
    /** 204 without a body (default), or 200 with the deleted object (as some specs say). */
    answer?: 204 | 200;
  };
}

/** The collection path of a request: the pattern with its parent ids filled in. */
function collectionPath(pattern: string, ctx: Ctx): string {
  return pattern.replace(/:([A-Za-z_]+)/g, (_m, name: string) => ctx.params[name] ?? "");
}

/** The five routes (four without `update`) of one object. */
export function crudRoutes<Row extends BaseRecord, C, U = never>(o: CrudOptions<Row, C, U>): Route[] {
  const rows = (ctx: Ctx) => ctx.env.db.rows(o.table);
  const under = (ctx: Ctx, row: Row | undefined): Row | undefined =>
    row !== undefined && (o.parent === undefined || o.parent.owns(ctx, row)) ? row : undefined;
  /** The row of a write (read lag does not apply), or the missing answer. */
  const existing = (ctx: Ctx): Row => {
    o.parent?.check(ctx);
    const row = under(ctx, find(ctx, o.table, ctx.params.id ?? ""));
    if (row === undefined) throw o.missing(ctx);
    return row;
  };
  const item = `${o.path}/:id`;

  const routes: Route[] = [
    {
      method: "GET",
      path: o.path,
      handler: (ctx): Reply => {
        o.parent?.check(ctx);
        let items = [...rows(ctx).values()].filter((r) => under(ctx, r) !== undefined);
        if (o.list.filter) items = o.list.filter(ctx, items);
        return paginate(ctx, items, o.list.limits, o.list.shape, (r) => o.render(ctx, r));
      },
    },
    {
      method: "POST",
      path: o.path,
      handler: (ctx): Reply => {
        o.parent?.check(ctx);
        const input = parseBody(o.create.schema, ctx.body, "", o.create.invalidStatus ?? 422);
        o.create.check?.(ctx, input);
        o.unique?.(ctx, input, undefined);
        const row = o.create.build(ctx, input, newBase(ctx, o.newId(ctx)));
        rows(ctx).set(row.id, row);
        o.create.created?.(ctx, row);
        const location = `${ctx.base}${collectionPath(o.path, ctx)}/${row.id}`;
        return { status: 201, body: o.render(ctx, row), headers: { Location: location } };
      },
    },
    {
      method: "GET",
      path: item,
      handler: (ctx): Reply => {
        o.parent?.check(ctx);
        const row = under(ctx, findVisible(ctx, o.table, ctx.params.id ?? ""));
        if (row === undefined) throw o.missing(ctx);
        return { status: 200, body: o.render(ctx, row) };
      },
    },
  ];
  const update = o.update;
  if (update) {
    routes.push({
      method: update.method,
      path: item,
      handler: (ctx): Reply => {
        const row = existing(ctx);
        const input = parseBody(update.schema, ctx.body, "", update.invalidStatus ?? 422);
        update.check?.(ctx, row, input);
        o.unique?.(ctx, input, row);
        update.apply(ctx, row, input);
        row.updated_at = nowIso(ctx);
        return { status: 200, body: o.render(ctx, row) };
      },
    });
  }
  routes.push({
    method: "DELETE",
    path: item,
    handler: (ctx): Reply => {
      const row = existing(ctx);
      o.delete?.refuse?.(ctx, row);
      // Rendered before it goes: a 200 answers the object as it was.
      const body = o.delete?.answer === 200 ? o.render(ctx, row) : undefined;
      rows(ctx).delete(row.id);
      o.delete?.cascade?.(ctx, row);
      return body === undefined ? { status: 204 } : { status: 200, body };
    },
  });
  return routes;
}
