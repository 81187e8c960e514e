/**
 * Coalesced reads (provider/coalesce.ts): reads of one kind that overlap in time are answered from the
 * kind's list, a page of 100 per call; a single read is one GET; an object the list lacks is read with GET
 * and today's gone rules. Driven through the adapters the dynamic-provider host calls, against the emulator,
 * counting calls in its request log.
 */
import { adapters, closeClients } from "pulumi-confluent-iam/provider";
import { IDLE_MS } from "../../provider/coalesce";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { captureRegistration } from "../../testing/capture";
import { EmulatorApi } from "../../testing/emulator-api";
import { startHarness, urnOf, type Harness } from "../../testing/scenario";
import { apiKey, roleBinding, serviceAccount } from "../../testing/table";

let emu: RunningEmulator;
let api: EmulatorApi;
const accounts: string[] = [];
const groups: string[] = [];
const ORG_CRN = "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001";
const bindings: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  api = new EmulatorApi(emu);
  process.env.CONFLUENT_CLOUD_ENDPOINT = emu.url;
  process.env.CONFLUENT_CLOUD_API_KEY = emu.apiKey;
  process.env.CONFLUENT_CLOUD_API_SECRET = emu.apiSecret;
  for (let i = 0; i < 150; i++) {
    const sa = (await api.ok("POST", "/iam/v2/service-accounts", {
      display_name: `coalesce-${i}`,
      description: "",
    })) as { id: string };
    accounts.push(sa.id);
  }
  for (let i = 0; i < 3; i++) {
    const g = (await api.ok("POST", "/iam/v2/ip-groups", {
      group_name: `group-${i}`,
      cidr_blocks: [`10.0.${i}.0/24`],
    })) as { id: string };
    groups.push(g.id);
  }
  for (let i = 0; i < 20; i++) {
    const rb = (await api.ok("POST", "/iam/v2/role-bindings", {
      principal: `User:${accounts[i]}`,
      role_name: "OrganizationAdmin",
      crn_pattern: ORG_CRN,
    })) as { id: string };
    bindings.push(rb.id);
  }
}, 60_000);

afterAll(async () => {
  await closeClients();
  await emu.close();
  delete process.env.CONFLUENT_CLOUD_ENDPOINT;
  delete process.env.CONFLUENT_CLOUD_API_KEY;
  delete process.env.CONFLUENT_CLOUD_API_SECRET;
});

beforeEach(async () => {
  // A fresh client: snapshots and recent reads are per client (provider/coalesce.ts), so no earlier test's
  // reads are joined.
  await closeClients();
  await api.clearLog();
});

const calls = async (): Promise<string[]> =>
  (await api.log()).map(
    (r) => `${r.method} ${r.path}${r.query.page_token ? " (next page)" : ""} ${r.status}`,
  );

describe("coalesced reads", () => {
  it("one read of a service account is exactly one GET, no list", async () => {
    const res = await adapters.ServiceAccount!.read(accounts[0]!, { displayName: "coalesce-0" });
    expect(res.id).toBe(accounts[0]);
    expect(res.props.displayName).toBe("coalesce-0");
    expect(await calls()).toEqual([`GET /iam/v2/service-accounts/${accounts[0]} 200`]);
  });

  it("sequential reads (parallel 1): the first is a GET, the next ones within 10 s join one list page", async () => {
    const results = [];
    for (const id of accounts.slice(0, 3)) results.push(await adapters.ServiceAccount!.read(id, {}));
    expect(results.map((r) => r.props.displayName)).toEqual(["coalesce-0", "coalesce-1", "coalesce-2"]);
    expect(await calls()).toEqual([
      `GET /iam/v2/service-accounts/${accounts[0]} 200`,
      "GET /iam/v2/service-accounts 200",
    ]);
  });

  it("a read more than 10 s after the last one ended is a GET of its own again", async () => {
    // The window, 10 s (IDLE_MS), shortened through its env var so that nothing sleeps through it.
    expect(IDLE_MS).toBe(10_000);
    process.env.CONFLUENT_IAM_COALESCE_IDLE_MS = "20";
    try {
      await adapters.ServiceAccount!.read(accounts[0]!, {});
      await new Promise((r) => setTimeout(r, 60));
      await adapters.ServiceAccount!.read(accounts[1]!, {});
    } finally {
      delete process.env.CONFLUENT_IAM_COALESCE_IDLE_MS;
    }
    expect(await calls()).toEqual([
      `GET /iam/v2/service-accounts/${accounts[0]} 200`,
      `GET /iam/v2/service-accounts/${accounts[1]} 200`,
    ]);
  });

  it("150 concurrent reads of service accounts: one GET and ⌈150/100⌉ list pages, every object read", async () => {
    const results = await Promise.all(accounts.map((id) => adapters.ServiceAccount!.read(id, {})));
    expect(results.map((r) => r.id)).toEqual(accounts);
    expect(results.map((r) => r.props.displayName)).toEqual(accounts.map((_, i) => `coalesce-${i}`));
    const log = await api.log();
    expect(await calls()).toEqual([
      `GET /iam/v2/service-accounts/${accounts[0]} 200`,
      "GET /iam/v2/service-accounts 200",
      "GET /iam/v2/service-accounts (next page) 200",
    ]);
    expect(log[1]!.query).toEqual({ page_size: "100" });
  });

  it("an object the list does not return is read with its own GET: a deleted one reads as gone", async () => {
    await api.ok("DELETE", `/iam/v2/service-accounts/${accounts[149]}`);
    await api.clearLog();
    const wanted = [accounts[10]!, accounts[11]!, accounts[149]!];
    const results = await Promise.all(wanted.map((id) => adapters.ServiceAccount!.read(id, {})));
    expect(results.map((r) => r.id)).toEqual([accounts[10], accounts[11], ""]);
    expect(results[2]!.props).toEqual({});
    // The first read went alone; the other two joined the list, which lacks the deleted account (2 pages
    // were allowed for 2 joined reads), so it was asked for on its own and answered 404.
    expect((await calls()).sort()).toEqual(
      [
        `GET /iam/v2/service-accounts/${accounts[10]} 200`,
        "GET /iam/v2/service-accounts 200",
        "GET /iam/v2/service-accounts (next page) 200",
        `GET /iam/v2/service-accounts/${accounts[149]} 404`,
      ].sort(),
    );
  });

  it("role bindings are listed by their CRN pattern; IP groups by their list", async () => {
    const rbs = await Promise.all(
      bindings.map((id) => adapters.RoleBinding!.read(id, { crnPattern: ORG_CRN })),
    );
    expect(rbs.map((r) => r.id)).toEqual(bindings);
    expect(rbs[5]!.props).toMatchObject({ principal: `User:${accounts[5]}`, roleName: "OrganizationAdmin" });
    const log = await api.log();
    expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /iam/v2/role-bindings/${bindings[0]} 200`,
      "GET /iam/v2/role-bindings 200",
    ]);
    expect(log[1]!.query).toEqual({ crn_pattern: ORG_CRN, page_size: "1000" });

    await api.clearLog();
    const ips = await Promise.all(groups.map((id) => adapters.IpGroup!.read(id, {})));
    expect(ips.map((r) => r.props.groupName)).toEqual(["group-0", "group-1", "group-2"]);
    expect(await calls()).toEqual([`GET /iam/v2/ip-groups/${groups[0]} 200`, "GET /iam/v2/ip-groups 200"]);
  });

  it("a key the list lacks is read alone: its 403 is believed only after the page_size=1 list probe", async () => {
    const keys: string[] = [];
    for (let i = 0; i < 2; i++) {
      const k = (await api.ok("POST", "/iam/v2/api-keys", { spec: { owner: { id: accounts[i] } } })) as {
        id: string;
      };
      keys.push(k.id);
    }
    await api.clearLog();
    const wanted = [...keys, "EMUNOSUCHKEY01"];
    const read = await Promise.all(
      wanted.map((id, i) => adapters.ApiKey!.read(id, { owner: { id: accounts[i % 2] } })),
    );
    expect(read.map((r) => r.id)).toEqual([...keys, ""]);
    const log = await api.log();
    expect(log.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)} ${r.status}`).sort()).toEqual(
      [
        `GET /iam/v2/api-keys/${keys[0]} {} 200`,
        `GET /iam/v2/api-keys ${JSON.stringify({ page_size: "100" })} 200`,
        "GET /iam/v2/api-keys/EMUNOSUCHKEY01 {} 403",
        `GET /iam/v2/api-keys ${JSON.stringify({ page_size: "1" })} 200`,
      ].sort(),
    );
  });

  it("IP filters are answered from their list too", async () => {
    const filters: string[] = [];
    for (let i = 0; i < 4; i++) {
      const f = (await api.ok("POST", "/iam/v2/ip-filters", {
        filter_name: `filter-${i}`,
        resource_group: "management",
        ip_groups: [{ id: groups[i % groups.length] }],
      })) as { id: string };
      filters.push(f.id);
    }
    await api.clearLog();
    const read = await Promise.all(filters.map((id) => adapters.IpFilter!.read(id, {})));
    expect(read.map((r) => r.props.filterName)).toEqual(["filter-0", "filter-1", "filter-2", "filter-3"]);
    expect(await calls()).toEqual([`GET /iam/v2/ip-filters/${filters[0]} 200`, "GET /iam/v2/ip-filters 200"]);
  });

  it("a write of the kind drops the snapshot: a read after an update sees the new value", async () => {
    const first = accounts.slice(20, 24);
    await Promise.all(first.map((id) => adapters.ServiceAccount!.read(id, {})));
    await adapters.ServiceAccount!.update(
      accounts[22]!,
      { displayName: "coalesce-22", description: "" },
      { displayName: "coalesce-22", description: "changed" },
    );
    await api.clearLog();
    const again = await Promise.all(first.map((id) => adapters.ServiceAccount!.read(id, {})));
    expect(again[2]!.props.description).toBe("changed");
    // A fresh start: one GET alone, then a list page for the others.
    expect(await calls()).toEqual([
      `GET /iam/v2/service-accounts/${accounts[20]} 200`,
      "GET /iam/v2/service-accounts 200",
    ]);
  });
});

describe("coalesced reads through the dynamic-provider host", () => {
  let h: Harness;
  const text: Record<string, string> = {};
  const CLUSTER = `${ORG_CRN}/environment=env-demo01/cloud-cluster=lkc-demo01`;

  beforeAll(async () => {
    h = await startHarness();
    for (const e of [apiKey, roleBinding, serviceAccount])
      text[e.kind] = (await captureRegistration(e.register)).providerText;
  });
  afterAll(async () => {
    await h?.close();
  });

  it("30 concurrent refreshes each of API keys and topic role bindings: a GET and one list page per kind", async () => {
    const owners: string[] = [];
    const keys: string[] = [];
    const topicBindings: string[] = [];
    for (let i = 0; i < 30; i++) {
      const sa = (await h.api.ok("POST", "/iam/v2/service-accounts", {
        display_name: `host-${i}`,
        description: "",
      })) as { id: string };
      owners.push(sa.id);
      const key = (await h.api.ok("POST", "/iam/v2/api-keys", { spec: { owner: { id: sa.id } } })) as {
        id: string;
      };
      keys.push(key.id);
      const rb = (await h.api.ok("POST", "/iam/v2/role-bindings", {
        principal: `User:${sa.id}`,
        role_name: "DeveloperRead",
        crn_pattern: `${CLUSTER}/kafka=lkc-demo01/topic=t-${i}`,
      })) as { id: string };
      topicBindings.push(rb.id);
    }
    await h.api.clearLog();
    const [keyReads, rbReads] = await Promise.all([
      Promise.all(
        keys.map((id, i) =>
          h.host.read(id, urnOf("ApiKey", `k${i}`), { __provider: text.ApiKey!, owner: { id: owners[i] } }),
        ),
      ),
      Promise.all(
        topicBindings.map((id, i) =>
          h.host.read(id, urnOf("RoleBinding", `rb${i}`), {
            __provider: text.RoleBinding!,
            crnPattern: `${CLUSTER}/kafka=lkc-demo01/topic=t-${i}`,
          }),
        ),
      ),
    ]);
    expect(keyReads.map((r) => r.id)).toEqual(keys);
    expect(rbReads.map((r) => r.id)).toEqual(topicBindings);
    expect(rbReads[7]!.props).toMatchObject({
      principal: `User:${owners[7]}`,
      roleName: "DeveloperRead",
    });
    const log = await h.api.log();
    const lists = log.filter((r) => !/\/(api-keys|role-bindings)\/[^/]+$/.test(r.path));
    const gets = log.filter((r) => /\/(api-keys|role-bindings)\/[^/]+$/.test(r.path));
    // Reads reach the host at once: the first of each kind goes alone, the rest join one list page.
    expect(gets.map((r) => r.path.split("/")[3]).sort()).toEqual(["api-keys", "role-bindings"]);
    expect(lists.map((r) => `${r.path} ${JSON.stringify(r.query)}`).sort()).toEqual([
      `/iam/v2/api-keys ${JSON.stringify({ page_size: "100" })}`,
      `/iam/v2/role-bindings ${JSON.stringify({ crn_pattern: `${CLUSTER}/kafka=lkc-demo01`, page_size: "1000" })}`,
    ]);
  }, 60_000);
});
