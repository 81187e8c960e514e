/**
 * Long lists page through the emulator's `next` links as they are on the real API: on another origin
 * (https://confluent.cloud/api) and carrying only the page token. Every page is asked of the configured
 * endpoint, and every required parameter (role bindings need `crn_pattern`) is kept.
 */
import { z } from "zod";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { ConfluentClient } from "../../../provider/client";
import { EmulatorApi } from "../../../testing/emulator-api";

let emu: RunningEmulator;
let api: EmulatorApi;
let client: ConfluentClient;
const ORG = "b0b0cafe-0000-4000-8000-000000000001";
const CRN = `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/cloud-cluster=lkc-demo01`;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  api = new EmulatorApi(emu);
  client = new ConfluentClient({
    endpoint: emu.url,
    auth: { kind: "basic", apiKey: emu.apiKey, apiSecret: emu.apiSecret },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  // 250 of each, and a few role bindings elsewhere that the filter must keep out.
  for (let i = 0; i < 250; i++) {
    const name = `sa-list-${String(i).padStart(3, "0")}`;
    await api.ok("POST", "/iam/v2/service-accounts", { display_name: name });
    await api.ok("POST", "/iam/v2/role-bindings", {
      principal: `User:u-list${i}`,
      role_name: "DeveloperRead",
      crn_pattern: `${CRN}/topic=t${i}`,
    });
  }
  for (let i = 0; i < 3; i++) {
    await api.ok("POST", "/iam/v2/role-bindings", {
      principal: `User:u-other${i}`,
      role_name: "DeveloperRead",
      crn_pattern: `crn://confluent.cloud/organization=${ORG}/environment=env-prod01/cloud-cluster=lkc-prod01/topic=t${i}`,
    });
  }
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const item = z.object({ id: z.string() });

it("the emulator's next links are on another origin and carry only the page token", async () => {
  const first = (await api.ok(
    "GET",
    `/iam/v2/role-bindings?crn_pattern=${encodeURIComponent(CRN)}&page_size=25`,
  )) as {
    metadata: { next: string };
  };
  const next = new URL(first.metadata.next);
  expect(next.origin).toBe("https://confluent.cloud");
  expect(next.pathname).toBe("/api/iam/v2/role-bindings");
  expect([...next.searchParams.keys()]).toEqual(["page_token"]);
});

it("250 role bindings page through those links with crn_pattern kept on every request", async () => {
  await api.clearLog();
  const bindings = await collect(
    client.paginate("/iam/v2/role-bindings", { itemSchema: item, pageSize: 25, query: { crn_pattern: CRN } }),
  );
  expect(bindings).toHaveLength(250);
  expect(new Set(bindings.map((b) => b.id)).size).toBe(250);
  const log = await api.log();
  expect(log).toHaveLength(10);
  for (const [i, r] of log.entries()) {
    expect(r.path).toBe("/iam/v2/role-bindings");
    expect(r.status).toBe(200);
    expect(r.query.crn_pattern).toBe(CRN);
    expect(r.query.page_size).toBe("25");
    expect(r.query.page_token === undefined).toBe(i === 0);
  }
});

it("250 service accounts page through them too (page size 100: three pages)", async () => {
  await api.clearLog();
  const accounts = await collect(
    client.paginate("/iam/v2/service-accounts", { itemSchema: item, pageSize: 100 }),
  );
  expect(accounts).toHaveLength(250);
  expect(new Set(accounts.map((a) => a.id)).size).toBe(250);
  expect((await api.log()).map((r) => `${r.status} ${JSON.stringify(r.query.page_size)}`)).toEqual([
    '200 "100"',
    '200 "100"',
    '200 "100"',
  ]);
});
