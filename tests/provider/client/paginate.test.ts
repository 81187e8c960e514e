import { z } from "zod";
import { ResponseValidationError, type ConfluentClient } from "../../../provider/client";
import { clientFor, json, rejectionOf, startServer, type ScriptedServer } from "./server";

let server: ScriptedServer;
let client: ConfluentClient;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  ({ client } = clientFor(server));
});
afterEach(async () => {
  await client.close();
});

const item = z.object({ id: z.string() });

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Pages keyed by page_token ("" for the first), each with its items and `next` link. */
function pages(book: Record<string, { ids: string[]; next?: string | null }>): void {
  server.reset((req, res) => {
    const token = new URL(req.url, "http://x").searchParams.get("page_token") ?? "";
    const page = book[token];
    if (page === undefined) return json(res, 400, { errors: [{ detail: `unknown token ${token}` }] });
    const metadata = page.next === undefined ? {} : { next: page.next };
    json(res, 200, {
      api_version: "iam/v2",
      kind: "ServiceAccountList",
      metadata,
      data: page.ids.map((id) => ({ id })),
    });
  });
}

describe("paginate", () => {
  test("follows absolute metadata.next links over three pages, page_size on every request", async () => {
    pages({
      "": { ids: ["sa-1", "sa-2"], next: `${server.url}/iam/v2/service-accounts?page_size=2&page_token=t2` },
      t2: { ids: ["sa-3", "sa-4"], next: `${server.url}/iam/v2/service-accounts?page_size=2&page_token=t3` },
      t3: { ids: ["sa-5"], next: null },
    });
    const items = await collect(
      client.paginate("/iam/v2/service-accounts", { itemSchema: item, pageSize: 2 }),
    );
    expect(items.map((i) => i.id)).toEqual(["sa-1", "sa-2", "sa-3", "sa-4", "sa-5"]);
    expect(server.seen.map((s) => s.url)).toEqual([
      "/iam/v2/service-accounts?page_size=2",
      "/iam/v2/service-accounts?page_size=2&page_token=t2",
      "/iam/v2/service-accounts?page_size=2&page_token=t3",
    ]);
  });

  test.each([
    ["absent", undefined],
    ["empty", ""],
  ])("stops when metadata.next is %s", async (_name, next) => {
    pages({ "": { ids: ["a"], next: "/iam/v2/users?page_token=t2" }, t2: { ids: ["b"], next } });
    expect(await collect(client.paginate("/iam/v2/users", { itemSchema: item }))).toEqual([
      { id: "a" },
      { id: "b" },
    ]);
    expect(server.seen).toHaveLength(2);
  });

  test("keeps the first request's filters (role bindings need crn_pattern)", async () => {
    pages({ "": { ids: ["rb-1"] } });
    const crn = "crn://confluent.cloud/organization=o1/environment=env-1";
    await collect(
      client.paginate("/iam/v2/role-bindings", { itemSchema: item, query: { crn_pattern: crn } }),
    );
    expect(server.seen[0].url).toBe(`/iam/v2/role-bindings?crn_pattern=${encodeURIComponent(crn)}`);
  });

  test("a repeated page token is an error, not an endless loop", async () => {
    pages({
      "": { ids: ["a"], next: `${server.url}/iam/v2/users?page_token=t2` },
      t2: { ids: ["b"], next: `${server.url}/iam/v2/users?page_token=t2` },
    });
    const seenItems: string[] = [];
    const err = await rejectionOf(
      (async () => {
        for await (const x of client.paginate("/iam/v2/users", { itemSchema: item })) seenItems.push(x.id);
      })(),
    );
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.message).toBe(
      "GET /iam/v2/users answered 200 with an unexpected body: metadata.next: repeats the page token of an earlier page, stopping instead of looping",
    );
    expect(seenItems).toEqual(["a", "b"]);
    expect(server.seen).toHaveLength(2);
  });

  test("a next link on another host carrying only the token: the next page is asked of the configured endpoint, with the first request's path and query", async () => {
    // As the real API answers (recorded iam-v2/users/list__page_1.json): another origin, only page_token.
    const crn = "crn://confluent.cloud/organization=o1/environment=env-1";
    pages({
      "": { ids: ["rb-1"], next: "https://confluent.cloud/api/iam/v2/role-bindings?page_token=t2" },
      t2: { ids: ["rb-2"], next: "https://confluent.cloud/api/iam/v2/role-bindings?page_token=t3" },
      t3: { ids: ["rb-3"] },
    });
    const items = await collect(
      client.paginate("/iam/v2/role-bindings", {
        itemSchema: item,
        pageSize: 1,
        query: { crn_pattern: crn },
      }),
    );
    expect(items.map((i) => i.id)).toEqual(["rb-1", "rb-2", "rb-3"]);
    const q = `crn_pattern=${encodeURIComponent(crn)}&page_size=1`;
    expect(server.seen.map((s) => `${s.headers.host} ${s.url}`)).toEqual([
      `127.0.0.1:${server.port} /iam/v2/role-bindings?${q}`,
      `127.0.0.1:${server.port} /iam/v2/role-bindings?${q}&page_token=t2`,
      `127.0.0.1:${server.port} /iam/v2/role-bindings?${q}&page_token=t3`,
    ]);
  });

  test("a next link without a page_token is an error naming the field", async () => {
    pages({ "": { ids: ["a"], next: "https://confluent.cloud/api/iam/v2/users?page_size=2" } });
    const err = await rejectionOf(collect(client.paginate("/iam/v2/users", { itemSchema: item })));
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.message).toBe(
      "GET /iam/v2/users answered 200 with an unexpected body: metadata.next: carries no page_token, so the next page cannot be asked for",
    );
    expect(err).toMatchObject({ jsonPath: "metadata.next", status: 200 });
    expect(server.seen).toHaveLength(1);
  });

  test("an item that fails its schema names its index", async () => {
    server.reset((_req, res) => json(res, 200, { data: [{ id: "a" }, { id: 7 }], metadata: {} }));
    const err = await rejectionOf(collect(client.paginate("/iam/v2/users", { itemSchema: item })));
    expect(err.message).toBe(
      "GET /iam/v2/users answered 200 with an unexpected body: data[1].id: Expected string, received number",
    );
  });
});
