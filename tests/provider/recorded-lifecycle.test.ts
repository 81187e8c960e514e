/**
 * Every recorded real answer accepted end to end, not only by the schemas: each object is created, read,
 * updated, adopted and deleted through Pulumi's own dynamic-provider host against a server that answers only
 * with the recorded bodies (tests/provider/support/recorded-server.ts).
 *
 * The API-key recordings are the reason this file exists: the real API answers a Kafka key's create with no
 * `spec.resource.environment`, and the outputs once carried `environment: undefined`, which the host cannot
 * serialize; the key was made, its secret lost, and the next `up` made a second one.
 */
import { startProviderHost, unwrapSecrets, type PropertyMap, type ProviderHost } from "../../runner/host";
import { captureRegistration } from "./support/capture";
import {
  recorded,
  RECORDED_KEY,
  RECORDED_SECRET,
  startRecordedServer,
  type RecordedLife,
  type RecordedServer,
} from "./support/recorded-server";
import { FAST_ENV, plain, urnOf } from "./support/scenario";
import { apiKey } from "./table";

let server: RecordedServer;
let host: ProviderHost;
let keyProvider = "";

beforeAll(async () => {
  server = await startRecordedServer();
  const env: NodeJS.ProcessEnv = { ...process.env, ...FAST_ENV };
  delete env.CONFLUENT_CLOUD_API_KEY;
  delete env.CONFLUENT_CLOUD_API_SECRET;
  delete env.CONFLUENT_CLOUD_ENDPOINT;
  host = await startProviderHost({ env });
  await host.configure({
    "confluentcloud:cloudApiKey": RECORDED_KEY,
    "confluentcloud:cloudApiSecret": RECORDED_SECRET,
    "confluentcloud:endpoint": server.url,
  });
  keyProvider = (await captureRegistration(apiKey.register)).providerText;
});

afterAll(async () => {
  await host?.close();
  await server?.close();
});

interface RecordedSpec {
  create: { spec: Record<string, unknown> & { secret: string; display_name: string; description: string } };
  id: string;
}

/** The API-key recordings: one per key kind the real API answered. */
const keyKinds = [
  {
    name: "kafka",
    managedResource: {
      id: "lkc-zmmq63",
      apiVersion: "cmk/v2",
      kind: "Cluster",
      environment: { id: "env-abc123" },
    },
  },
  {
    name: "flink",
    managedResource: {
      id: "aws.us-east-1",
      apiVersion: "fcpm/v2",
      kind: "Region",
      environment: { id: "env-3732nw" },
    },
  },
  { name: "tableflow", managedResource: { id: "tableflow", apiVersion: "tableflow/v1", kind: "Tableflow" } },
  { name: "global", managedResource: { id: "global", apiVersion: "global/v1", kind: "Global" } },
  { name: "cloud", managedResource: undefined },
] as const;

describe.each(keyKinds)("the recorded $name API key", ({ name, managedResource }) => {
  const life: RecordedLife = {
    collection: "/iam/v2/api-keys",
    createStatus: 202,
    create: `iam-v2/api-keys/create__${name}_api_key.json`,
    get: `iam-v2/api-keys/get__created_${name}_api_key.json`,
    update: `iam-v2/api-keys/update_and_get__updated_${name}_api_key.json`,
    gone: `iam-v2/api-keys/error_get_after_delete__${name}_api_key.json`,
    goneStatus: 403,
    listKind: "ApiKeyList",
  };
  const created = recorded(life.create) as unknown as RecordedSpec["create"] & { id: string };
  const updated = recorded(life.update!) as unknown as RecordedSpec["create"];
  const id = created.id;
  const item = `/iam/v2/api-keys/${id}`;
  const urn = urnOf("ApiKey", `recorded-${name}`);
  const resource = created.spec.resource as Record<string, unknown>;
  // What the outputs hold: the answer's resource (the environment only when the API sent one).
  const answeredResource =
    managedResource === undefined
      ? undefined
      : {
          id: resource.id,
          apiVersion: resource.api_version,
          kind: resource.kind,
          ...(typeof resource.environment === "string" ? { environment: { id: resource.environment } } : {}),
        };
  const inputs: PropertyMap = {
    displayName: created.spec.display_name,
    description: created.spec.description,
    owner: { id: "sa-12mgdv", apiVersion: "iam/v2", kind: "ServiceAccount" },
    ...(managedResource === undefined ? {} : { managedResource }),
    // Readiness probes routes the recordings do not cover; it has its own tests (api-key-readiness).
    disableWaitForReady: true,
  };
  const news: PropertyMap = {
    ...inputs,
    displayName: updated.spec.display_name,
    description: updated.spec.description,
  };
  let outs: PropertyMap = {};

  beforeAll(() => server.load(life));

  it("create: one POST; the key is in state with its secret", async () => {
    const made = await host.create(urn, { ...inputs, __provider: keyProvider });
    expect(server.calls).toEqual(["POST /iam/v2/api-keys"]);
    expect(made.id).toBe(id);
    outs = made.outs;
    const out = unwrapSecrets(plain(outs)) as PropertyMap;
    expect(out.secret).toBe(created.spec.secret);
    expect(out.managedResource).toEqual(answeredResource);
    expect(out.displayName).toBe(created.spec.display_name);
  });

  it("refresh: one GET; the secret the GET no longer carries stays", async () => {
    server.calls.length = 0;
    const res = await host.read(id, urn, outs);
    expect(server.calls).toEqual([`GET ${item}`]);
    expect(res.id).toBe(id);
    const out = unwrapSecrets(plain(res.props)) as PropertyMap;
    expect(out.secret).toBe(created.spec.secret);
    expect(out.managedResource).toEqual(answeredResource);
    expect(plain(res.inputs ?? {})).toEqual(
      expect.objectContaining({ displayName: created.spec.display_name, owner: inputs.owner }),
    );
    const diff = await host.diff(id, urn, res.props, { ...inputs, __provider: keyProvider });
    expect(diff.changes).toBe(false);
    outs = res.props;
  });

  it("update: one PATCH with the new names", async () => {
    server.calls.length = 0;
    const res = await host.update(id, urn, outs, { ...news, __provider: keyProvider });
    expect(server.calls).toEqual([`PATCH ${item}`]);
    const out = unwrapSecrets(plain(res.outs)) as PropertyMap;
    expect(out.displayName).toBe(updated.spec.display_name);
    expect(out.description).toBe(updated.spec.description);
    expect(out.secret).toBe(created.spec.secret);
    outs = res.outs;
  });

  it("adoption: one GET, no PATCH when the program matches", async () => {
    server.calls.length = 0;
    const res = await host.create(urn, { ...news, importId: id, __provider: keyProvider });
    expect(server.calls).toEqual([`GET ${item}`]);
    expect(res.id).toBe(id);
    const out = unwrapSecrets(plain(res.outs)) as PropertyMap;
    expect(out.importId).toBe(id);
    expect(out.managedResource).toEqual(answeredResource);
  });

  it("delete: one DELETE; then refresh reads the recorded 403 as gone after one LIST probe", async () => {
    server.calls.length = 0;
    await host.delete(id, urn, outs);
    expect(server.calls).toEqual([`DELETE ${item}`]);
    server.calls.length = 0;
    const res = await host.read(id, urn, outs);
    expect(res.id).toBe("");
    expect(server.calls).toEqual([`GET ${item}`, "GET /iam/v2/api-keys?page_size=1"]);
  });
});
