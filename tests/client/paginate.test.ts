import { z } from "zod";
import { ResponseValidationError, type ConfluentClient } from "../../provider/client";
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
  test("follows absolute metadata.next links over three pages, page_size only on the first request", async () => {
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

  test("a next link to another host is refused (it would receive our credentials)", async () => {
    pages({ "": { ids: ["a"], next: "https://evil.example/iam/v2/users?page_token=t2" } });
    const err = await rejectionOf(collect(client.paginate("/iam/v2/users", { itemSchema: item })));
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.message).toBe(
      "GET /iam/v2/users answered 200 with an unexpected body: metadata.next: points to another host (evil.example), refusing to send credentials there",
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
