/**
 * API-key readiness by key kind: the new key calls a route of the place it is for; 401 means "not
 * propagated yet, wait", any other answer (200, 403, 404) means it authenticated. Purpose-built servers
 * script each answer; the last test waits for a Kafka key at the emulator's cluster endpoint.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { adapters, closeClients } from "pulumi-confluent-iam/provider";
import { startHarness, urnOf, type Harness } from "../../testing/scenario";
import { apiKey } from "../../testing/table";
import { captureRegistration } from "../../testing/capture";

interface Seen {
  method: string;
  url: string;
  auth: string;
}

/** A server that records each call and answers with `answer(call, n)` ([status, body]). */
async function scripted(answer: (s: Seen, n: number) => [number, unknown?]) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const s = { method: req.method ?? "", url: req.url ?? "", auth: req.headers.authorization ?? "" };
      seen.push(s);
      const [status, body] = answer(s, seen.length);
      const text = body === undefined ? "" : JSON.stringify(body);
      res.writeHead(status, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(text),
      });
      res.end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    calls: () => seen.map((s) => `${s.method} ${s.url}`),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const MGMT_KEY = "MGMTFAKEKEY00001";
const MGMT_SECRET = "management-fake-secret-not-real";
const NEW_KEY = "NEWFAKEKEY000001";
const NEW_SECRET = "new-key-fake-secret-not-a-real-one";
const basic = (k: string, s: string): string => `Basic ${Buffer.from(`${k}:${s}`).toString("base64")}`;

/** The create answer of a key for `resource` (a Cloud key when undefined). */
function created(resource?: { id: string; kind: string; api_version: string }) {
  return {
    api_version: "iam/v2",
    kind: "ApiKey",
    id: NEW_KEY,
    metadata: { created_at: "2026-01-01T00:00:00Z" },
    spec: {
      secret: NEW_SECRET,
      display_name: "k",
      description: "",
      owner: { id: "sa-1", kind: "ServiceAccount", api_version: "iam/v2" },
      resource: resource ?? { id: "cloud", kind: "Cloud", api_version: "iam/v2" },
    },
  };
}

const unauthorized = { errors: [{ status: "401", code: "unauthorized", detail: "Unauthorized" }] };
const forbidden = { errors: [{ status: "403", code: "forbidden_access", detail: "Forbidden Access" }] };

/** What `fn` wrote to stderr (the provider's progress lines), line by line as written. */
async function stderrOf(fn: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => (
    lines.push(String(chunk)),
    true
  )) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = write;
  }
  return lines;
}

function useEndpoint(url: string): void {
  process.env.CONFLUENT_CLOUD_ENDPOINT = url;
  process.env.CONFLUENT_CLOUD_API_KEY = MGMT_KEY;
  process.env.CONFLUENT_CLOUD_API_SECRET = MGMT_SECRET;
}

const saved = { ...process.env };
beforeAll(() => {
  process.env.CONFLUENT_IAM_KEY_READY_TIMEOUT_MS = "20000";
});
afterEach(async () => {
  await closeClients();
});
afterAll(() => {
  for (const k of [
    "CONFLUENT_CLOUD_ENDPOINT",
    "CONFLUENT_CLOUD_API_KEY",
    "CONFLUENT_CLOUD_API_SECRET",
    "CONFLUENT_IAM_KEY_READY_TIMEOUT_MS",
  ]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe("a Cloud key probes GET /org/v2/environments?page_size=1 with its own credentials", () => {
  it("403 (the owner may not list environments) is ready on the first probe", async () => {
    const api = await scripted((s) => (s.method === "POST" ? [202, created()] : [403, forbidden]));
    try {
      useEndpoint(api.url);
      const res = await adapters.ApiKey!.create({ owner: { id: "sa-1" }, displayName: "k" });
      expect(res.id).toBe(NEW_KEY);
      expect(api.calls()).toEqual(["POST /iam/v2/api-keys", "GET /org/v2/environments?page_size=1"]);
      expect(api.seen.map((s) => s.auth)).toEqual([basic(MGMT_KEY, MGMT_SECRET), basic(NEW_KEY, NEW_SECRET)]);
    } finally {
      await api.close();
    }
  });

  it("401 waits; the first other answer (404 here) is ready", async () => {
    const api = await scripted((s, n) =>
      s.method === "POST" ? [202, created()] : n <= 3 ? [401, unauthorized] : [404, { errors: [] }],
    );
    try {
      useEndpoint(api.url);
      await adapters.ApiKey!.create({ owner: { id: "sa-1" }, displayName: "k" });
      expect(api.calls()).toEqual([
        "POST /iam/v2/api-keys",
        "GET /org/v2/environments?page_size=1",
        "GET /org/v2/environments?page_size=1",
        "GET /org/v2/environments?page_size=1",
      ]);
    } finally {
      await api.close();
    }
  });
});

describe("resource keys probe their cluster's REST endpoint", () => {
  it("a Kafka key: the cluster's http_endpoint from cmk/v2, then GET /kafka/v3/clusters/{id} there with the new key", async () => {
    const kafka = await scripted((_s, n) => (n === 1 ? [401, unauthorized] : [403, forbidden]));
    const api = await scripted((s) =>
      s.method === "POST"
        ? [202, created({ id: "lkc-1", kind: "Cluster", api_version: "cmk/v2" })]
        : [200, { id: "lkc-1", spec: { http_endpoint: kafka.url } }],
    );
    try {
      useEndpoint(api.url);
      await adapters.ApiKey!.create({
        owner: { id: "sa-1" },
        managedResource: { id: "lkc-1", kind: "Cluster", environment: { id: "env-1" } },
      });
      expect(api.calls()).toEqual(["POST /iam/v2/api-keys", "GET /cmk/v2/clusters/lkc-1?environment=env-1"]);
      expect(api.seen[1]!.auth).toBe(basic(MGMT_KEY, MGMT_SECRET));
      expect(kafka.calls()).toEqual(["GET /kafka/v3/clusters/lkc-1", "GET /kafka/v3/clusters/lkc-1"]);
      expect(kafka.seen.map((s) => s.auth)).toEqual([basic(NEW_KEY, NEW_SECRET), basic(NEW_KEY, NEW_SECRET)]);
    } finally {
      await api.close();
      await kafka.close();
    }
  });

  it("a Schema Registry key: the registry's http_endpoint from srcm/v3, then GET /subjects there", async () => {
    const sr = await scripted(() => [200, []]);
    const api = await scripted((s) =>
      s.method === "POST"
        ? [202, created({ id: "lsrc-1", kind: "SchemaRegistry", api_version: "srcm/v3" })]
        : [200, { id: "lsrc-1", spec: { http_endpoint: `${sr.url}/sr-base` } }],
    );
    try {
      useEndpoint(api.url);
      await adapters.ApiKey!.create({
        owner: { id: "sa-1" },
        managedResource: { id: "lsrc-1", kind: "SchemaRegistry", environment: { id: "env-1" } },
      });
      expect(api.calls()).toEqual([
        "POST /iam/v2/api-keys",
        "GET /srcm/v3/clusters/lsrc-1?environment=env-1",
      ]);
      expect(sr.calls()).toEqual(["GET /sr-base/subjects"]);
      expect(sr.seen[0]!.auth).toBe(basic(NEW_KEY, NEW_SECRET));
    } finally {
      await api.close();
      await sr.close();
    }
  });

  it("a Flink key has no documented probe: no wait, one POST", async () => {
    const api = await scripted(() => [
      202,
      created({ id: "aws.us-east-1", kind: "Region", api_version: "fcpm/v2" }),
    ]);
    try {
      useEndpoint(api.url);
      const lines = await stderrOf(async () => {
        await adapters.ApiKey!.create({
          owner: { id: "sa-1" },
          managedResource: { id: "aws.us-east-1", kind: "Region", environment: { id: "env-1" } },
        });
      });
      expect(api.calls()).toEqual(["POST /iam/v2/api-keys"]);
      expect(lines).toContain(
        `confluent-iam: ApiKey ${NEW_KEY}: not waiting until the new key is usable: Flink (fcpm/v2 Region) keys have no documented readiness probe\n`,
      );
    } finally {
      await api.close();
    }
  });

  it("a Global key probes GET /org/v2/environments?page_size=1 with its own credentials, as a Cloud key", async () => {
    const api = await scripted((s, n) =>
      s.method === "POST"
        ? [202, created({ id: "global", kind: "Global", api_version: "global/v1" })]
        : n === 2
          ? [401, unauthorized]
          : [200, { data: [] }],
    );
    try {
      useEndpoint(api.url);
      await adapters.ApiKey!.create({
        owner: { id: "sa-1" },
        managedResource: { id: "global", apiVersion: "global/v1", kind: "Global" },
      });
      expect(api.calls()).toEqual([
        "POST /iam/v2/api-keys",
        "GET /org/v2/environments?page_size=1",
        "GET /org/v2/environments?page_size=1",
      ]);
      expect(api.seen.slice(1).map((s) => s.auth)).toEqual([
        basic(NEW_KEY, NEW_SECRET),
        basic(NEW_KEY, NEW_SECRET),
      ]);
    } finally {
      await api.close();
    }
  });

  it("a Schema Registry key declared as srcm/v3 Cluster (as getSchemaRegistryCluster gives it) probes the registry, not cmk/v2", async () => {
    const sr = await scripted(() => [200, []]);
    const api = await scripted((s) =>
      s.method === "POST"
        ? [202, created({ id: "lsrc-2", kind: "SchemaRegistry", api_version: "srcm/v2" })]
        : [200, { id: "lsrc-2", spec: { http_endpoint: sr.url } }],
    );
    try {
      useEndpoint(api.url);
      await adapters.ApiKey!.create({
        owner: { id: "sa-1" },
        managedResource: {
          id: "lsrc-2",
          apiVersion: "srcm/v3",
          kind: "Cluster",
          environment: { id: "env-1" },
        },
      });
      expect(api.calls()).toEqual([
        "POST /iam/v2/api-keys",
        "GET /srcm/v3/clusters/lsrc-2?environment=env-1",
      ]);
      expect(sr.calls()).toEqual(["GET /subjects"]);
    } finally {
      await api.close();
      await sr.close();
    }
  });

  it("a Tableflow key has no documented probe: no wait, one POST, and a line says so", async () => {
    const api = await scripted(() => [
      202,
      created({ id: "tableflow", kind: "Tableflow", api_version: "tableflow/v1" }),
    ]);
    try {
      useEndpoint(api.url);
      const lines = await stderrOf(async () => {
        await adapters.ApiKey!.create({ owner: { id: "sa-1" }, managedResource: { id: "tableflow" } });
      });
      expect(api.calls()).toEqual(["POST /iam/v2/api-keys"]);
      expect(lines).toContain(
        `confluent-iam: ApiKey ${NEW_KEY}: not waiting until the new key is usable: Tableflow keys have no documented readiness probe\n`,
      );
    } finally {
      await api.close();
    }
  });

  it("a Kafka key without managedResource.environment: the endpoint cannot be looked up, so no wait, and a line says why", async () => {
    const api = await scripted(() => [202, created({ id: "lkc-2", kind: "Cluster", api_version: "cmk/v2" })]);
    try {
      useEndpoint(api.url);
      const lines = await stderrOf(async () => {
        await adapters.ApiKey!.create({
          owner: { id: "sa-1" },
          managedResource: { id: "lkc-2", kind: "Cluster" },
        });
      });
      expect(api.calls()).toEqual(["POST /iam/v2/api-keys"]);
      expect(lines).toContain(
        `confluent-iam: ApiKey ${NEW_KEY}: not waiting until the new key is usable: managedResource.environment ` +
          `is not set, so the Kafka cluster endpoint cannot be looked up\n`,
      );
    } finally {
      await api.close();
    }
  });

  it("a probe that cannot be made (the cluster is not found) keeps the key in state with the reason", async () => {
    const api = await scripted((s) =>
      s.method === "POST"
        ? [202, created({ id: "lkc-9", kind: "Cluster", api_version: "cmk/v2" })]
        : [404, { errors: [{ status: "404", code: "not_found", detail: "Not Found" }] }],
    );
    try {
      useEndpoint(api.url);
      const err = await adapters
        .ApiKey!.create({
          owner: { id: "sa-1" },
          managedResource: { id: "lkc-9", kind: "Cluster", environment: { id: "env-1" } },
        })
        .then(
          () => undefined,
          (e: unknown) => e as Error & { id?: string },
        );
      expect(err?.message).toBe(
        `API key ${NEW_KEY} was created but its readiness could not be checked: GET /cmk/v2/clusters/lkc-9 ` +
          `failed with 404 Not Found: Not Found. It is kept in the stack; run pulumi up again to wait more, or ` +
          `set disableWaitForReady: true.`,
      );
      expect(err?.id).toBe(NEW_KEY);
    } finally {
      await api.close();
    }
  });
});

describe("against the emulator, with --key-propagation 2000", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ keyPropagationMs: 2000 }, () => ({
      CONFLUENT_IAM_KEY_READY_TIMEOUT_MS: "60000",
    }));
  });
  afterAll(async () => {
    await h?.close();
  });

  it("a Kafka key is waited for until the cluster endpoint accepts it", async () => {
    const text = (await captureRegistration(apiKey.register)).providerText;
    const sa = (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "kafka-key-owner" })) as {
      id: string;
    };
    await h.api.clearLog();
    const made = await h.host.create(urnOf("ApiKey", "kafka"), {
      __provider: text,
      owner: { id: sa.id },
      managedResource: { id: "lkc-demo01", kind: "Cluster", environment: { id: "env-demo01" } },
    });
    const log = await h.api.log();
    const calls = log.map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(calls.slice(0, 2)).toEqual(["POST /iam/v2/api-keys 202", "GET /cmk/v2/clusters/lkc-demo01 200"]);
    const probes = calls.slice(2);
    // Waited: 401 until the key propagated, then accepted; nothing after.
    expect(probes.length).toBeGreaterThanOrEqual(2);
    expect(probes.slice(0, -1).every((c) => c === "GET /kafka/v3/clusters/lkc-demo01 401")).toBe(true);
    expect(probes[probes.length - 1]).toBe("GET /kafka/v3/clusters/lkc-demo01 200");
    expect(h.host.stderr()).toContain(`ApiKey ${made.id}: waiting`);
  });

  it("a Cloud key's probe is GET /org/v2/environments with the key itself", async () => {
    const text = (await captureRegistration(apiKey.register)).providerText;
    const sa = (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "cloud-key-owner" })) as {
      id: string;
    };
    await h.api.clearLog();
    await h.host.create(urnOf("ApiKey", "cloud"), { __provider: text, owner: { id: sa.id } });
    const calls = (await h.api.log()).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(calls[0]).toBe("POST /iam/v2/api-keys 202");
    expect(calls.slice(1, -1).every((c) => c === "GET /org/v2/environments 401")).toBe(true);
    // Its owner holds no role: once the key authenticates, the emulator's RBAC answers 403, and that is ready.
    expect(calls[calls.length - 1]).toBe("GET /org/v2/environments 403");
  });

  it("a Cloud key whose owner holds an EnvironmentAdmin binding is ready when the probe answers 200", async () => {
    const text = (await captureRegistration(apiKey.register)).providerText;
    const sa = (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "env-admin" })) as {
      id: string;
    };
    await h.api.ok("POST", "/iam/v2/role-bindings", {
      principal: `User:${sa.id}`,
      role_name: "EnvironmentAdmin",
      crn_pattern:
        "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001/environment=env-demo01",
    });
    await h.api.clearLog();
    await h.host.create(urnOf("ApiKey", "cloud-env-admin"), { __provider: text, owner: { id: sa.id } });
    const calls = (await h.api.log()).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(calls.slice(1, -1).every((c) => c === "GET /org/v2/environments 401")).toBe(true);
    expect(calls[calls.length - 1]).toBe("GET /org/v2/environments 200");
  });
});

describe("against the emulator with RBAC and no key propagation", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, () => ({}));
  });
  afterAll(async () => {
    await h?.close();
  });

  it("a Cloud key whose owner holds no role is ready on its first probe, which answers 403", async () => {
    const text = (await captureRegistration(apiKey.register)).providerText;
    const sa = (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "no-role" })) as {
      id: string;
    };
    await h.api.clearLog();
    const made = await h.host.create(urnOf("ApiKey", "no-role"), { __provider: text, owner: { id: sa.id } });
    const calls = (await h.api.log()).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(calls).toEqual(["POST /iam/v2/api-keys 202", "GET /org/v2/environments 403"]);
    expect(h.host.stderr()).not.toContain(`ApiKey ${made.id}: waiting`);
  });
});
