/**
 * "Gone" is decided per object, and a 403 (which the API uses to hide whether an API key or role binding
 * exists) is believed only after the same credentials are shown able to list that kind of object.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { adapters, closeClients } from "pulumi-confluent-iam/provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorApi } from "../../testing/emulator-api";

let emu: RunningEmulator;
let api: EmulatorApi;
let denyAll: http.Server;
let denyAllUrl = "";
const seen: string[] = [];
let inUse: http.Server;
let inUseUrl = "";
const inUseSeen: string[] = [];

function useEndpoint(url: string, key: string, secret: string): void {
  process.env.CONFLUENT_CLOUD_ENDPOINT = url;
  process.env.CONFLUENT_CLOUD_API_KEY = key;
  process.env.CONFLUENT_CLOUD_API_SECRET = secret;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  api = new EmulatorApi(emu);
  // Credentials that may read nothing: every call answers 403 in the flat envelope role bindings use.
  denyAll = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(403, { "content-type": "application/json" });
    res.end(JSON.stringify({ error_code: 40301, message: "Forbidden" }));
  });
  await new Promise<void>((r) => denyAll.listen(0, "127.0.0.1", r));
  denyAllUrl = `http://127.0.0.1:${(denyAll.address() as AddressInfo).port}`;
  // An integration that a connector still uses: its DELETE is refused with a 409 in the standard envelope
  // (the emulator does not model usages).
  inUse = http.createServer((req, res) => {
    inUseSeen.push(`${req.method} ${req.url}`);
    res.writeHead(409, { "content-type": "application/json" });
    res.end(
      JSON.stringify({ errors: [{ status: "409", code: "conflict", detail: "Integration is in use" }] }),
    );
  });
  await new Promise<void>((r) => inUse.listen(0, "127.0.0.1", r));
  inUseUrl = `http://127.0.0.1:${(inUse.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await closeClients();
  await emu.close();
  await new Promise((r) => denyAll.close(r));
  await new Promise((r) => inUse.close(r));
  delete process.env.CONFLUENT_CLOUD_ENDPOINT;
  delete process.env.CONFLUENT_CLOUD_API_KEY;
  delete process.env.CONFLUENT_CLOUD_API_SECRET;
});

describe("403 on read", () => {
  it("a deleted API key answers 403; with credentials that can list keys it reads as gone (GET, then one LIST page_size=1)", async () => {
    useEndpoint(emu.url, emu.apiKey, emu.apiSecret);
    await api.clearLog();
    const res = await adapters.ApiKey!.read("EMUNOSUCHKEY01", { owner: { id: "sa-1" } });
    expect(res).toEqual({ id: "", props: {} });
    const log = await api.log();
    expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /iam/v2/api-keys/EMUNOSUCHKEY01 403",
      "GET /iam/v2/api-keys 200",
    ]);
    expect(log[1]!.query).toEqual({ page_size: "1" });
  });

  it("a 403 from credentials that cannot list API keys is a permission error naming the key, the kind and what to grant", async () => {
    useEndpoint(denyAllUrl, "DENYALLKEY", "deny-all-secret-not-real");
    seen.length = 0;
    await expect(adapters.ApiKey!.read("ABCDEF123", { owner: { id: "sa-1" } })).rejects.toThrow(
      "Cannot read API key ABCDEF123: the API answered 403 Forbidden and the credentials in use cannot list " +
        "API keys either, so this is a missing permission, not a deleted object. Use a Cloud API key whose owner " +
        "may read API keys (e.g. OrganizationAdmin, or the key's own owner).",
    );
    expect(seen).toEqual(["GET /iam/v2/api-keys/ABCDEF123", "GET /iam/v2/api-keys?page_size=1"]);
  });

  it("a role binding 403 (flat error_code 40301 envelope) from credentials that cannot list is an error too", async () => {
    useEndpoint(denyAllUrl, "DENYALLKEY", "deny-all-secret-not-real");
    seen.length = 0;
    const crn = "crn://confluent.cloud/organization=o";
    await expect(
      adapters.RoleBinding!.read("rb-1", { principal: "User:u-1", roleName: "R", crnPattern: crn }),
    ).rejects.toThrow("Cannot read role binding rb-1: the API answered 403 Forbidden");
    expect(seen).toEqual([
      "GET /iam/v2/role-bindings/rb-1",
      `GET /iam/v2/role-bindings?crn_pattern=${encodeURIComponent(crn)}&page_size=1`,
    ]);
  });

  it("a 403 for an object whose spec does not treat 403 as gone (service account) is an error, with no LIST", async () => {
    useEndpoint(denyAllUrl, "DENYALLKEY", "deny-all-secret-not-real");
    seen.length = 0;
    await expect(adapters.ServiceAccount!.read("sa-1", {})).rejects.toThrow("403");
    expect(seen).toEqual(["GET /iam/v2/service-accounts/sa-1"]);
  });

  it("delete of a key that is already gone (403 with credentials that can list) counts as deleted", async () => {
    useEndpoint(emu.url, emu.apiKey, emu.apiSecret);
    await api.clearLog();
    await adapters.ApiKey!.delete("EMUNOSUCHKEY02", { owner: { id: "sa-1" } });
    expect(await api.calls()).toEqual(["DELETE /iam/v2/api-keys/EMUNOSUCHKEY02", "GET /iam/v2/api-keys"]);
  });
});

describe("delete never pretends", () => {
  const CONNECTOR =
    "crn://confluent.cloud/organization=o/environment=env-1/cloud-cluster=lkc-1/connector=s3-sink";

  it("a provider integration in use (409): the error names its usages and what to do; the DELETE carried ?environment=", async () => {
    useEndpoint(inUseUrl, "INUSEKEY", "in-use-secret-not-real");
    inUseSeen.length = 0;
    await expect(
      adapters.ProviderIntegration!.delete("cspi-1", { environment: { id: "env-1" }, usages: [CONNECTOR] }),
    ).rejects.toThrow(
      "Could not delete provider integration cspi-1; it still exists: DELETE /pim/v1/integrations/cspi-1 failed " +
        `with 409 Conflict: Integration is in use. It is in use by ${CONNECTOR} (as of the last refresh): delete ` +
        "or reconfigure those first, then run pulumi destroy again.",
    );
    expect(inUseSeen).toEqual(["DELETE /pim/v1/integrations/cspi-1?environment=env-1"]);
  });

  it("with no usages recorded, the 409 gets the hint to look at usages after a refresh", async () => {
    useEndpoint(inUseUrl, "INUSEKEY", "in-use-secret-not-real");
    await expect(
      adapters.ProviderIntegration!.delete("env-1/cspi-2", { environment: { id: "env-1" }, usages: [] }),
    ).rejects.toThrow(
      "DELETE /pim/v1/integrations/cspi-2 failed with 409 Conflict: Integration is in use A provider integration " +
        "that connectors or other resources still use cannot be deleted: remove those first (run pulumi refresh " +
        "to see them in usages).",
    );
  });

  it("a deleted integration (404) counts as deleted", async () => {
    useEndpoint(emu.url, emu.apiKey, emu.apiSecret);
    await api.clearLog();
    await adapters.ProviderIntegration!.delete("cspi-none", { environment: { id: "env-demo01" } });
    expect((await api.log()).map((r) => `${r.method} ${r.path} ${r.status} ${r.query.environment}`)).toEqual([
      "DELETE /pim/v1/integrations/cspi-none 404 env-demo01",
    ]);
  });
});

describe("import IDs that lack the parent the API needs", () => {
  it("a provider integration needs env-…/cspi-…", async () => {
    useEndpoint(emu.url, emu.apiKey, emu.apiSecret);
    await expect(adapters.ProviderIntegration!.read("cspi-1", {})).rejects.toThrow(
      "Cannot find provider integration cspi-1: the API needs its environment. A provider integration is " +
        "imported as <environment id>/<integration id>, e.g. env-abc123/cspi-4xyz.",
    );
  });

  it("an identity pool needs op-…/pool-…", async () => {
    useEndpoint(emu.url, emu.apiKey, emu.apiSecret);
    await expect(adapters.IdentityPool!.read("pool-1", {})).rejects.toThrow(
      "Cannot find identity pool pool-1: its identity provider is not known. An identity pool is imported as " +
        "<identity provider id>/<pool id>, e.g. op-abc123/pool-XyZ1.",
    );
  });

  it("a pool whose identity provider was deleted reads as gone (404 names the provider)", async () => {
    useEndpoint(emu.url, emu.apiKey, emu.apiSecret);
    await api.clearLog();
    expect(await adapters.IdentityPool!.read("op-none/pool-1", {})).toEqual({ id: "", props: {} });
    expect((await api.log()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /iam/v2/identity-providers/op-none/identity-pools/pool-1 404",
    ]);
  });
});

describe("missing credentials", () => {
  it("one error naming both ways to set them", async () => {
    delete process.env.CONFLUENT_CLOUD_API_KEY;
    delete process.env.CONFLUENT_CLOUD_API_SECRET;
    await expect(adapters.ServiceAccount!.read("sa-1", {})).rejects.toThrow(
      "Confluent Cloud credentials are not set. Either set the stack config (pulumi config set " +
        "confluentcloud:cloudApiKey <key> and pulumi config set --secret confluentcloud:cloudApiSecret <secret>) " +
        "or the environment variables CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET.",
    );
  });
});
