/**
 * The recorded real user list (iam-v2/users/list__page_1.json, list__page_2_last.json): page 1's `next`
 * link names https://api.confluent.cloud and carries only the page token. Served from loopback, the client
 * must ask its own endpoint for page 2 exactly as INDEX.json records the real request:
 * `/iam/v2/users?page_size=100&page_token=…`.
 */
import * as fs from "node:fs";
import { z } from "zod";
import type { ConfluentClient } from "../../../provider/client";
import { clientFor, json, startServer, type ScriptedServer } from "./server";

const RECORDED = "/work/shared/recorded";
const read = (f: string): unknown => JSON.parse(fs.readFileSync(`${RECORDED}/${f}`, "utf8"));
const index = read("INDEX.json") as {
  entries: { file: string; used_as?: { method: string; path: string; query?: Record<string, string> }[] }[];
};
const usedAs = (file: string) => index.entries.find((e) => e.file === file)!.used_as![0]!;

let server: ScriptedServer;
let client: ConfluentClient;

beforeAll(async () => {
  server = await startServer();
  ({ client } = clientFor(server));
});
afterAll(async () => {
  await client.close();
  await server.close();
});

it("pages through the recorded user list on the configured endpoint, as the real requests were made", async () => {
  const page1 = usedAs("iam-v2/users/list__page_1.json");
  const page2 = usedAs("iam-v2/users/list__page_2_last.json");
  const asUrl = (u: { path: string; query?: Record<string, string> }) =>
    `${u.path}?${new URLSearchParams(u.query).toString()}`;
  server.reset((req, res) => {
    if (req.url === asUrl(page1)) return json(res, 200, read("iam-v2/users/list__page_1.json"));
    if (req.url === asUrl(page2)) return json(res, 200, read("iam-v2/users/list__page_2_last.json"));
    json(res, 400, { errors: [{ status: "400", detail: `not a recorded request: ${req.url}` }] });
  });
  const ids: string[] = [];
  for await (const u of client.paginate("/iam/v2/users", {
    itemSchema: z.object({ id: z.string() }),
    pageSize: 100,
  })) {
    ids.push(u.id);
  }
  expect(ids).toEqual(["u-1jjv21", "u-1jjv22", "u-1jjv23"]);
  expect(server.seen.map((s) => `${s.headers.host} ${s.url}`)).toEqual([
    `127.0.0.1:${server.port} ${asUrl(page1)}`,
    `127.0.0.1:${server.port} ${asUrl(page2)}`,
  ]);
});
