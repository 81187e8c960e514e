/**
 * "Gone" is decided per object, and a 403 (which the API uses to hide whether an API key or role binding
 * exists) is believed only after the same credentials are shown able to list that kind of object.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { adapters, closeClients } from "pulumi-confluent-iam/provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorApi } from "./support/emulator-api";

let emu: RunningEmulator;
let api: EmulatorApi;
let denyAll: http.Server;
let denyAllUrl = "";
const seen: string[] = [];

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
});

afterAll(async () => {
  await closeClients();
  await emu.close();
  await new Promise((r) => denyAll.close(r));
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
