/**
 * getOrganization / getOrganizationOutput: the organization the credentials belong to, read with one list of
 * `GET /org/v2/organizations` (org_v2.yaml). Against the emulator for what it answers (its request log gives
 * the exact calls, and a service account without a role gives the 403), and against a loopback server for
 * the answers the emulator never gives (no organization, several, a second page).
 */
import * as http from "http";
import type { AddressInfo } from "net";
import * as pulumi from "@pulumi/pulumi";
import { getOrganization, getOrganizationOutput, type GetOrganizationResult } from "pulumi-confluent-iam";
import { closeClients } from "pulumi-confluent-iam/provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorApi } from "../../testing/emulator-api";
import { callLine, clearLookupEnv, useEndpoint, useLookupTuning } from "./support/lookup-env";

const ORG = "b0b0cafe-0000-4000-8000-00000000000a";
const OTHER = "b0b0cafe-0000-4000-8000-00000000000b";

let emu: RunningEmulator;
let api: EmulatorApi;
let server: http.Server;
let serverUrl = "";
/** What the loopback server answers to `GET /org/v2/organizations`, by page token (`""` for the first). */
let pages: Record<string, { status: number; body: unknown }> = {};
/** `METHOD path?query` of each request the loopback server got. */
let seen: string[] = [];

const org = (id: string, name: string) => ({
  api_version: "org/v2",
  kind: "Organization",
  id,
  metadata: {
    self: `${serverUrl}/org/v2/organizations/${id}`,
    resource_name: `crn://confluent.cloud/organization=${id}`,
  },
  display_name: name,
  jit_enabled: false,
});
const list = (data: unknown[], next?: string) => ({
  status: 200,
  body: {
    api_version: "org/v2",
    kind: "OrganizationList",
    metadata: next === undefined ? {} : { next: `${serverUrl}/org/v2/organizations?page_token=${next}` },
    data,
  },
});

async function messageOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the lookup to fail");
}

const valueOf = (out: pulumi.Output<GetOrganizationResult>): Promise<GetOrganizationResult> =>
  new Promise((resolve) => out.apply((o) => resolve(o)));

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    seed: {
      organization_id: ORG,
      users: [],
      environments: [{ id: "env-org01", display_name: "org" }],
      kafka_clusters: [],
      schema_registries: [],
    },
  });
  api = new EmulatorApi(emu);
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    seen.push(`${req.method ?? ""} ${url.pathname}${url.search}`);
    const answer =
      url.pathname === "/org/v2/organizations" ? pages[url.searchParams.get("page_token") ?? ""] : undefined;
    const { status, body } = answer ?? { status: 404, body: { errors: [{ status: "404", detail: "no" }] } };
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  useLookupTuning(300);
});

afterAll(async () => {
  await closeClients();
  await emu?.close();
  await new Promise((r) => server?.close(r));
  clearLookupEnv();
});

beforeEach(() => {
  useEndpoint(emu.url, emu.apiKey, emu.apiSecret);
  pages = {};
  seen = [];
});

describe("against the emulator", () => {
  it("getOrganization is one GET /org/v2/organizations at page size 100, giving id, CRN and name", async () => {
    await api.clearLog();
    expect(await getOrganization()).toEqual({
      id: ORG,
      resourceName: `crn://confluent.cloud/organization=${ORG}`,
      displayName: "emulated organization",
    });
    expect((await api.log()).map((r) => `${callLine(r)} ${r.status}`)).toEqual([
      "GET /org/v2/organizations?page_size=100 200",
    ]);
  });

  it("getOrganizationOutput gives the same, as an Output; an id argument picks the organization", async () => {
    await api.clearLog();
    const out = await valueOf(getOrganizationOutput());
    expect(out.id).toBe(ORG);
    expect((await valueOf(getOrganizationOutput({ id: pulumi.output(ORG) }))).resourceName).toBe(
      `crn://confluent.cloud/organization=${ORG}`,
    );
    expect(await api.calls()).toEqual(["GET /org/v2/organizations", "GET /org/v2/organizations"]);
    expect(await messageOf(getOrganization({ id: OTHER }))).toBe(
      `getOrganization: no organization with id ${OTHER} among those the credentials belong to (${ORG}). ` +
        `Pass one of these as id, or use a Cloud API key of organization ${OTHER}.`,
    );
  });

  it("a wrong secret: 401, and the error names the config keys and variables to set", async () => {
    useEndpoint(emu.url, emu.apiKey, "not-the-secret-fake");
    await api.clearLog();
    expect(await messageOf(getOrganization())).toBe(
      "getOrganization: GET /org/v2/organizations answered 401 Unauthorized: the API key or secret is " +
        "wrong, or the key is not a Cloud API key (a Kafka or Schema Registry key cannot read the " +
        "organization). Set confluentcloud:cloudApiKey and confluentcloud:cloudApiSecret (or " +
        "CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET) to a Cloud API key and its secret.",
    );
    expect((await api.log()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /org/v2/organizations 401",
    ]);
  });

  it("a service account with no role: 403, and the error names the roles that can read it", async () => {
    const sa = (await api.ok("POST", "/iam/v2/service-accounts", { display_name: "no-roles" })) as {
      id: string;
    };
    const key = (await api.ok("POST", "/iam/v2/api-keys", {
      spec: { display_name: "no-roles key", owner: { id: sa.id } },
    })) as { id: string; spec: { secret: string } };
    useEndpoint(emu.url, key.id, key.spec.secret);
    await api.clearLog();
    expect(await messageOf(getOrganization())).toBe(
      "getOrganization: GET /org/v2/organizations answered 403 Forbidden: the credentials' owner may not " +
        "read the organization. Grant it a role on the organization that can (OrganizationAdmin, " +
        "AccountAdmin or Operator), or use the Cloud API key of one that has it.",
    );
    expect((await api.log()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /org/v2/organizations 403",
    ]);
  });
});

describe("answers the emulator never gives (loopback server)", () => {
  beforeEach(() => useEndpoint(serverUrl, "FAKEKEY", "fake-secret-not-real"));

  it("no organization at all", async () => {
    pages = { "": list([]) };
    expect(await messageOf(getOrganization())).toBe(
      "getOrganization: GET /org/v2/organizations answered no organization: the credentials belong to " +
        "none. Use a Cloud API key of a user or service account of the organization.",
    );
    expect(seen).toEqual(["GET /org/v2/organizations?page_size=100"]);
  });

  it("several organizations, over two pages: says which ids and how to choose; the id argument chooses", async () => {
    pages = { "": list([org(ORG, "first")], "p2"), p2: list([org(OTHER, "second")]) };
    expect(await messageOf(getOrganization())).toBe(
      `getOrganization: the credentials belong to 2 organizations (${ORG}, ${OTHER}); say which one with ` +
        `the id argument, e.g. getOrganization({ id: "${ORG}" }).`,
    );
    expect(seen).toEqual([
      "GET /org/v2/organizations?page_size=100",
      "GET /org/v2/organizations?page_size=100&page_token=p2",
    ]);
    expect(await getOrganization({ id: OTHER })).toEqual({
      id: OTHER,
      resourceName: `crn://confluent.cloud/organization=${OTHER}`,
      displayName: "second",
    });
  });

  it("an organization without metadata.resource_name or display_name: the CRN is built from the id", async () => {
    pages = { "": list([{ api_version: "org/v2", kind: "Organization", id: OTHER }]) };
    expect(await getOrganization()).toEqual({
      id: OTHER,
      resourceName: `crn://confluent.cloud/organization=${OTHER}`,
      displayName: "",
    });
  });
});
