/**
 * Role bindings enforced (emulator/rbac.ts, emulator/README.md "RBAC"): every route with the bootstrap
 * credentials, an OrganizationAdmin key, an EnvironmentAdmin key (on env-demo01: inside and outside its
 * environment) and a key whose owner holds no role; exact statuses, and the recorded 403 bodies.
 */
import { parseCli } from "../../emulator/options";
import { arr, basic, pick, str, startTestEmulator, type Answer, type TestEmulator } from "./helpers";

const ORG = "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001";
const DEMO = `${ORG}/environment=env-demo01`;
const PROD = `${ORG}/environment=env-prod01`;

type Who = "bootstrap" | "orgAdmin" | "envAdmin" | "noRole";
const WHO: Who[] = ["bootstrap", "orgAdmin", "envAdmin", "noRole"];

/** Objects the admin makes before each credential's run, so every step has something to act on. */
interface Fixtures {
  sa2: string;
  sa3: string;
  inv: string;
  ipg: string;
  ipgSpare: string;
  ipf: string;
  ipfSpare: string;
  idp: string;
  idpSpare: string;
  pool: string;
  poolSpare: string;
  byok: string;
  byokSpare: string;
  pimDemo: string;
  pimProd: string;
  cloudKey: string;
  keyDemo: string;
  keyProd: string;
  rbDemo: string;
  rbProd: string;
}

async function made(emu: TestEmulator, method: string, path: string, body: unknown): Promise<string> {
  const r = await emu.call(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return str(r.body, "id");
}

async function fixtures(emu: TestEmulator): Promise<Fixtures> {
  const sa = (name: string) => made(emu, "POST", "/iam/v2/service-accounts", { display_name: name });
  const ipGroup = (name: string) =>
    made(emu, "POST", "/iam/v2/ip-groups", { group_name: name, cidr_blocks: ["10.0.0.0/8"] });
  const idp = (name: string) =>
    made(emu, "POST", "/iam/v2/identity-providers", {
      display_name: name,
      description: "",
      issuer: "https://issuer.example.com",
      jwks_uri: "https://issuer.example.com/jwks",
    });
  const sa2 = await sa("sa2");
  const ipg = await ipGroup("g1");
  const idpId = await idp("idp1");
  const pool = (name: string) =>
    made(emu, "POST", `/iam/v2/identity-providers/${idpId}/identity-pools`, {
      display_name: name,
      description: "",
      identity_claim: "claims.sub",
      filter: 'claims.iss == "x"',
    });
  const byok = (n: number) =>
    made(emu, "POST", "/byok/v1/keys", {
      key: { kind: "AwsKey", key_arn: `arn:aws:kms:us-east-1:123456789012:key/k${n}` },
    });
  const pim = (env: string) =>
    made(emu, "POST", "/pim/v1/integrations", {
      display_name: `pim-${env}`,
      provider: "AWS",
      config: { kind: "AwsIntegrationConfig", customer_iam_role_arn: "arn:aws:iam::123456789012:role/r" },
      environment: { id: env },
    });
  const key = (resource?: string) =>
    made(emu, "POST", "/iam/v2/api-keys", {
      spec: { owner: { id: sa2 }, ...(resource ? { resource: { id: resource } } : {}) },
    });
  const rb = (pattern: string) =>
    made(emu, "POST", "/iam/v2/role-bindings", {
      principal: `User:${sa2}`,
      role_name: "DeveloperRead",
      crn_pattern: pattern,
    });
  return {
    sa2,
    sa3: await sa("sa3"),
    inv: await made(emu, "POST", "/iam/v2/invitations", { email: "fixture@example.com" }),
    ipg,
    ipgSpare: await ipGroup("g2"),
    ipf: await made(emu, "POST", "/iam/v2/ip-filters", {
      filter_name: "f1",
      resource_group: "management",
      ip_groups: [{ id: ipg }],
    }),
    ipfSpare: await made(emu, "POST", "/iam/v2/ip-filters", {
      filter_name: "f2",
      resource_group: "management",
      ip_groups: [{ id: ipg }],
    }),
    idp: idpId,
    idpSpare: await idp("idp2"),
    pool: await pool("p1"),
    poolSpare: await pool("p2"),
    byok: await byok(1),
    byokSpare: await byok(2),
    pimDemo: await pim("env-demo01"),
    pimProd: await pim("env-prod01"),
    cloudKey: await key(),
    keyDemo: await key("lkc-demo01"),
    keyProd: await key("lkc-prod01"),
    rbDemo: await rb(`${DEMO}/cloud-cluster=lkc-demo01`),
    rbProd: await rb(`${PROD}/cloud-cluster=lkc-prod01`),
  };
}

/** One call and its expected status per credential: [bootstrap, orgAdmin, envAdmin, noRole]. */
interface Step {
  name: string;
  method: string;
  path: (f: Fixtures) => string;
  body?: (f: Fixtures) => unknown;
  expect: [number, number, number, number];
}

const ok = (s: number): Step["expect"] => [s, s, 403, 403];
const envOk = (s: number): Step["expect"] => [s, s, s, 403];
const step = (
  name: string,
  method: string,
  path: Step["path"],
  expect: Step["expect"],
  body?: Step["body"],
): Step => ({ name, method, path, expect, body });

const POOLS = (f: Fixtures) => `/iam/v2/identity-providers/${f.idp}/identity-pools`;

/** Every route the emulator serves on the Cloud API, in an order where each step's objects still exist. */
const STEPS: Step[] = [
  // users: an EnvironmentAdmin reads principals (to grant them roles) but changes none.
  step("list users", "GET", () => "/iam/v2/users", envOk(200)),
  step("get user", "GET", () => "/iam/v2/users/u-demo02", envOk(200)),
  step(
    "update user",
    "PATCH",
    () => "/iam/v2/users/u-demo02",
    ok(200),
    () => ({ full_name: "Dev" }),
  ),
  // service accounts
  step("list service accounts", "GET", () => "/iam/v2/service-accounts", envOk(200)),
  step("get service account", "GET", (f) => `/iam/v2/service-accounts/${f.sa2}`, envOk(200)),
  step(
    "create service account",
    "POST",
    () => "/iam/v2/service-accounts",
    ok(201),
    () => ({
      display_name: "new-sa",
    }),
  ),
  step(
    "update service account",
    "PATCH",
    (f) => `/iam/v2/service-accounts/${f.sa2}`,
    ok(200),
    () => ({
      description: "changed",
    }),
  ),
  step("delete service account", "DELETE", (f) => `/iam/v2/service-accounts/${f.sa3}`, ok(204)),
  // invitations
  step("list invitations", "GET", () => "/iam/v2/invitations", ok(200)),
  step("get invitation", "GET", (f) => `/iam/v2/invitations/${f.inv}`, ok(200)),
  step(
    "create invitation",
    "POST",
    () => "/iam/v2/invitations",
    ok(201),
    () => ({
      email: "new@example.com",
    }),
  ),
  step("delete invitation", "DELETE", (f) => `/iam/v2/invitations/${f.inv}`, ok(204)),
  // IP groups and filters
  step("list IP groups", "GET", () => "/iam/v2/ip-groups", ok(200)),
  step("get IP group", "GET", (f) => `/iam/v2/ip-groups/${f.ipg}`, ok(200)),
  step(
    "create IP group",
    "POST",
    () => "/iam/v2/ip-groups",
    ok(201),
    () => ({
      group_name: "g3",
      cidr_blocks: ["192.168.0.0/16"],
    }),
  ),
  step(
    "update IP group",
    "PATCH",
    (f) => `/iam/v2/ip-groups/${f.ipg}`,
    ok(200),
    () => ({ group_name: "g1b" }),
  ),
  step("delete IP group", "DELETE", (f) => `/iam/v2/ip-groups/${f.ipgSpare}`, ok(204)),
  step("list IP filters", "GET", () => "/iam/v2/ip-filters", ok(200)),
  step("get IP filter", "GET", (f) => `/iam/v2/ip-filters/${f.ipf}`, ok(200)),
  step(
    "create IP filter",
    "POST",
    () => "/iam/v2/ip-filters",
    ok(201),
    (f) => ({
      filter_name: "f3",
      resource_group: "management",
      ip_groups: [{ id: f.ipg }],
    }),
  ),
  step(
    "update IP filter",
    "PATCH",
    (f) => `/iam/v2/ip-filters/${f.ipf}`,
    ok(200),
    () => ({ filter_name: "f1b" }),
  ),
  step("delete IP filter", "DELETE", (f) => `/iam/v2/ip-filters/${f.ipfSpare}`, ok(204)),
  // identity providers and pools
  step("list identity providers", "GET", () => "/iam/v2/identity-providers", ok(200)),
  step("get identity provider", "GET", (f) => `/iam/v2/identity-providers/${f.idp}`, ok(200)),
  step(
    "create identity provider",
    "POST",
    () => "/iam/v2/identity-providers",
    ok(201),
    () => ({
      display_name: "idp3",
      description: "",
      issuer: "https://other.example.com",
      jwks_uri: "https://other.example.com/jwks",
    }),
  ),
  step(
    "update identity provider",
    "PATCH",
    (f) => `/iam/v2/identity-providers/${f.idp}`,
    ok(200),
    () => ({
      description: "changed",
    }),
  ),
  step("refresh identity provider JWKS", "PATCH", (f) => `/iam/v2/identity-providers/${f.idp}/jwks`, ok(200)),
  step("list identity pools", "GET", POOLS, ok(200)),
  step("get identity pool", "GET", (f) => `${POOLS(f)}/${f.pool}`, ok(200)),
  step("create identity pool", "POST", POOLS, ok(201), () => ({
    display_name: "p3",
    description: "",
    identity_claim: "claims.sub",
    filter: 'claims.iss == "y"',
  })),
  step(
    "update identity pool",
    "PATCH",
    (f) => `${POOLS(f)}/${f.pool}`,
    ok(200),
    () => ({ description: "x" }),
  ),
  step("delete identity pool", "DELETE", (f) => `${POOLS(f)}/${f.poolSpare}`, ok(204)),
  step("delete identity provider", "DELETE", (f) => `/iam/v2/identity-providers/${f.idpSpare}`, ok(204)),
  // BYOK
  step("list BYOK keys", "GET", () => "/byok/v1/keys", ok(200)),
  step("get BYOK key", "GET", (f) => `/byok/v1/keys/${f.byok}`, ok(200)),
  step(
    "create BYOK key",
    "POST",
    () => "/byok/v1/keys",
    ok(201),
    () => ({
      key: { kind: "GcpKey", key_id: "projects/p/locations/l/keyRings/r/cryptoKeys/k" },
    }),
  ),
  step(
    "update BYOK key",
    "PATCH",
    (f) => `/byok/v1/keys/${f.byok}`,
    ok(200),
    () => ({ display_name: "b" }),
  ),
  step("delete BYOK key", "DELETE", (f) => `/byok/v1/keys/${f.byokSpare}`, ok(204)),
  // provider integrations: environment-scoped
  step("list integrations (inside)", "GET", () => "/pim/v1/integrations?environment=env-demo01", envOk(200)),
  step("list integrations (outside)", "GET", () => "/pim/v1/integrations?environment=env-prod01", ok(200)),
  step(
    "get integration (inside)",
    "GET",
    (f) => `/pim/v1/integrations/${f.pimDemo}?environment=env-demo01`,
    envOk(200),
  ),
  step(
    "get integration (outside)",
    "GET",
    (f) => `/pim/v1/integrations/${f.pimProd}?environment=env-prod01`,
    ok(200),
  ),
  ...["env-demo01", "env-prod01"].map((env) =>
    step(
      `create integration (${env === "env-demo01" ? "inside" : "outside"})`,
      "POST",
      () => "/pim/v1/integrations",
      env === "env-demo01" ? envOk(201) : ok(201),
      () => ({
        provider: "AWS",
        config: { kind: "AwsIntegrationConfig", customer_iam_role_arn: "arn:aws:iam::123456789012:role/n" },
        environment: { id: env },
      }),
    ),
  ),
  step(
    "delete integration (inside)",
    "DELETE",
    (f) => `/pim/v1/integrations/${f.pimDemo}?environment=env-demo01`,
    envOk(204),
  ),
  step(
    "delete integration (outside)",
    "DELETE",
    (f) => `/pim/v1/integrations/${f.pimProd}?environment=env-prod01`,
    ok(204),
  ),
  // org/v2, cmk/v2, srcm/v3 reads
  step("list organizations", "GET", () => "/org/v2/organizations", ok(200)),
  step(
    "get organization",
    "GET",
    () => "/org/v2/organizations/b0b0cafe-0000-4000-8000-000000000001",
    ok(200),
  ),
  step("list environments", "GET", () => "/org/v2/environments", envOk(200)),
  step("get environment (inside)", "GET", () => "/org/v2/environments/env-demo01", envOk(200)),
  step("get environment (outside)", "GET", () => "/org/v2/environments/env-prod01", ok(200)),
  step("list Kafka clusters (inside)", "GET", () => "/cmk/v2/clusters?environment=env-demo01", envOk(200)),
  step("list Kafka clusters (outside)", "GET", () => "/cmk/v2/clusters?environment=env-prod01", ok(200)),
  step(
    "get Kafka cluster (inside)",
    "GET",
    () => "/cmk/v2/clusters/lkc-demo01?environment=env-demo01",
    envOk(200),
  ),
  step(
    "get Kafka cluster (outside)",
    "GET",
    () => "/cmk/v2/clusters/lkc-prod01?environment=env-prod01",
    ok(200),
  ),
  step(
    "list Schema Registries (inside)",
    "GET",
    () => "/srcm/v3/clusters?environment=env-demo01",
    envOk(200),
  ),
  step("list Schema Registries (outside)", "GET", () => "/srcm/v3/clusters?environment=env-prod01", ok(200)),
  step(
    "get Schema Registry (inside)",
    "GET",
    () => "/srcm/v3/clusters/lsrc-demo01?environment=env-demo01",
    envOk(200),
  ),
  // API keys: Cloud keys are organization-wide; a resource key belongs to its cluster's environment.
  step("list every API key", "GET", () => "/iam/v2/api-keys", ok(200)),
  step("list Cloud API keys", "GET", () => "/iam/v2/api-keys?spec.resource=cloud", ok(200)),
  step(
    "list keys of a cluster (inside)",
    "GET",
    () => "/iam/v2/api-keys?spec.resource=lkc-demo01",
    envOk(200),
  ),
  step("list keys of a cluster (outside)", "GET", () => "/iam/v2/api-keys?spec.resource=lkc-prod01", ok(200)),
  step(
    "create Cloud API key",
    "POST",
    () => "/iam/v2/api-keys",
    ok(202),
    (f) => ({ spec: { owner: { id: f.sa2 } } }),
  ),
  step(
    "create Kafka key (inside)",
    "POST",
    () => "/iam/v2/api-keys",
    envOk(202),
    (f) => ({
      spec: { owner: { id: f.sa2 }, resource: { id: "lkc-demo01" } },
    }),
  ),
  step(
    "create Kafka key (outside)",
    "POST",
    () => "/iam/v2/api-keys",
    ok(202),
    (f) => ({
      spec: { owner: { id: f.sa2 }, resource: { id: "lkc-prod01" } },
    }),
  ),
  step("get Cloud API key", "GET", (f) => `/iam/v2/api-keys/${f.cloudKey}`, ok(200)),
  step("get Kafka key (inside)", "GET", (f) => `/iam/v2/api-keys/${f.keyDemo}`, envOk(200)),
  step("get Kafka key (outside)", "GET", (f) => `/iam/v2/api-keys/${f.keyProd}`, ok(200)),
  step(
    "update Cloud API key",
    "PATCH",
    (f) => `/iam/v2/api-keys/${f.cloudKey}`,
    ok(200),
    () => ({
      spec: { description: "x" },
    }),
  ),
  step(
    "update Kafka key (inside)",
    "PATCH",
    (f) => `/iam/v2/api-keys/${f.keyDemo}`,
    envOk(200),
    () => ({
      spec: { description: "x" },
    }),
  ),
  step("delete Kafka key (inside)", "DELETE", (f) => `/iam/v2/api-keys/${f.keyDemo}`, envOk(204)),
  step("delete Kafka key (outside)", "DELETE", (f) => `/iam/v2/api-keys/${f.keyProd}`, ok(204)),
  step("delete Cloud API key", "DELETE", (f) => `/iam/v2/api-keys/${f.cloudKey}`, ok(204)),
  // role bindings: the scope is the binding's CRN pattern
  step("list role bindings (organization)", "GET", () => `/iam/v2/role-bindings?crn_pattern=${ORG}`, ok(200)),
  step("list role bindings (inside)", "GET", () => `/iam/v2/role-bindings?crn_pattern=${DEMO}`, envOk(200)),
  step("list role bindings (outside)", "GET", () => `/iam/v2/role-bindings?crn_pattern=${PROD}`, ok(200)),
  step("get role binding (inside)", "GET", (f) => `/iam/v2/role-bindings/${f.rbDemo}`, envOk(200)),
  step("get role binding (outside)", "GET", (f) => `/iam/v2/role-bindings/${f.rbProd}`, ok(200)),
  ...[
    ["inside", DEMO, envOk(201)],
    ["outside", PROD, ok(201)],
    ["organization", ORG, ok(201)],
  ].map(([where, pattern, expect]) =>
    step(
      `create role binding (${where as string})`,
      "POST",
      () => "/iam/v2/role-bindings",
      expect as Step["expect"],
      (f) => ({
        principal: `User:${f.sa2}`,
        role_name: "Operator",
        crn_pattern: pattern,
      }),
    ),
  ),
  step("delete role binding (inside)", "DELETE", (f) => `/iam/v2/role-bindings/${f.rbDemo}`, envOk(200)),
  step("delete role binding (outside)", "DELETE", (f) => `/iam/v2/role-bindings/${f.rbProd}`, ok(200)),
  step("delete user", "DELETE", () => "/iam/v2/users/u-demo02", ok(204)),
];

/** Starts an emulator, makes the fixtures, and a Cloud key whose owner holds `role` at `pattern` (if any). */
async function world(role?: [string, string], options = {}) {
  const emu = await startTestEmulator(options);
  const f = await fixtures(emu);
  const owner = await made(emu, "POST", "/iam/v2/service-accounts", { display_name: "caller" });
  if (role) {
    await made(emu, "POST", "/iam/v2/role-bindings", {
      principal: `User:${owner}`,
      role_name: role[0],
      crn_pattern: role[1],
    });
  }
  const key = await emu.call("POST", "/iam/v2/api-keys", { spec: { owner: { id: owner } } });
  const auth = basic(str(key.body, "id"), str(key.body, "spec.secret"));
  return { emu, f, owner, auth };
}

describe.each(WHO.map((who, i) => [who, i] as const))("every route as %s", (who, column) => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    w = await world(
      who === "orgAdmin"
        ? ["OrganizationAdmin", ORG]
        : who === "envAdmin"
          ? ["EnvironmentAdmin", DEMO]
          : undefined,
    );
    // The bootstrap column calls with the admin credentials themselves.
    if (who === "bootstrap") w.auth = w.emu.auth;
  });
  afterAll(async () => {
    await w?.emu.close();
  });

  test("each call answers exactly the status the table gives", async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const s of STEPS) {
      const r = await w.emu.call(s.method, s.path(w.f), s.body?.(w.f), { auth: w.auth });
      got.push(`${s.name}: ${r.status}`);
      want.push(`${s.name}: ${s.expect[column]}`);
    }
    expect(got).toEqual(want);
  });
});

describe("refusals", () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    w = await world(["EnvironmentAdmin", DEMO]);
  });
  afterAll(async () => {
    await w?.emu.close();
  });

  test("answer the recorded 403 bodies: forbidden_access, and the MDS flat 40301 on role bindings", async () => {
    const sa = await w.emu.call("POST", "/iam/v2/service-accounts", { display_name: "x" }, { auth: w.auth });
    expect(sa.status).toBe(403);
    expect(sa.body).toEqual({
      errors: [
        {
          id: expect.stringMatching(/^[0-9a-f]{32}$/),
          status: "403",
          code: "forbidden_access",
          detail: "Forbidden Access",
          source: {},
        },
      ],
    });
    const rb = await w.emu.call(
      "POST",
      "/iam/v2/role-bindings",
      { principal: `User:${w.f.sa2}`, role_name: "Operator", crn_pattern: PROD },
      { auth: w.auth },
    );
    expect(rb.status).toBe(403);
    expect(rb.body).toEqual({
      error_code: 40301,
      message: "Either unauthorized to access role binding or role binding does not exist",
    });
  });

  test("an EnvironmentAdmin lists only its own environment", async () => {
    const r = await w.emu.call("GET", "/org/v2/environments", undefined, { auth: w.auth });
    expect(arr(r.body, "data").map((e) => pick(e, "id"))).toEqual(["env-demo01"]);
    const all = await w.emu.call("GET", "/org/v2/environments");
    expect(arr(all.body, "data").map((e) => pick(e, "id"))).toEqual(["env-demo01", "env-prod01"]);
  });

  test("the request log records a refusal with its 403", async () => {
    await w.emu.call("GET", "/byok/v1/keys", undefined, { auth: w.auth });
    const last = (await w.emu.requests()).at(-1);
    expect(last).toMatchObject({ method: "GET", path: "/byok/v1/keys", status: 403 });
  });
});

/** The other roles of the table, on the routes that tell them apart. */
describe.each([
  [
    "AccountAdmin",
    ORG,
    [
      ["POST /iam/v2/service-accounts", 201],
      ["GET /iam/v2/invitations", 200],
      ["GET /iam/v2/identity-providers", 200],
      ["GET /iam/v2/ip-groups", 403],
      ["GET /byok/v1/keys", 403],
      ["GET /iam/v2/api-keys", 403],
      ["GET /org/v2/environments", 200],
      ["GET /cmk/v2/clusters?environment=env-demo01", 403],
      ["POST rb AccountAdmin@org", 201],
      ["POST rb OrganizationAdmin@org", 403],
    ],
  ],
  [
    "CloudClusterAdmin",
    `${DEMO}/cloud-cluster=lkc-demo01`,
    [
      ["POST /iam/v2/service-accounts", 403],
      ["GET /iam/v2/service-accounts", 200],
      ["GET /cmk/v2/clusters/lkc-demo01?environment=env-demo01", 200],
      ["GET /cmk/v2/clusters/lkc-prod01?environment=env-prod01", 403],
      ["GET /org/v2/environments/env-demo01", 200],
      ["GET /iam/v2/api-keys?spec.resource=lkc-demo01", 200],
      ["GET /iam/v2/api-keys?spec.resource=lsrc-demo01", 403],
      ["POST rb DeveloperWrite@lkc-demo01", 201],
      ["POST rb DeveloperRead@env-demo01", 403],
      ["GET /pim/v1/integrations?environment=env-demo01", 403],
    ],
  ],
  [
    "ResourceKeyAdmin",
    ORG,
    [
      ["GET /iam/v2/api-keys", 200],
      ["GET /iam/v2/api-keys?spec.resource=lkc-prod01", 200],
      ["GET /iam/v2/api-keys?spec.resource=cloud", 403],
      ["GET /iam/v2/service-accounts", 403],
      ["GET /org/v2/environments", 403],
    ],
  ],
  [
    "Operator",
    DEMO,
    [
      ["GET /org/v2/environments", 200],
      ["GET /cmk/v2/clusters?environment=env-demo01", 200],
      ["GET /cmk/v2/clusters?environment=env-prod01", 403],
      ["GET /org/v2/organizations", 403],
      ["GET /iam/v2/service-accounts", 403],
      ["GET /iam/v2/api-keys?spec.resource=lkc-demo01", 403],
    ],
  ],
  [
    "EnvironmentAdmin at the organization (a level the role does not take)",
    ORG,
    [["GET /org/v2/environments", 403]],
  ],
] as const)("%s at %s", (role, pattern, cases) => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    w = await world([role.startsWith("EnvironmentAdmin") ? "EnvironmentAdmin" : role, pattern]);
  });
  afterAll(async () => {
    await w?.emu.close();
  });

  test("answers as the table says", async () => {
    const got: string[] = [];
    for (const [what] of cases) {
      let r: Answer;
      const m = /^POST rb (\w+)@(.+)$/.exec(what);
      if (m) {
        const [, roleName, where] = m;
        const crn =
          where === "org" ? ORG : where === "env-demo01" ? DEMO : `${DEMO}/cloud-cluster=${where as string}`;
        r = await w.emu.call(
          "POST",
          "/iam/v2/role-bindings",
          { principal: `User:${w.f.sa2}`, role_name: roleName, crn_pattern: crn },
          { auth: w.auth },
        );
      } else {
        const [method, path] = what.split(" ") as [string, string];
        r = await w.emu.call(method, path, method === "POST" ? { display_name: "made" } : undefined, {
          auth: w.auth,
        });
      }
      got.push(`${what} ${r.status}`);
    }
    expect(got).toEqual(cases.map(([what, status]) => `${what} ${status}`));
  });
});

describe("a key acts with its owner's bindings as they stand at each request", () => {
  test("a binding created or deleted takes effect at once", async () => {
    const w = await world();
    try {
      const read = async () =>
        (await w.emu.call("GET", "/iam/v2/service-accounts", undefined, { auth: w.auth })).status;
      expect(await read()).toBe(403);
      const rb = await made(w.emu, "POST", "/iam/v2/role-bindings", {
        principal: `User:${w.owner}`,
        role_name: "AccountAdmin",
        crn_pattern: ORG,
      });
      expect(await read()).toBe(200);
      expect((await w.emu.call("DELETE", `/iam/v2/role-bindings/${rb}`)).status).toBe(200);
      expect(await read()).toBe(403);
    } finally {
      await w.emu.close();
    }
  });

  test("under --read-lag, a new binding counts only after the lag, and a deleted one until the lag has passed", async () => {
    let clock = 1_700_000_000_000;
    const w = await world(undefined, { readLagMs: 500, now: () => clock });
    try {
      const read = async () =>
        (await w.emu.call("GET", "/iam/v2/service-accounts", undefined, { auth: w.auth })).status;
      const rb = await made(w.emu, "POST", "/iam/v2/role-bindings", {
        principal: `User:${w.owner}`,
        role_name: "AccountAdmin",
        crn_pattern: ORG,
      });
      expect(await read()).toBe(403);
      clock += 500;
      expect(await read()).toBe(200);
      expect((await w.emu.call("DELETE", `/iam/v2/role-bindings/${rb}`)).status).toBe(200);
      expect(await read()).toBe(200);
      clock += 499;
      expect(await read()).toBe(200);
      clock += 1;
      expect(await read()).toBe(403);
    } finally {
      await w.emu.close();
    }
  });

  test("a user may manage its own Cloud API keys, not another principal's", async () => {
    const emu = await startTestEmulator();
    try {
      const key = await emu.call("POST", "/iam/v2/api-keys", { spec: { owner: { id: "u-demo02" } } });
      const auth = basic(str(key.body, "id"), str(key.body, "spec.secret"));
      const own = await emu.call(
        "POST",
        "/iam/v2/api-keys",
        { spec: { owner: { id: "u-demo02" } } },
        { auth },
      );
      expect(own.status).toBe(202);
      expect(
        (await emu.call("GET", `/iam/v2/api-keys/${str(own.body, "id")}`, undefined, { auth })).status,
      ).toBe(200);
      const other = await emu.call(
        "POST",
        "/iam/v2/api-keys",
        { spec: { owner: { id: "u-demo01" } } },
        { auth },
      );
      expect(other.status).toBe(403);
    } finally {
      await emu.close();
    }
  });
});

describe("--no-rbac", () => {
  test("rbac: false lets a key whose owner holds no role do everything", async () => {
    const w = await world(undefined, { rbac: false });
    try {
      const got: number[] = [];
      for (const s of STEPS)
        got.push((await w.emu.call(s.method, s.path(w.f), s.body?.(w.f), { auth: w.auth })).status);
      expect(got).toEqual(STEPS.map((s) => s.expect[0]));
    } finally {
      await w.emu.close();
    }
  });

  test("the flag and CONFLUENT_EMULATOR_NO_RBAC set it; a malformed value is refused", () => {
    expect(parseCli(["--no-rbac"], {})).toEqual({ rbac: false });
    expect(parseCli([], { CONFLUENT_EMULATOR_NO_RBAC: "1" })).toEqual({ rbac: false });
    expect(parseCli([], { CONFLUENT_EMULATOR_NO_RBAC: "false" })).toEqual({ rbac: true });
    expect(parseCli([], {})).toEqual({});
    expect(() => parseCli([], { CONFLUENT_EMULATOR_NO_RBAC: "yes" })).toThrow(
      '--no-rbac (CONFLUENT_EMULATOR_NO_RBAC) must be 1, true, 0 or false, got "yes"',
    );
    expect(() => parseCli(["--no-rbac=1"], {})).toThrow("--no-rbac takes no value");
  });
});
