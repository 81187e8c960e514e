/**
 * API keys of every kind the API has beyond Cloud and Kafka keys: Flink (`fcpm/v2` Region, with its
 * environment), Tableflow, Global, and Schema Registry keys declared as @pulumi/confluentcloud programs declare
 * them (`srcm/v3` `Cluster`). Each goes through Pulumi's dynamic-provider host against the emulator: create,
 * refresh, adoption with the `import` option, delete; a purpose-built server shows the exact create bodies
 * (`kind`/`api_version` only where the API needs them), and `check` refuses what cannot work, at preview.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { adapters, closeClients } from "pulumi-confluent-iam/provider";
import { apiKeyResponse, apiKeySpec, keyKindOf } from "../../provider/specs/api-key";
import { recorded } from "./support/recorded-server";
import { unwrapSecrets, type PropertyMap } from "../../protocol";
import { captureRegistration } from "../../testing/capture";
import { plain, startHarness, urnOf, type Harness } from "../../testing/scenario";
import { apiKey } from "../../testing/table";

interface Kind {
  name: string;
  managedResource: PropertyMap;
  /** The outputs' managedResource after create (the API's answer). */
  answered: PropertyMap;
  /** Calls the create makes after its POST (the readiness probe, where the kind has one). */
  readiness: string[];
  /** The progress line when the kind has no probe. */
  noWait?: string;
}

const kinds: Kind[] = [
  {
    name: "Flink",
    managedResource: {
      id: "aws.us-east-1",
      apiVersion: "fcpm/v2",
      kind: "Region",
      environment: { id: "env-demo01" },
    },
    answered: {
      id: "aws.us-east-1",
      apiVersion: "fcpm/v2",
      kind: "Region",
      environment: { id: "env-demo01" },
    },
    readiness: [],
    noWait:
      "not waiting until the new key is usable: Flink (fcpm/v2 Region) keys have no documented readiness probe",
  },
  {
    name: "Tableflow",
    managedResource: { id: "tableflow", apiVersion: "tableflow/v1", kind: "Tableflow" },
    answered: { id: "tableflow", apiVersion: "tableflow/v1", kind: "Tableflow" },
    readiness: [],
    noWait: "not waiting until the new key is usable: Tableflow keys have no documented readiness probe",
  },
  {
    name: "Global",
    managedResource: { id: "global", apiVersion: "global/v1", kind: "Global" },
    answered: { id: "global", apiVersion: "global/v1", kind: "Global" },
    // A Global key works on the Cloud API: its owner holds no role, so the first probe answers 403 = ready.
    readiness: ["GET /org/v2/environments 403"],
  },
  {
    name: "Schema Registry (srcm/v3 Cluster, as @pulumi/confluentcloud's getSchemaRegistryCluster gives it)",
    managedResource: {
      id: "lsrc-demo01",
      apiVersion: "srcm/v3",
      kind: "Cluster",
      environment: { id: "env-demo01" },
    },
    // The API answers the registry's own kind and version (recorded by terraform-provider-confluent as a
    // "temporary" answer); only the id is compared, so a refresh shows no change.
    answered: {
      id: "lsrc-demo01",
      apiVersion: "srcm/v2",
      kind: "SchemaRegistry",
      environment: { id: "env-demo01" },
    },
    readiness: ["GET /srcm/v3/clusters/lsrc-demo01 200", "GET /schema-registry/lsrc-demo01/subjects 200"],
  },
];

describe("through the dynamic-provider host, against the emulator", () => {
  let h: Harness;
  let text = "";
  let sa = "";
  beforeAll(async () => {
    h = await startHarness({}, () => ({ CONFLUENT_IAM_KEY_READY_TIMEOUT_MS: "20000" }));
    text = (await captureRegistration(apiKey.register)).providerText;
    sa = (
      (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "key-kinds-owner" })) as {
        id: string;
      }
    ).id;
  });
  afterAll(async () => {
    await h?.close();
  });

  describe.each(kinds)("a $name key", ({ name, managedResource, answered, readiness, noWait }) => {
    const urn = urnOf("ApiKey", `kind-${name.split(" ")[0]!.toLowerCase()}`);
    const inputs = (): PropertyMap => ({
      displayName: `${name.split(" ")[0]} key`,
      owner: { id: sa, apiVersion: "iam/v2", kind: "ServiceAccount" },
      managedResource,
    });
    let id = "";
    let outs: PropertyMap = {};

    it("create: one POST, then the kind's readiness probe (or a line saying there is none)", async () => {
      await h.api.clearLog();
      const before = h.host.stderr().length;
      const made = await h.host.create(urn, { ...inputs(), __provider: text });
      id = made.id;
      outs = made.outs;
      const calls = (await h.api.log()).map((r) => `${r.method} ${r.path} ${r.status}`);
      expect(calls).toEqual(["POST /iam/v2/api-keys 202", ...readiness]);
      const out = unwrapSecrets(plain(outs)) as PropertyMap;
      expect(out.managedResource).toEqual(answered);
      expect(typeof out.secret === "string" && out.secret.length > 0).toBe(true);
      const stderr = h.host.stderr().slice(before);
      if (noWait) expect(stderr).toContain(`confluent-iam: ApiKey ${id}: ${noWait}`);
      else expect(stderr).not.toContain("not waiting");
    });

    it("refresh: one GET, the same resource, and no change against the program", async () => {
      await h.api.clearLog();
      const res = await h.host.read(id, urn, outs);
      expect(await h.api.calls()).toEqual([`GET /iam/v2/api-keys/${id}`]);
      expect(res.id).toBe(id);
      expect((unwrapSecrets(plain(res.props)) as PropertyMap).managedResource).toEqual(answered);
      const diff = await h.host.diff(id, urn, res.props, { ...inputs(), __provider: text });
      expect(diff.changes).toBe(false);
      outs = res.props;
    });

    it("adoption with the import option: one GET, no POST, the resource as answered", async () => {
      await h.api.clearLog();
      const res = await h.host.create(urnOf("ApiKey", `adopt-${id}`), {
        ...inputs(),
        importId: id,
        __provider: text,
      });
      expect(await h.api.calls()).toEqual([`GET /iam/v2/api-keys/${id}`]);
      expect(res.id).toBe(id);
      const out = unwrapSecrets(plain(res.outs)) as PropertyMap;
      expect(out.importId).toBe(id);
      expect(out.managedResource).toEqual(answered);
    });

    it("delete: one DELETE; a refresh then finds it gone", async () => {
      await h.api.clearLog();
      await h.host.delete(id, urn, outs);
      expect(await h.api.calls()).toEqual([`DELETE /iam/v2/api-keys/${id}`]);
      const res = await h.host.read(id, urn, outs);
      expect(res.id).toBe("");
    });
  });
});

/** A server that answers every POST with a created key for `resource` and records the request bodies. */
async function recordingServer() {
  const bodies: unknown[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as {
        spec?: { resource?: { id: string; kind?: string; api_version?: string; environment?: string } };
      };
      bodies.push(body);
      const r = body.spec?.resource;
      const text = JSON.stringify({
        api_version: "iam/v2",
        kind: "ApiKey",
        id: "BODYFAKEKEY00001",
        metadata: { created_at: "2026-01-01T00:00:00Z" },
        spec: {
          secret: "body-fake-secret-not-a-real-one",
          display_name: "",
          description: "",
          owner: { id: "sa-1", kind: "ServiceAccount", api_version: "iam/v2" },
          resource: r
            ? { id: r.id, kind: r.kind ?? "Cluster", api_version: r.api_version ?? "cmk/v2" }
            : { id: "cloud", kind: "Cloud", api_version: "iam/v2" },
        },
      });
      res.writeHead(202, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe("the create body names the resource's kind and api_version only where the API needs them", () => {
  const saved = { ...process.env };
  afterEach(async () => {
    await closeClients();
  });
  afterAll(() => {
    for (const k of ["CONFLUENT_CLOUD_ENDPOINT", "CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it.each([
    [
      "a Flink key: Region, fcpm/v2 and the environment (the recorded request)",
      { id: "aws.us-east-1", apiVersion: "fcpm/v2", kind: "Region", environment: { id: "env-3732nw" } },
      { id: "aws.us-east-1", kind: "Region", api_version: "fcpm/v2", environment: "env-3732nw" },
    ],
    [
      "a Flink key declared by region id and environment alone",
      { id: "gcp.us-central1", environment: { id: "env-1" } },
      { id: "gcp.us-central1", kind: "Region", api_version: "fcpm/v2", environment: "env-1" },
    ],
    [
      "a Tableflow key",
      { id: "tableflow", apiVersion: "tableflow/v1", kind: "Tableflow" },
      { id: "tableflow", kind: "Tableflow", api_version: "tableflow/v1" },
    ],
    [
      "a Global key declared by id alone",
      { id: "global" },
      { id: "global", kind: "Global", api_version: "global/v1" },
    ],
    [
      "a Kafka key: the id and environment only (kind and api_version are read-only in the spec)",
      { id: "lkc-1", apiVersion: "cmk/v2", kind: "Cluster", environment: { id: "env-1" } },
      { id: "lkc-1", environment: "env-1" },
    ],
    [
      "a Schema Registry key declared as srcm/v3 Cluster: the id and environment only",
      { id: "lsrc-1", apiVersion: "srcm/v3", kind: "Cluster", environment: { id: "env-1" } },
      { id: "lsrc-1", environment: "env-1" },
    ],
    [
      "a kind this provider does not know: sent as the program declares it",
      { id: "lfcp-1", apiVersion: "fcpm/v9", kind: "ComputePool" },
      { id: "lfcp-1", kind: "ComputePool", api_version: "fcpm/v9" },
    ],
  ])("%s", async (_name, managedResource, sent) => {
    const server = await recordingServer();
    try {
      process.env.CONFLUENT_CLOUD_ENDPOINT = server.url;
      process.env.CONFLUENT_CLOUD_API_KEY = "BODYMGMTFAKEKEY1";
      process.env.CONFLUENT_CLOUD_API_SECRET = "body-mgmt-fake-secret-not-real";
      await adapters.ApiKey!.create({
        owner: { id: "sa-1", apiVersion: "iam/v2", kind: "ServiceAccount" },
        managedResource,
        disableWaitForReady: true,
      });
      expect(server.bodies).toEqual([
        // The owner as before (as the program declares it); the resource as the API needs it.
        { spec: { owner: { id: "sa-1", kind: "ServiceAccount", api_version: "iam/v2" }, resource: sent } },
      ]);
    } finally {
      await server.close();
    }
  });
});

describe("check refuses a managed resource that cannot make a key, naming the field and the fix", () => {
  it.each([
    [
      { id: "aws.us-east-1", apiVersion: "fcpm/v2", kind: "Region" },
      "managedResource.environment",
      'a Flink key (fcpm/v2 Region aws.us-east-1) is for one environment: set managedResource.environment to { id: "env-…" }, the environment whose Flink region it opens',
    ],
    [
      { id: "tableflow", apiVersion: "tableflow/v1", kind: "Tableflow", environment: { id: "env-1" } },
      "managedResource.environment",
      "a Tableflow key is for the whole organization, not one environment: remove managedResource.environment",
    ],
    [
      { id: "global", kind: "Global", environment: { id: "env-1" } },
      "managedResource.environment",
      "a Global key is for the whole organization, not one environment: remove managedResource.environment",
    ],
    [
      { id: "tf-1", apiVersion: "tableflow/v1", kind: "Tableflow" },
      "managedResource.id",
      'a Tableflow key\'s resource id is "tableflow": set managedResource.id to "tableflow" (got "tf-1")',
    ],
    [
      { id: "everything", apiVersion: "global/v1", kind: "Global" },
      "managedResource.id",
      'a Global key\'s resource id is "global": set managedResource.id to "global" (got "everything")',
    ],
  ])("%j", async (managedResource, property, reason) => {
    const res = await adapters.ApiKey!.check!({}, { owner: { id: "sa-1" }, managedResource });
    expect(res.failures).toEqual([{ property, reason }]);
  });

  it("an environment still unknown at preview is not judged", async () => {
    const res = await adapters.ApiKey!.check!(
      {},
      {
        owner: { id: "sa-1" },
        managedResource: {
          id: "aws.us-east-1",
          kind: "Region",
          environment: { id: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" },
        },
      },
    );
    expect(res.failures).toEqual([]);
  });
});

describe("keyKindOf", () => {
  it.each([
    [undefined, "Cloud"],
    [{ id: "lkc-1" }, "Kafka"],
    [{ id: "lkc-1", apiVersion: "cmk/v2", kind: "Cluster" }, "Kafka"],
    [{ id: "lsrc-1" }, "SchemaRegistry"],
    [{ id: "lsrc-1", apiVersion: "srcm/v3", kind: "Cluster" }, "SchemaRegistry"],
    [{ id: "lsrc-1", apiVersion: "srcm/v2", kind: "SchemaRegistry" }, "SchemaRegistry"],
    [{ id: "lksqlc-1", apiVersion: "ksqldbcm/v2", kind: "Cluster" }, "ksqlDB"],
    [{ id: "aws.us-east-1" }, "Flink"],
    [{ id: "env-1.aws.us-east-1", apiVersion: "fcpm/v2", kind: "Region" }, "Flink"],
    [{ id: "tableflow" }, "Tableflow"],
    [{ id: "global" }, "Global"],
    [{ id: "x-1", kind: "Other" }, "Other"],
    [{ id: "lfcp-1", apiVersion: "fcpm/v2", kind: "ComputePool" }, "Other"],
  ])("%j is a %s key", (r, kind) => {
    expect(keyKindOf(r)).toBe(kind);
  });
});

describe("reading a Flink key back", () => {
  it("an answer in the older form <environment>.<cloud>.<region> reads as the region the program names", () => {
    const body = recorded("iam-v2/api-keys/get__created_flink_api_key.json") as {
      spec: { resource: Record<string, unknown> };
    };
    body.spec.resource.id = "env-3732nw.aws.us-east-1";
    expect(apiKeySpec.toOutputs(apiKeyResponse.parse(body)).managedResource).toEqual({
      id: "aws.us-east-1",
      apiVersion: "fcpm/v2",
      kind: "Region",
      environment: { id: "env-3732nw" },
    });
  });
});
