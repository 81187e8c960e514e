/**
 * The demo organization with what an audit is for, made by hand: the emulator's seed plus objects one
 * stack manages (its state file is written here, as `up` would leave it), and beside them
 *
 * - an outside binding: OrganizationAdmin granted in the console to a service account no stack manages;
 * - an unmanaged service account with neither keys nor bindings;
 * - an orphaned key: its owner was removed in a way that left the key behind (the emulator deletes a
 *   principal's keys with it, as the API documents, so the owner is taken out of the emulator's data file
 *   while it is stopped);
 * - an old key (its `created_at` set back in the data file);
 * - identity pools whose filters let every token in (`true`, `has(claims.sub)`, an empty `||` branch),
 *   two of them bound to a role;
 * - an EnvironmentAdmin binding for a user.
 *
 * Used by examples/audit/run.ts and the audit's tests. `names` overrides display names (the adversarial test
 * gives hostile ones).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Agent } from "undici";
import { startEmulator, type RunningEmulator } from "../../emulator";

export const ORG = "b0b0cafe-0000-4000-8000-000000000001";
export const ORG_CRN = `crn://confluent.cloud/organization=${ORG}`;
export const OLD_KEY_CREATED_AT = "2020-01-15T08:00:00.000Z";

/** Display names of the hand-made objects. */
export interface DemoNames {
  app: string;
  idle: string;
  admin: string;
  leaver: string;
  openPool: string;
}

export const DEFAULT_NAMES: DemoNames = {
  app: "orders-app",
  idle: "forgotten-sa",
  admin: "console-admin",
  leaver: "contractor",
  openPool: "everyone-pool",
};

/** Ids of what was made. */
export interface DemoIds {
  appSa: string;
  appKey: string;
  appBinding: string;
  oldKey: string;
  idleSa: string;
  adminSa: string;
  adminBinding: string;
  leaverSa: string;
  orphanKey: string;
  provider: string;
  openPool: string;
  subPool: string;
  orPool: string;
  openPoolBinding: string;
  orPoolBinding: string;
  userEnvAdminBinding: string;
}

/** A running emulator holding the organization, and the stack's state file. */
export interface DemoOrganization {
  emulator: RunningEmulator;
  ids: DemoIds;
  /** The managing stack's state file (in `dir`). */
  statePath: string;
  dir: string;
  /** `--config` arguments with the emulator's endpoint and admin credentials. */
  configArgs: string[];
  /** Environment variables with the same. */
  env: Record<string, string>;
  /** A call to the emulator's API as the admin, as someone in the console would make it; resolves the new object's id. */
  api(method: string, apiPath: string, body?: unknown): Promise<{ id: string }>;
  close(): Promise<void>;
}

type Call = (method: string, apiPath: string, body?: unknown) => Promise<{ id: string }>;

/** Calls through their own connections, closed with `agent`: the emulator is restarted on the same port. */
function caller(emu: RunningEmulator, agent: Agent): Call {
  const auth = `Basic ${Buffer.from(`${emu.apiKey}:${emu.apiSecret}`).toString("base64")}`;
  return async (method, apiPath, body) => {
    const res = await fetch(`${emu.url}${apiPath}`, {
      method,
      headers: { authorization: auth, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      // @ts-expect-error -- Node's fetch is undici's and takes its dispatcher; the DOM types do not say so
      dispatcher: agent,
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${apiPath}: ${res.status} ${text}`);
    return JSON.parse(text) as { id: string };
  };
}

const rb = (principal: string, role: string, crn: string): unknown => ({
  principal,
  role_name: role,
  crn_pattern: crn,
});

/** Starts an emulator (with a data file in a new temporary folder) and makes the organization. */
export async function startDemoOrganization(
  names: DemoNames = DEFAULT_NAMES,
  port = 0,
): Promise<DemoOrganization> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-demo-"));
  const dataFile = path.join(dir, "emulator.json");
  let emu = await startEmulator({ port, dataFile });
  const setup = new Agent();
  const call = caller(emu, setup);
  const envCrn = `${ORG_CRN}/environment=env-demo01`;
  const topicCrn = `${envCrn}/cloud-cluster=lkc-demo01/kafka=lkc-demo01/topic=orders`;

  // What the stack manages (the quickstart's objects).
  const appSa = (
    await call("POST", "/iam/v2/service-accounts", { display_name: names.app, description: "orders" })
  ).id;
  const key = (owner: string, name: string, description: string): Promise<{ id: string }> =>
    call("POST", "/iam/v2/api-keys", { spec: { display_name: name, description, owner: { id: owner } } });
  const appKey = (await key(appSa, `${names.app}-key`, "Cloud API key of the orders app")).id;
  const appBinding = (
    await call("POST", "/iam/v2/role-bindings", rb(`User:${appSa}`, "DeveloperRead", topicCrn))
  ).id;
  const oldKey = (await key(appSa, `${names.app}-2020-key`, "the orders app's first key")).id;

  // Made by hand, outside any stack.
  const idleSa = (
    await call("POST", "/iam/v2/service-accounts", { display_name: names.idle, description: "" })
  ).id;
  const adminSa = (
    await call("POST", "/iam/v2/service-accounts", { display_name: names.admin, description: "" })
  ).id;
  const adminBinding = (
    await call("POST", "/iam/v2/role-bindings", rb(`User:${adminSa}`, "OrganizationAdmin", ORG_CRN))
  ).id;
  await key(adminSa, `${names.admin}-key`, "made in the console");
  const leaverSa = (
    await call("POST", "/iam/v2/service-accounts", { display_name: names.leaver, description: "" })
  ).id;
  const orphanKey = (await key(leaverSa, `${names.leaver}-key`, "the contractor's key")).id;
  const provider = (
    await call("POST", "/iam/v2/identity-providers", {
      display_name: "corporate-idp",
      description: "",
      issuer: "https://login.example.com/tenant/v2.0",
      jwks_uri: "https://login.example.com/tenant/discovery/keys",
      identity_claim: "claims.sub",
    })
  ).id;
  const pool = (name: string, filter: string): Promise<{ id: string }> =>
    call("POST", `/iam/v2/identity-providers/${provider}/identity-pools`, {
      display_name: name,
      description: "",
      identity_claim: "claims.sub",
      filter,
    });
  const openPool = (await pool(names.openPool, "true")).id;
  const subPool = (await pool("subject-pool", "has(claims.sub)")).id;
  const orPool = (await pool("or-pool", 'claims.aud == "orders" || ')).id;
  const openPoolBinding = (
    await call("POST", "/iam/v2/role-bindings", rb(`User:${openPool}`, "DeveloperRead", topicCrn))
  ).id;
  const orPoolBinding = (
    await call("POST", "/iam/v2/role-bindings", rb(`User:${orPool}`, "MetricsViewer", ORG_CRN))
  ).id;
  const userEnvAdminBinding = (
    await call("POST", "/iam/v2/role-bindings", rb("User:u-demo02", "EnvironmentAdmin", envCrn))
  ).id;

  // The owner leaves, its key stays; the old key gets its real age.
  await emu.close();
  await setup.close();
  const data = JSON.parse(fs.readFileSync(dataFile, "utf8")) as {
    db: { tables: Record<string, { id: string; created_at: string }[]> };
  };
  const tables = data.db.tables;
  tables.service_accounts = (tables.service_accounts ?? []).filter((r) => r.id !== leaverSa);
  for (const k of tables.api_keys ?? []) if (k.id === oldKey) k.created_at = OLD_KEY_CREATED_AT;
  fs.writeFileSync(dataFile, JSON.stringify(data));
  emu = await startEmulator({ port: emu.port, dataFile });

  const statePath = path.join(dir, "orders.json");
  const managed = (kind: string, id: string): unknown => ({
    urn: `urn:pulumi:dev::orders::pulumi-nodejs:dynamic/confluent:${kind}::${id}`,
    type: `pulumi-nodejs:dynamic/confluent:${kind}`,
    name: id,
    id,
    inputs: {},
    outputs: {},
    provider: "",
    dependencies: [],
    secretOutputs: [],
  });
  fs.writeFileSync(
    statePath,
    JSON.stringify({
      version: 2,
      project: "orders",
      stack: "dev",
      resources: [
        managed("ServiceAccount", appSa),
        managed("ApiKey", appKey),
        managed("ApiKey", oldKey),
        managed("RoleBinding", appBinding),
      ],
      outputs: {},
    }),
  );
  const running = emu;
  const agent = new Agent();
  return {
    emulator: running,
    ids: {
      appSa,
      appKey,
      appBinding,
      oldKey,
      idleSa,
      adminSa,
      adminBinding,
      leaverSa,
      orphanKey,
      provider,
      openPool,
      subPool,
      orPool,
      openPoolBinding,
      orPoolBinding,
      userEnvAdminBinding,
    },
    statePath,
    dir,
    configArgs: [
      "--config",
      `confluentcloud:endpoint=${running.url}`,
      "--config",
      `confluentcloud:cloudApiKey=${running.apiKey}`,
      "--config",
      `confluentcloud:cloudApiSecret=${running.apiSecret}`,
    ],
    env: {
      CONFLUENT_CLOUD_ENDPOINT: running.url,
      CONFLUENT_CLOUD_API_KEY: running.apiKey,
      CONFLUENT_CLOUD_API_SECRET: running.apiSecret,
    },
    api: caller(running, agent),
    close: async () => {
      await agent.close();
      await running.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
