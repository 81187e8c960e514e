/**
 * Every recorded real answer accepted end to end, not only by the schemas: each object is created, read,
 * updated, adopted and deleted through Pulumi's own dynamic-provider host against a server that answers only
 * with the recorded bodies (tests/provider/support/recorded-server.ts).
 *
 * Users only as far as recorded (adopt and refresh: they cannot be created).
 *
 * The API-key recordings are the reason this file exists: the real API answers a Kafka key's create with no
 * `spec.resource.environment`, and the outputs once carried `environment: undefined`, which the host cannot
 * serialize; the key was made, its secret lost, and the next `up` made a second one.
 */
import { secretWire, unwrapSecrets, type PropertyMap } from "../../protocol";
import { startProviderHost, type ProviderHost } from "../../runner/host";
import { captureRegistration } from "../../testing/capture";
import {
  recorded,
  RECORDED_KEY,
  RECORDED_SECRET,
  startRecordedServer,
  type RecordedLife,
  type RecordedServer,
} from "./support/recorded-server";
import { FAST_ENV, plain, urnOf } from "../../testing/scenario";
import { inputsNotInOutputs } from "./support/inputs-in-outputs";
import {
  apiKey,
  byokKey,
  identityPool,
  identityProvider,
  ipFilter,
  ipGroup,
  providerIntegration,
  roleBinding,
  invitation,
  serviceAccount,
  user,
} from "../../testing/table";

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
  // What the outputs hold: the answer's resource, and the program's environment where the API sent none
  // (a Kafka key: the real answer's resource has no environment).
  const answeredResource =
    managedResource === undefined
      ? undefined
      : {
          id: resource.id,
          apiVersion: resource.api_version,
          kind: resource.kind,
          ...(typeof resource.environment === "string"
            ? { environment: { id: resource.environment } }
            : "environment" in managedResource
              ? { environment: managedResource.environment }
              : {}),
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
    // Every input comes back, the environment the real answer leaves out too.
    expect(inputsNotInOutputs(inputs, out)).toEqual([]);
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

  if (name === "cloud") {
    it("adoption with a secret input that is not the key's: the recorded 401 fails it, naming the key, never the value", async () => {
      server.calls.length = 0;
      const wrong = "fake-wrong-secret-not-real-for-the-recorded-key";
      const err = await host
        .create(urn, { ...news, importId: id, secret: secretWire(wrong), __provider: keyProvider })
        .then(
          () => "created",
          (e: unknown) => (e instanceof Error ? e.message : String(e)),
        );
      expect(err).toContain(
        `Cannot import API key ${id}: the secret input does not authenticate as this key (GET ` +
          `/org/v2/environments?page_size=1 answered 401 Unauthorized with it).`,
      );
      expect(err).not.toContain(wrong);
      expect(server.calls).toEqual([`GET ${item}`, "GET /org/v2/environments?page_size=1"]);
    });
  }

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

/** Every other object with a recorded life: inputs as a program would declare the recorded object. */
interface ObjectLife {
  name: string;
  entry: typeof apiKey;
  life: RecordedLife;
  inputs: PropertyMap;
  /** The program after the recorded update (absent: the object has no PATCH, or none was recorded). */
  news?: PropertyMap;
  /** Outputs the recorded answers give, checked after create (and after update: `updatedOuts`). */
  createdOuts: PropertyMap;
  updatedOuts?: PropertyMap;
  importId: string;
  /** What GET/DELETE of the object are sent as (path and query). */
  item: string;
  /** Calls of a refresh after the delete (a 403 is believed only after a LIST probe). */
  goneCalls: string[];
  /** Why check refuses `importId` (a recording whose id is a spec example, not a real id format). */
  importRefused?: string;
}

const ORG_1 = "crn://confluent.cloud/organization=1111aaaa-11aa-11aa-11aa-111111aaaaaa";
const KMS_ARN = "arn:aws:kms:us-west-2:111111111111:key/11111111-1111-1111-1111-111111111111";
const RB_CRN =
  "crn://confluent.cloud/organization=0d9c5d94-e4fe-44ec-9cf1-bd99761fca75/environment=env-ym2y0k/cloud-cluster=lkc-xrk0ng";

const objects: ObjectLife[] = [
  {
    name: "service account",
    entry: serviceAccount,
    life: {
      collection: "/iam/v2/service-accounts",
      createStatus: 201,
      create: "iam-v2/service-accounts/create__sa.json",
      get: "iam-v2/service-accounts/create__sa.json",
      update: "iam-v2/service-accounts/update_and_get__updated_sa.json",
      gone: "iam-v2/service-accounts/error_get_after_delete__sa.json",
      goneStatus: 404,
    },
    inputs: {
      displayName: "test_service_account_display_name",
      description: "The initial description of service account",
    },
    news: {
      displayName: "test_service_account_updated_display_name",
      description: "The updated description of service account",
    },
    createdOuts: {
      displayName: "test_service_account_display_name",
      apiVersion: "iam/v2",
      kind: "ServiceAccount",
    },
    updatedOuts: { description: "The updated description of service account" },
    importId: "sa-1jjv26",
    item: "/iam/v2/service-accounts/sa-1jjv26",
    goneCalls: ["GET /iam/v2/service-accounts/sa-1jjv26"],
  },
  {
    name: "IP group",
    entry: ipGroup,
    life: {
      collection: "/iam/v2/ip-groups",
      createStatus: 201,
      create: "iam-v2/ip-groups/create_and_get__ip_group.json",
      get: "iam-v2/ip-groups/create_and_get__ip_group.json",
      update: "iam-v2/ip-groups/update_and_get__updated_ip_group.json",
      gone: "iam-v2/ip-groups/error_get_after_delete__ip_group.json",
      goneStatus: 404,
    },
    inputs: { groupName: "CorpNet", cidrBlocks: ["192.168.0.0/24", "192.168.7.0/24"] },
    news: { groupName: "UpdatedCorpNet", cidrBlocks: ["10.0.1.0/24", "172.16.5.0/24"] },
    createdOuts: { groupName: "CorpNet", cidrBlocks: ["192.168.0.0/24", "192.168.7.0/24"] },
    updatedOuts: { groupName: "UpdatedCorpNet", cidrBlocks: ["10.0.1.0/24", "172.16.5.0/24"] },
    importId: "ipg-wyorq",
    item: "/iam/v2/ip-groups/ipg-wyorq",
    goneCalls: ["GET /iam/v2/ip-groups/ipg-wyorq"],
  },
  {
    name: "IP filter",
    entry: ipFilter,
    life: {
      collection: "/iam/v2/ip-filters",
      createStatus: 201,
      create: "iam-v2/ip-filters/create_and_get__ip_filter.json",
      get: "iam-v2/ip-filters/create_and_get__ip_filter.json",
      update: "iam-v2/ip-filters/update_and_get__updated_ip_filter.json",
      gone: "iam-v2/ip-filters/error_get_after_delete__ip_filter.json",
      goneStatus: 404,
    },
    inputs: {
      filterName: "New Filter",
      resourceGroup: "multiple",
      resourceScope: ORG_1,
      operationGroups: ["MANAGEMENT", "FLINK"],
      ipGroups: ["ipg-3o91o"],
    },
    news: {
      filterName: "Updated Filter",
      resourceGroup: "multiple",
      resourceScope: ORG_1,
      operationGroups: ["MANAGEMENT"],
      ipGroups: ["ipg-3q56d"],
    },
    createdOuts: {
      filterName: "New Filter",
      ipGroups: ["ipg-3o91o"],
      operationGroups: ["MANAGEMENT", "FLINK"],
    },
    updatedOuts: { filterName: "Updated Filter", ipGroups: ["ipg-3q56d"], operationGroups: ["MANAGEMENT"] },
    importId: "ipf-w7rg0",
    item: "/iam/v2/ip-filters/ipf-w7rg0",
    goneCalls: ["GET /iam/v2/ip-filters/ipf-w7rg0"],
  },
  {
    name: "role binding",
    entry: roleBinding,
    life: {
      collection: "/iam/v2/role-bindings",
      createStatus: 201,
      create: "iam-v2/role-bindings/create_and_get__role_binding.json",
      get: "iam-v2/role-bindings/create_and_get__role_binding.json",
      gone: "iam-v2/role-bindings/error_get_after_delete__role_binding.json",
      goneStatus: 403,
      deleteStatus: 200,
      listKind: "RoleBindingList",
    },
    inputs: { principal: "User:u-vr99n5", roleName: "CloudClusterAdmin", crnPattern: RB_CRN },
    createdOuts: { principal: "User:u-vr99n5", roleName: "CloudClusterAdmin", crnPattern: RB_CRN },
    importId: "rb-OOXL7",
    item: "/iam/v2/role-bindings/rb-OOXL7",
    goneCalls: [
      "GET /iam/v2/role-bindings/rb-OOXL7",
      `GET /iam/v2/role-bindings?crn_pattern=${encodeURIComponent(RB_CRN)}&page_size=1`,
    ],
  },
  {
    name: "identity provider",
    entry: identityProvider,
    life: {
      collection: "/iam/v2/identity-providers",
      createStatus: 201,
      create: "iam-v2/identity-providers/create__identity_provider.json",
      get: "iam-v2/identity-providers/get__created_identity_provider.json",
      update: "iam-v2/identity-providers/update_and_get__updated_identity_provider.json",
      gone: "iam-v2/identity-providers/error_get_after_delete__identity_provider.json",
      goneStatus: 404,
    },
    inputs: {
      displayName: "My OIDC Provider",
      description: "fake description",
      issuer: "https://login.microsoftonline.com/11111111-0000-0000-0000-b3d3d184f1a5/v2.0",
      jwksUri: "https://login.microsoftonline.com/common/discovery/v2.0/keys",
      identityClaim: "claims.aud",
    },
    news: {
      displayName: "My OIDC Provider updated",
      description: "fake description updated",
      issuer: "https://login.microsoftonline.com/11111111-0000-0000-0000-b3d3d184f1a5/v2.1",
      jwksUri: "https://login.microsoftonline.com/common/discovery/v2.1/keys",
      identityClaim: "claims.aud",
    },
    createdOuts: { displayName: "My OIDC Provider", identityClaim: "claims.aud" },
    updatedOuts: { displayName: "My OIDC Provider updated", description: "fake description updated" },
    importId: "op-4EY",
    item: "/iam/v2/identity-providers/op-4EY",
    goneCalls: ["GET /iam/v2/identity-providers/op-4EY"],
  },
  {
    name: "identity pool",
    entry: identityPool,
    life: {
      collection: "/iam/v2/identity-providers/op-4EY/identity-pools",
      createStatus: 201,
      create: "iam-v2/identity-pools/create_and_get__identity_pool.json",
      get: "iam-v2/identity-pools/create_and_get__identity_pool.json",
      update: "iam-v2/identity-pools/update_and_get__updated_identity_pool.json",
      gone: "iam-v2/identity-pools/error_get_after_delete__identity_pool.json",
      goneStatus: 404,
    },
    inputs: {
      identityProvider: { id: "op-4EY" },
      displayName: "My Identity Pool",
      description: "Prod Access to Kafka clusters to Release Engineering",
      identityClaim: "claims.sub",
      filter: 'claims.aud=="confluent" && claims.group!="invalid_group"',
    },
    news: {
      identityProvider: { id: "op-4EY" },
      displayName: "My Identity Pool updated",
      description: "Prod Access to Kafka clusters to Release Engineering updated",
      identityClaim: "aud",
      filter: 'claims.aud=="confluent"',
    },
    createdOuts: { identityProvider: { id: "op-4EY" }, displayName: "My Identity Pool" },
    updatedOuts: { displayName: "My Identity Pool updated", identityClaim: "aud" },
    importId: "op-4EY/pool-AzXR",
    item: "/iam/v2/identity-providers/op-4EY/identity-pools/pool-AzXR",
    goneCalls: ["GET /iam/v2/identity-providers/op-4EY/identity-pools/pool-AzXR"],
  },
  {
    name: "BYOK key",
    entry: byokKey,
    life: {
      collection: "/byok/v1/keys",
      createStatus: 201,
      create: "byok-v1/keys/create_and_get__aws_key.json",
      get: "byok-v1/keys/create_and_get__aws_key.json",
      // No BYOK "gone" answer was recorded: another object's recorded 404 (the same envelope) stands in.
      gone: "iam-v2/ip-groups/error_get_after_delete__ip_group.json",
      goneStatus: 404,
    },
    inputs: { aws: { keyArn: KMS_ARN } },
    createdOuts: { provider: "AWS", state: "AVAILABLE" },
    importId: "cck-abcde",
    item: "/byok/v1/keys/cck-abcde",
    goneCalls: ["GET /byok/v1/keys/cck-abcde"],
  },
  {
    name: "provider integration",
    entry: providerIntegration,
    life: {
      collection: "/pim/v1/integrations",
      createStatus: 201,
      create: "pim-v1/integrations/create__aws_integration.json",
      get: "pim-v1/integrations/get__aws_integration.json",
      gone: "pim-v1/integrations/error_get_after_delete__integration.json",
      goneStatus: 404,
    },
    inputs: {
      displayName: "s3_provider_integration",
      environment: { id: "env-00000" },
      aws: { customerRoleArn: "arn:aws:iam::000000000000:role/my-test-aws-role" },
    },
    createdOuts: {
      displayName: "s3_provider_integration",
      aws: {
        customerRoleArn: "arn:aws:iam::000000000000:role/my-test-aws-role",
        iamRoleArn: "arn:aws:iam::000000000000:role/my-test-aws-role",
        externalId: "95c35493-41aa-44f8-9154-5a25cbbc1865",
      },
    },
    importId: "env-00000/dlz-f3a90de",
    // A spec example (INDEX.json: tf-mock-spec-example), not a captured id: real integrations are cspi-….
    importRefused: 'importId: must look like env-…/cspi-…; got "env-00000/dlz-f3a90de"',
    item: "/pim/v1/integrations/dlz-f3a90de?environment=env-00000",
    goneCalls: ["GET /pim/v1/integrations/dlz-f3a90de?environment=env-00000"],
  },
  {
    name: "invitation",
    entry: invitation,
    life: {
      collection: "/iam/v2/invitations",
      createStatus: 201,
      create: "iam-v2/invitations/create__invitation.json",
      get: "iam-v2/invitations/create__invitation.json",
      // No invitation "gone" answer was recorded: another iam/v2 object's recorded 404 stands in.
      gone: "iam-v2/service-accounts/error_get_after_delete__sa.json",
      goneStatus: 404,
    },
    inputs: { email: "zli00000000@confluent.io", authType: "AUTH_TYPE_LOCAL" },
    createdOuts: { email: "zli00000000@confluent.io", status: "INVITE_STATUS_SENT" },
    importId: "i-7od91",
    item: "/iam/v2/invitations/i-7od91",
    goneCalls: ["GET /iam/v2/invitations/i-7od91"],
  },
];

describe.each(objects)("the recorded $name", (o) => {
  const urn = urnOf(o.entry.kind, `recorded-${o.name.replace(/ /g, "-")}`);
  const id = o.importId.split("/").pop()!;
  let provider = "";
  let outs: PropertyMap = {};
  const program = o.news ?? o.inputs;

  beforeAll(async () => {
    provider = (await captureRegistration(o.entry.register)).providerText;
    server.load(o.life);
  });

  it("create: one POST; the outputs are the recorded answer's", async () => {
    const made = await host.create(urn, { ...o.inputs, __provider: provider });
    expect(server.calls).toEqual([`POST ${o.life.collection}`]);
    expect(made.id).toBe(id);
    expect(plain(made.outs)).toEqual(expect.objectContaining(o.createdOuts));
    // Every input comes back, where the API does not echo it too.
    expect(inputsNotInOutputs(o.inputs, unwrapSecrets(plain(made.outs)))).toEqual([]);
    outs = made.outs;
  });

  it("refresh: one GET; no diff against the program", async () => {
    server.calls.length = 0;
    const res = await host.read(id, urn, outs);
    expect(server.calls).toEqual([`GET ${o.item}`]);
    expect(res.id).toBe(id);
    const diff = await host.diff(id, urn, res.props, { ...o.inputs, __provider: provider });
    expect({ changes: diff.changes, replaces: diff.replaces }).toEqual({ changes: false, replaces: [] });
    outs = res.props;
  });

  if (o.news !== undefined) {
    it("update: one PATCH; the outputs are the recorded update's", async () => {
      server.calls.length = 0;
      const res = await host.update(id, urn, outs, { ...o.news, __provider: provider });
      expect(server.calls).toEqual([`PATCH ${o.item.replace(/\?.*$/, "")}`]);
      expect(plain(res.outs)).toEqual(expect.objectContaining(o.updatedOuts ?? {}));
      outs = res.outs;
    });
  }

  if (o.importRefused === undefined) {
    it("adoption: one GET, no PATCH when the program matches", async () => {
      server.calls.length = 0;
      const res = await host.create(urn, { ...program, importId: o.importId, __provider: provider });
      expect(server.calls).toEqual([`GET ${o.item}`]);
      expect(res.id).toBe(id);
    });
  } else {
    const refused = o.importRefused;
    it("adoption of the spec example's id is refused by check, before any call", async () => {
      server.calls.length = 0;
      const res = await host.check(urn, {}, { ...program, importId: o.importId, __provider: provider });
      expect(res.failures.map((f) => `${f.property}: ${f.reason}`)).toEqual([refused]);
      expect(server.calls).toEqual([]);
    });
  }

  it("delete: one DELETE; then refresh reads the recorded gone answer as gone", async () => {
    server.calls.length = 0;
    await host.delete(id, urn, outs);
    expect(server.calls).toEqual([`DELETE ${o.item}`]);
    server.calls.length = 0;
    const res = await host.read(id, urn, outs);
    expect(res.id).toBe("");
    expect(server.calls).toEqual(o.goneCalls);
  });
});

describe("the recorded user (users cannot be created: adopted, then refreshed)", () => {
  const urn = urnOf("User", "recorded-user");
  let provider = "";
  let outs: PropertyMap = {};

  beforeAll(async () => {
    provider = (await captureRegistration(user.register)).providerText;
    server.load({
      collection: "/iam/v2/users",
      createStatus: 201,
      create: "iam-v2/users/get__user.json",
      get: "iam-v2/users/get__user.json",
      gone: "iam-v2/service-accounts/error_get_after_delete__sa.json",
      goneStatus: 404,
      existing: true,
    });
  });

  it("adoption: one GET; the outputs are the recorded user", async () => {
    const res = await host.create(urn, { fullName: "Alex #3", importId: "u-1jjv23", __provider: provider });
    expect(server.calls).toEqual(["GET /iam/v2/users/u-1jjv23"]);
    expect(res.id).toBe("u-1jjv23");
    expect(plain(res.outs)).toEqual(
      expect.objectContaining({ fullName: "Alex #3", email: "test3@gmail.com" }),
    );
    outs = res.outs;
  });

  it("refresh: one GET, no diff against the program", async () => {
    server.calls.length = 0;
    const res = await host.read("u-1jjv23", urn, outs);
    expect(server.calls).toEqual(["GET /iam/v2/users/u-1jjv23"]);
    const diff = await host.diff("u-1jjv23", urn, res.props, { fullName: "Alex #3", __provider: provider });
    expect(diff.changes).toBe(false);
  });
});
