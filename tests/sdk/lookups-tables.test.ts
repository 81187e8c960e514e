/**
 * Issue 13: the lookups declared as tables in sdk/lookups.ts (getGroupMapping, getIdentityPool,
 * getInvitation, getIpFilter, getIpGroup, getRoleBinding, getEnvironment, getEnvironments), called as a
 * program calls them, against the emulator. Its request log gives the exact calls; lists longer than one
 * page are read through the `metadata.next` links the emulator sends on a foreign origin
 * (`https://confluent.cloud/api/…`, as the real API does), of which only the page token is used.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  getEnvironment,
  getEnvironmentOutput,
  getEnvironments,
  getEnvironmentsOutput,
  getGroupMapping,
  getGroupMappingOutput,
  getIdentityPool,
  getIdentityPoolOutput,
  getInvitation,
  getIpFilter,
  getIpGroup,
  getIpGroupOutput,
  getProviderIntegration,
  getProviderIntegrationOutput,
  getRoleBinding,
  getRoleBindingOutput,
  getUsers,
} from "pulumi-confluent-iam";
import { closeClients } from "pulumi-confluent-iam/provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { groupMappingSpec } from "../../provider/specs/group-mapping";
import { EmulatorApi, type LoggedRequest } from "../../testing/emulator-api";
import { callLine, clearLookupEnv, useEndpoint, useLookupTuning } from "./support/lookup-env";

const ORG = "b0b0cafe-0000-4000-8000-00000000013a";
const ENVIRONMENTS = 250;
/** More than one page (100) of group mappings and identity pools. */
const MANY = 101;
/** The read-lag window these tests give lookups (CONFLUENT_IAM_RECONCILE_WAIT_MS). */
const WINDOW_MS = 300;

const envId = (i: number): string => `env-t${String(i).padStart(3, "0")}`;

let emu: RunningEmulator;
let api: EmulatorApi;
let opId = "";
let otherOpId = "";

/** The message of a rejected promise. */
const messageOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "resolved",
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );

/** The value of an Output, outside a Pulumi program. */
const valueOf = <T>(out: pulumi.Output<T>): Promise<T> => new Promise((resolve) => out.apply(resolve));

/** `METHOD path?query` of each logged request. */
const logged = async (): Promise<string[]> => (await api.log()).map(callLine);

/** The list calls of `path` in the log: their page size and whether they carried a page token. */
const pagesOf = (log: LoggedRequest[], path: string): string[] =>
  log
    .filter((r) => r.path === path)
    .map((r) => `page_size=${r.query.page_size} ${r.query.page_token ? "with" : "without"} page_token`);

/** Runs `n` calls, 10 at a time. */
async function inBatches(n: number, call: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, j) => call(i + j)));
  }
}

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    seed: {
      organization_id: ORG,
      users: [{ id: "u-t001", email: "owner@example.com", full_name: "Owner", auth_type: "AUTH_TYPE_LOCAL" }],
      environments: Array.from({ length: ENVIRONMENTS }, (_, i) => ({
        id: envId(i),
        // Two environments share a name (the API allows it).
        display_name: i === 7 || i === 8 ? "shared" : `Env ${i}`,
      })),
      kafka_clusters: [],
      schema_registries: [],
    },
  });
  api = new EmulatorApi(emu);
  useEndpoint(emu.url, emu.apiKey, emu.apiSecret);
  useLookupTuning(WINDOW_MS);
  await inBatches(MANY, (i) =>
    api.ok("POST", "/iam/v2/sso/group-mappings", {
      display_name: `team-${i}`,
      description: `Team ${i}`,
      filter: `"team-${i}" in groups`,
    }),
  );
  const idp = (name: string) =>
    api.ok("POST", "/iam/v2/identity-providers", {
      display_name: name,
      description: "corporate",
      issuer: `https://${name}.example.com/v2.0`,
      jwks_uri: `https://${name}.example.com/keys`,
    }) as Promise<{ id: string }>;
  opId = (await idp("corp")).id;
  otherOpId = (await idp("other")).id;
  await inBatches(MANY, (i) =>
    api.ok("POST", `/iam/v2/identity-providers/${opId}/identity-pools`, {
      display_name: `pool-${i}`,
      description: `Workloads ${i}`,
      identity_claim: "claims.sub",
      filter: `claims.app == "app-${i}"`,
    }),
  );
});

afterAll(async () => {
  await closeClients();
  await emu?.close();
  clearLookupEnv();
});

beforeEach(async () => {
  useEndpoint(emu.url, emu.apiKey, emu.apiSecret);
  await api.clearLog();
});

describe("getEnvironments / getEnvironment (org/v2, read-only in the emulator)", () => {
  it("the emulator's list links point at another origin, carrying only the page token", async () => {
    const page = (await api.ok("GET", "/org/v2/environments?page_size=100")) as {
      metadata: { next?: string };
    };
    expect(page.metadata.next).toMatch(
      /^https:\/\/confluent\.cloud\/api\/org\/v2\/environments\?page_token=[^&]+$/,
    );
  });

  it(`getEnvironments reads all ${ENVIRONMENTS} environments: 3 pages of 100, through the next links`, async () => {
    const res = await getEnvironments();
    expect(res.ids).toEqual(Array.from({ length: ENVIRONMENTS }, (_, i) => envId(i)));
    expect(res.environments[249]).toEqual({
      id: "env-t249",
      displayName: "Env 249",
      resourceName: `crn://confluent.cloud/organization=${ORG}/environment=env-t249`,
      streamGovernance: { package: "ESSENTIALS" },
    });
    expect(pagesOf(await api.log(), "/org/v2/environments")).toEqual([
      "page_size=100 without page_token",
      "page_size=100 with page_token",
      "page_size=100 with page_token",
    ]);
  });

  it("getEnvironment by display name finds one on the last page; by id it is one GET", async () => {
    const byName = await getEnvironment({ displayName: "Env 231" });
    expect(byName).toEqual({
      id: "env-t231",
      displayName: "Env 231",
      resourceName: `crn://confluent.cloud/organization=${ORG}/environment=env-t231`,
      streamGovernance: { package: "ESSENTIALS" },
    });
    expect(pagesOf(await api.log(), "/org/v2/environments")).toHaveLength(3);
    await api.clearLog();
    expect(await getEnvironment({ id: "env-t231" })).toEqual(byName);
    expect(await logged()).toEqual(["GET /org/v2/environments/env-t231"]);
  });

  it("streamGovernance is accepted as @pulumi/confluentcloud accepts it, and does not choose", async () => {
    expect(
      (await getEnvironment({ displayName: "Env 3", streamGovernance: { package: "ADVANCED" } })).id,
    ).toBe("env-t003");
  });

  it("none, several, neither and both: each error names the argument and the way out", async () => {
    expect(await messageOf(getEnvironment({ displayName: "staging" }))).toBe(
      'getEnvironment: no environment has displayName "staging" (the API listed 250 environments). ' +
        "Check the displayName, or look the environment up by id.",
    );
    expect(await messageOf(getEnvironment({ displayName: "shared" }))).toBe(
      'getEnvironment: 2 environments have displayName "shared" (env-t007, env-t008); pass id instead to ' +
        "choose one.",
    );
    await api.clearLog();
    expect(await messageOf(getEnvironment({}))).toBe(
      "getEnvironment needs exactly one of id or displayName (got none)",
    );
    expect(await messageOf(getEnvironment({ id: "env-t001", displayName: "Env 1" }))).toBe(
      "getEnvironment needs exactly one of id or displayName (got id and displayName)",
    );
    expect(await logged()).toEqual([]);
    const gone = await messageOf(getEnvironment({ id: "env-none" }));
    expect(gone).toMatch(
      /^no environment with id env-none: the API answered 404 to [1-4] reads? over \d+ ms \(an object created moments ago can take that long to appear; CONFLUENT_IAM_RECONCILE_WAIT_MS sets the wait, now 300 ms\)\. Check the id\.$/,
    );
  });

  it("lookups take invoke options as @pulumi/confluentcloud's do (getEnvironments({})); another package's provider is refused", async () => {
    expect((await getEnvironments({})).ids).toHaveLength(ENVIRONMENTS);
    expect((await getUsers({})).ids).toEqual(["u-t001"]);
    await api.clearLog();
    const provider = { urn: pulumi.output("urn:pulumi:dev::p::pulumi:providers:confluentcloud::other") };
    const refused = (_fn: string): string =>
      "a lookup's provider option must be this package's Provider (new Provider(name, { cloudApiKey, " +
      "cloudApiSecret, endpoint }) from pulumi-confluent-iam); it was another package's provider. " +
      "Pass a Provider, or remove the option to use the stack config or the environment.";
    const opts = { provider } as unknown as pulumi.InvokeOptions;
    expect(await messageOf(getEnvironments(opts))).toBe(refused("getEnvironments"));
    expect(await messageOf(getUsers(opts))).toBe(refused("getUsers"));
    expect(await messageOf(getGroupMapping({ displayName: "team-1" }, opts))).toBe(
      refused("getGroupMapping"),
    );
    expect(await messageOf(getEnvironment({ id: "env-t001" }, opts))).toBe(refused("getEnvironment"));
    expect(await logged()).toEqual([]);
  });

  it("the Output variants take Inputs and give the same results", async () => {
    const prod = await valueOf(getEnvironmentOutput({ displayName: pulumi.output("Env 5") }));
    expect(prod.id).toBe("env-t005");
    expect((await valueOf(getEnvironmentsOutput())).ids).toHaveLength(ENVIRONMENTS);
  });
});

describe("getGroupMapping", () => {
  it(`by display name it reads the list of ${MANY} mappings to the end (2 pages of 100)`, async () => {
    const last = await getGroupMapping({ displayName: `team-${MANY - 1}` });
    expect(last).toEqual({
      id: expect.stringMatching(/^group-/) as unknown,
      displayName: "team-100",
      description: "Team 100",
      filter: '"team-100" in groups',
      // sso_v2.yaml: "the federated identity associated with this group mapping"; role bindings name it
      // as User:<principal>.
      principal: last.id,
      state: "ENABLED",
    });
    expect(pagesOf(await api.log(), "/iam/v2/sso/group-mappings")).toEqual([
      "page_size=100 without page_token",
      "page_size=100 with page_token",
    ]);
    await api.clearLog();
    expect(await getGroupMapping({ id: last.id })).toEqual(last);
    expect(await logged()).toEqual([`GET /iam/v2/sso/group-mappings/${last.id}`]);
    expect((await valueOf(getGroupMappingOutput({ id: pulumi.output(last.id) }))).displayName).toBe(
      "team-100",
    );
  });

  it("reads the list at the spec's page size (listRead.pageSize), not a copy of it", async () => {
    jest.replaceProperty(groupMappingSpec, "listRead", { route: () => undefined, pageSize: 7 });
    try {
      expect((await getGroupMapping({ displayName: "team-3" })).description).toBe("Team 3");
    } finally {
      jest.restoreAllMocks();
    }
    const pages = pagesOf(await api.log(), "/iam/v2/sso/group-mappings");
    // 101 mappings, 7 a page: 15 pages, the first without a token.
    expect(pages).toEqual([
      "page_size=7 without page_token",
      ...Array.from({ length: 14 }, () => "page_size=7 with page_token"),
    ]);
  });

  it("says what it looked for when nothing matches, and needs one selector", async () => {
    expect(await messageOf(getGroupMapping({ displayName: "nobody" }))).toBe(
      `getGroupMapping: no group mapping has displayName "nobody" (the API listed ${MANY} group mappings). ` +
        "Check the displayName, or look the group mapping up by id.",
    );
    expect(await messageOf(getGroupMapping({ id: "", displayName: "" }))).toBe(
      "getGroupMapping needs exactly one of id or displayName (got none)",
    );
    expect(await messageOf(getGroupMapping({ id: "group-none" }))).toMatch(
      /^no group mapping with id group-none: the API answered 404 to /,
    );
  });
});

describe("getIdentityPool", () => {
  it(`finds a pool of its identity provider by display name past the first page (${MANY} pools)`, async () => {
    const pool = await getIdentityPool({ identityProvider: { id: opId }, displayName: `pool-${MANY - 1}` });
    expect(pool).toEqual({
      id: expect.stringMatching(/^pool-/) as unknown,
      identityProvider: { id: opId },
      displayName: "pool-100",
      description: "Workloads 100",
      identityClaim: "claims.sub",
      filter: 'claims.app == "app-100"',
      principal: pool.id,
    });
    const path = `/iam/v2/identity-providers/${opId}/identity-pools`;
    expect(pagesOf(await api.log(), path)).toEqual([
      "page_size=100 without page_token",
      "page_size=100 with page_token",
    ]);
    await api.clearLog();
    expect(await getIdentityPool({ identityProvider: { id: opId }, id: pool.id })).toEqual(pool);
    expect(await logged()).toEqual([`GET ${path}/${pool.id}`]);
    const out = getIdentityPoolOutput({
      identityProvider: { id: pulumi.output(opId) },
      displayName: pulumi.output("pool-7"),
    });
    expect((await valueOf(out)).description).toBe("Workloads 7");
  });

  it("needs the identity provider, and says under which provider nothing matched", async () => {
    expect(await messageOf(getIdentityPool({ identityProvider: { id: "" }, displayName: "pool-1" }))).toBe(
      "getIdentityPool needs identityProvider.id: the id (op-…) of the identity provider the identity pool belongs to",
    );
    expect(await logged()).toEqual([]);
    expect(
      await messageOf(getIdentityPool({ identityProvider: { id: otherOpId }, displayName: "pool-1" })),
    ).toBe(
      `getIdentityPool: no identity pool has displayName "pool-1" under identity provider ${otherOpId} ` +
        "(the API listed 0 identity pools). Check the displayName, or look the identity pool up by id.",
    );
  });
});

describe("getInvitation, getIpGroup, getIpFilter, getRoleBinding: by id, one GET each", () => {
  it("getInvitation gives the resource's fields, and the user once the invitation is accepted", async () => {
    const inv = (await api.ok("POST", "/iam/v2/invitations", { email: "new@example.com" })) as { id: string };
    await api.clearLog();
    const sent = await getInvitation({ id: inv.id });
    expect(sent).toEqual({
      id: inv.id,
      email: "new@example.com",
      authType: "AUTH_TYPE_LOCAL",
      status: "INVITE_STATUS_SENT",
      acceptedAt: "",
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      users: [{ id: expect.stringMatching(/^u-/) as unknown }],
      creators: [{ id: "u-t001" }],
    });
    expect(await logged()).toEqual([`GET /iam/v2/invitations/${inv.id}`]);
    await api.ok("POST", `/_emulator/invitations/${inv.id}/accept`);
    const accepted = await getInvitation({ id: inv.id });
    expect(accepted.status).toBe("INVITE_STATUS_ACCEPTED");
    expect(accepted.acceptedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await messageOf(getInvitation({ id: "" }))).toBe("getInvitation needs id");
  });

  it("getIpGroup and getIpFilter give the resources' fields", async () => {
    const group = (await api.ok("POST", "/iam/v2/ip-groups", {
      group_name: "office",
      cidr_blocks: ["192.168.0.0/24", "10.0.0.0/8"],
    })) as { id: string };
    const filter = (await api.ok("POST", "/iam/v2/ip-filters", {
      filter_name: "office only",
      resource_group: "multiple",
      operation_groups: ["MANAGEMENT", "SCHEMA"],
      ip_groups: [{ id: group.id }],
    })) as { id: string };
    await api.clearLog();
    expect(await getIpGroup({ id: group.id })).toEqual({
      id: group.id,
      groupName: "office",
      cidrBlocks: ["192.168.0.0/24", "10.0.0.0/8"],
    });
    expect(await getIpFilter({ id: filter.id })).toEqual({
      id: filter.id,
      filterName: "office only",
      resourceGroup: "multiple",
      resourceScope: `crn://confluent.cloud/organization=${ORG}`,
      operationGroups: ["MANAGEMENT", "SCHEMA"],
      ipGroups: [group.id],
    });
    expect((await valueOf(getIpGroupOutput({ id: pulumi.output(group.id) }))).groupName).toBe("office");
    expect(await logged()).toEqual([
      `GET /iam/v2/ip-groups/${group.id}`,
      `GET /iam/v2/ip-filters/${filter.id}`,
      `GET /iam/v2/ip-groups/${group.id}`,
    ]);
    expect(await messageOf(getIpGroup({ id: "ipg-none" }))).toMatch(
      /^no IP group with id ipg-none: the API answered 404/,
    );
    expect(await messageOf(getIpFilter({ id: "" }))).toBe("getIpFilter needs id");
  });

  it("getRoleBinding reads one binding; a 403 for a missing one says it cannot tell missing from forbidden", async () => {
    const crn = `crn://confluent.cloud/organization=${ORG}/environment=env-t001`;
    const rb = (await api.ok("POST", "/iam/v2/role-bindings", {
      principal: "User:u-t001",
      role_name: "EnvironmentAdmin",
      crn_pattern: crn,
    })) as { id: string };
    await api.clearLog();
    const expected = { id: rb.id, principal: "User:u-t001", roleName: "EnvironmentAdmin", crnPattern: crn };
    expect(await getRoleBinding({ id: rb.id })).toEqual(expected);
    expect(await valueOf(getRoleBindingOutput({ id: pulumi.output(rb.id) }))).toEqual(expected);
    expect(await logged()).toEqual([
      `GET /iam/v2/role-bindings/${rb.id}`,
      `GET /iam/v2/role-bindings/${rb.id}`,
    ]);
    await api.clearLog();
    expect(await messageOf(getRoleBinding({ id: "rb-none" }))).toBe(
      "cannot read role binding rb-none: the API answered 403 Forbidden, which means that the role binding " +
        "does not exist or that the credentials in use may not read it. Check the id and the roles of the " +
        "credentials' owner.",
    );
    // The role-binding list needs a CRN pattern, which an id does not give: nothing else is asked.
    expect(await logged()).toEqual(["GET /iam/v2/role-bindings/rb-none"]);
  });
});

describe("getProviderIntegration (pim/v1)", () => {
  const ROLE = "arn:aws:iam::123456789012:role/confluent-s3";

  it("finds an integration of its environment by display name or id, always sending the environment", async () => {
    const made = (await api.ok("POST", "/pim/v1/integrations", {
      display_name: "s3-sink",
      provider: "AWS",
      config: { kind: "AwsIntegrationConfig", customer_iam_role_arn: ROLE },
      environment: { id: "env-t002" },
    })) as { id: string };
    await api.clearLog();
    const found = await getProviderIntegration({ environment: { id: "env-t002" }, displayName: "s3-sink" });
    expect(found).toEqual({
      id: made.id,
      displayName: "s3-sink",
      environment: { id: "env-t002" },
      aws: [
        {
          customerRoleArn: ROLE,
          iamRoleArn: expect.stringMatching(/^arn:aws:iam::\d{12}:role\//) as unknown,
          externalId: expect.any(String) as unknown,
        },
      ],
      usages: [],
    });
    expect(await getProviderIntegration({ environment: { id: "env-t002" }, id: made.id })).toEqual(found);
    const out = getProviderIntegrationOutput({ environment: { id: pulumi.output("env-t002") }, id: made.id });
    expect((await valueOf(out)).displayName).toBe("s3-sink");
    expect(await logged()).toEqual([
      "GET /pim/v1/integrations?environment=env-t002&page_size=100",
      `GET /pim/v1/integrations/${made.id}?environment=env-t002`,
      `GET /pim/v1/integrations/${made.id}?environment=env-t002`,
    ]);
  });

  it("needs the environment, and names it when nothing matches there", async () => {
    expect(await messageOf(getProviderIntegration({ environment: { id: "" }, displayName: "s3-sink" }))).toBe(
      "getProviderIntegration needs environment.id: the id (env-…) of the environment the provider integration " +
        "belongs to",
    );
    expect(
      await messageOf(getProviderIntegration({ environment: { id: "env-t003" }, displayName: "s3-sink" })),
    ).toBe(
      'getProviderIntegration: no provider integration has displayName "s3-sink" under environment env-t003 ' +
        "(the API listed 0 provider integrations). Check the displayName, or look the provider integration up by id.",
    );
  });
});
