/**
 * `Provider` with the real Pulumi SDK (its mock monitor, wrapped to see every RegisterResourceRequest as
 * the engine would get it): every class takes it through the `provider` option, children of a component
 * given it through `provider`/`providers` inherit it, the engine is never sent a provider reference for it
 * (neither a resource's `provider` nor a component's `providers` map), the credentials travel as secrets and
 * never in `__provider`; lookups take it in their invoke options (directly or through `parent`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";
import { closeClients } from "pulumi-confluent-iam/provider";
import { startEmulator, type LogEntry, type RunningEmulator } from "../../emulator";
import { SPECIAL_SIG_KEY, SECRET_SIG } from "../../protocol";
import { table } from "../../testing/table";
import { clearLookupEnv, useEndpoint } from "./support/lookup-env";

const KEY = "PROVKEYFAKE00001";
const SECRET = "provider-fake-secret-not-real-01";
const ENDPOINT = "https://confluent.example.test";

/** One registration as the engine received it. */
interface Seen {
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  /** The resource's provider reference ("" = the default provider of its package). */
  provider: string;
  /** The component's providers map (package → reference). */
  providers: Record<string, string>;
  inputs: Record<string, unknown>;
  additionalSecretOutputs: string[];
}

const seen: Seen[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => args.inputs,
    },
    "proj",
    "dev",
    false,
  );
  // The mock monitor turns the request into newResource's arguments and drops the options this test is
  // about; read them from the request itself.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, cb: unknown): unknown;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    seen.push({
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      parent: req.getParent(),
      provider: req.getProvider(),
      providers: Object.fromEntries(req.getProvidersMap().entries()),
      inputs: req.getObject()?.toJavaScript() ?? {},
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    });
    return original(req, cb);
  };
});

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getProvider(): string;
  getProvidersMap(): { entries(): Iterable<[string, string]> };
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getAdditionalsecretoutputsList(): string[];
}

/** Waits (bounded) until a registration named `name` arrived. */
async function registered(name: string): Promise<Seen> {
  for (let i = 0; i < 500; i++) {
    const found = seen.find((s) => s.name === name);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${name} was not registered within 5 s`);
}

const secret = (value: string): unknown => ({ [SPECIAL_SIG_KEY]: SECRET_SIG, value });

/** What a resource given `prod` must carry, and what it must not. */
function expectCredentials(s: Seen, key = KEY, sec = SECRET, endpoint = ENDPOINT): void {
  expect(s.provider).toBe("");
  expect(s.inputs.cloudApiKey).toEqual(secret(key));
  expect(s.inputs.cloudApiSecret).toEqual(secret(sec));
  expect(s.inputs.endpoint).toBe(endpoint);
  expect(s.additionalSecretOutputs).toEqual(expect.arrayContaining(["cloudApiKey", "cloudApiSecret"]));
  const text = String(s.inputs.__provider);
  expect(text.length).toBeLessThanOrEqual(2048);
  for (const v of [key, sec, endpoint]) expect(text).not.toContain(v);
}

describe("Provider", () => {
  it("is a component resource the engine is never asked to load a plugin for", async () => {
    const p = new confluentcloud.Provider("p-plain", { cloudApiKey: KEY, cloudApiSecret: SECRET });
    const s = await registered("p-plain");
    expect(s).toEqual(
      expect.objectContaining({ type: "confluent-iam:index:Provider", custom: false, provider: "" }),
    );
    // Its arguments are not registered: they are nowhere in its own state.
    expect(s.inputs).toEqual({});
    expect(confluentcloud.Provider.isInstance(p)).toBe(true);
    expect(confluentcloud.Provider.isInstance({})).toBe(false);
    expect(JSON.stringify(Object.keys(p))).not.toContain("Args");
    // As the SDK asks when a component is given it: no provider reference.
    await expect(pulumi.ProviderResource.register(p)).resolves.toBeUndefined();
  });

  const prod = (): confluentcloud.Provider =>
    new confluentcloud.Provider(`prod-${seen.length}`, {
      cloudApiKey: KEY,
      cloudApiSecret: pulumi.secret(SECRET),
      endpoint: ENDPOINT,
    });

  it.each(table.map((e) => [e.kind, e] as const))(
    "%s takes it through the provider option",
    async (kind, entry) => {
      const before = seen.length;
      entry.register({ provider: prod() });
      for (let i = 0; i < 500 && !seen.slice(before).some((s) => s.custom); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const s = seen.slice(before).find((x) => x.custom);
      expect(s?.type).toBe(`pulumi-nodejs:dynamic/confluent:${kind}`);
      expectCredentials(s as Seen);
    },
  );

  it("a resource without it registers no provider input and no extra secret output", async () => {
    new confluentcloud.ServiceAccount("no-provider", { displayName: "x" });
    const s = await registered("no-provider");
    for (const k of ["cloudApiKey", "cloudApiSecret", "endpoint"]) expect(s.inputs).not.toHaveProperty(k);
    expect(s.additionalSecretOutputs).toEqual([]);
  });

  class Team extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
      super("acme:iam:Team", name, {}, opts);
      new confluentcloud.ServiceAccount(`${name}-sa`, { displayName: name }, { parent: this });
      // A grandchild, under a nested component.
      const inner = new pulumi.ComponentResource("acme:iam:Inner", `${name}-inner`, {}, { parent: this });
      new confluentcloud.IpGroup(
        `${name}-ipg`,
        { groupName: name, cidrBlocks: ["10.0.0.0/8"] },
        { parent: inner },
      );
      this.registerOutputs({});
    }
  }

  it.each([
    ["provider", (p: confluentcloud.Provider): pulumi.ComponentResourceOptions => ({ provider: p })],
    [
      "providers (array)",
      (p: confluentcloud.Provider): pulumi.ComponentResourceOptions => ({ providers: [p] }),
    ],
    [
      "providers (map keyed confluentcloud)",
      (p: confluentcloud.Provider): pulumi.ComponentResourceOptions => ({ providers: { confluentcloud: p } }),
    ],
  ] as const)("children of a component given it through %s inherit it", async (how, opts) => {
    const name = `team-${how.split(" ")[0]}-${seen.length}`;
    new Team(name, opts(prod()));
    const component = await registered(name);
    // The component's registration carries no provider reference the engine would have to resolve.
    expect(component.providers).toEqual({});
    expect(component.provider).toBe("");
    expectCredentials(await registered(`${name}-sa`));
    expectCredentials(await registered(`${name}-ipg`));
  });

  it("a resource's own provider option wins over its parent's", async () => {
    const other = new confluentcloud.Provider("other", {
      cloudApiKey: "OTHERKEYFAKE0001",
      cloudApiSecret: "other-fake-secret-not-real-001",
      endpoint: "https://other.example.test",
    });
    const team = new pulumi.ComponentResource("acme:iam:Team", "mixed", {}, { providers: [prod()] });
    new confluentcloud.ServiceAccount("mixed-sa", { displayName: "m" }, { parent: team, provider: other });
    expectCredentials(
      await registered("mixed-sa"),
      "OTHERKEYFAKE0001",
      "other-fake-secret-not-real-001",
      "https://other.example.test",
    );
  });

  it("only an endpoint: the endpoint is passed, the key and secret come from config or env", async () => {
    const p = new confluentcloud.Provider("endpoint-only", { endpoint: ENDPOINT });
    new confluentcloud.ServiceAccount("endpoint-only-sa", { displayName: "e" }, { provider: p });
    const s = await registered("endpoint-only-sa");
    expect(s.inputs.endpoint).toBe(ENDPOINT);
    expect(s.inputs).not.toHaveProperty("cloudApiKey");
    expect(s.inputs).not.toHaveProperty("cloudApiSecret");
  });
});

describe("a Provider with half of its credentials (issue 30)", () => {
  it.each([
    [{ cloudApiKey: "HALFKEYFAKE00002" }, "cloudApiSecret is required when cloudApiKey is set"],
    [{ cloudApiSecret: "half-fake-secret-not-real" }, "cloudApiKey is required when cloudApiSecret is set"],
    [
      { cloudApiKey: "HALFKEYFAKE00003", cloudApiSecret: "" },
      "cloudApiSecret is required when cloudApiKey is set",
    ],
    [
      { cloudApiKey: pulumi.secret("HALFKEYFAKE00004") },
      "cloudApiSecret is required when cloudApiKey is set",
    ],
  ])("fails at new Provider, used by no resource yet: %p", (args, why) => {
    const before = seen.length;
    expect(() => new confluentcloud.Provider("half-unused", args)).toThrow(
      new Error(
        `Provider half-unused: ${why}: a Provider sets cloudApiKey and cloudApiSecret together; set both, ` +
          "or neither to use the stack config or the environment",
      ),
    );
    // Nothing was registered.
    expect(seen.length).toBe(before);
  });

  it("a Provider with both, or with only an endpoint, is made", () => {
    expect(
      () => new confluentcloud.Provider("both", { cloudApiKey: KEY, cloudApiSecret: SECRET }),
    ).not.toThrow();
    expect(() => new confluentcloud.Provider("endpoint-alone", { endpoint: ENDPOINT })).not.toThrow();
  });
});

describe("lookups with a Provider", () => {
  let emu: RunningEmulator;
  let other: RunningEmulator;
  const OTHER = { apiKey: "LOOKUPKEYFAKE002", apiSecret: "lookup-fake-secret-not-real-02" };

  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    other = await startEmulator({
      port: 0,
      ...OTHER,
      seed: {
        organization_id: "c2c2cafe-0000-4000-8000-00000000000c",
        users: [
          {
            id: "u-other1",
            email: "other@example.com",
            full_name: "Other Person",
            auth_type: "AUTH_TYPE_LOCAL",
          },
        ],
        environments: [{ id: "env-other1", display_name: "other" }],
        kafka_clusters: [],
        schema_registries: [],
      },
    });
    // The environment points at the first emulator: a lookup without a Provider goes there.
    useEndpoint(emu.url, emu.apiKey, emu.apiSecret);
  });
  afterAll(async () => {
    clearLookupEnv();
    await closeClients();
    await emu.close();
    await other.close();
  });

  const logOf = async (e: RunningEmulator, key: string, secretValue: string): Promise<LogEntry[]> => {
    const res = await fetch(`${e.url}/_emulator/requests`, {
      headers: { authorization: `Basic ${Buffer.from(`${key}:${secretValue}`).toString("base64")}` },
    });
    return ((await res.json()) as { data: LogEntry[] }).data;
  };
  const otherProvider = (name: string): confluentcloud.Provider =>
    new confluentcloud.Provider(name, {
      cloudApiKey: OTHER.apiKey,
      cloudApiSecret: pulumi.secret(OTHER.apiSecret),
      endpoint: other.url,
    });

  it("getUser and getOrganization ask the Provider's organization, with its key", async () => {
    const p = otherProvider("lookup-direct");
    await expect(confluentcloud.getUser({ email: "other@example.com" }, { provider: p })).resolves.toEqual(
      expect.objectContaining({ id: "u-other1", fullName: "Other Person" }),
    );
    await expect(confluentcloud.getOrganization({}, { provider: p })).resolves.toEqual(
      expect.objectContaining({ id: "c2c2cafe-0000-4000-8000-00000000000c" }),
    );
    const calls = (await logOf(other, OTHER.apiKey, OTHER.apiSecret)).map(
      (e) => `${e.method} ${e.path} ${e.api_key} ${e.status}`,
    );
    expect(calls).toEqual([
      `GET /iam/v2/users ${OTHER.apiKey} 200`,
      `GET /org/v2/organizations ${OTHER.apiKey} 200`,
    ]);
    expect(await logOf(emu, emu.apiKey, emu.apiSecret)).toEqual([]);
  });

  it("…Output variants and a parent holding the Provider do the same; without one, the environment's", async () => {
    const team = new pulumi.ComponentResource(
      "acme:iam:Team",
      "lookup-team",
      {},
      {
        providers: [otherProvider("lookup-parent")],
      },
    );
    const viaParent = await new Promise((resolve) =>
      confluentcloud.getUserOutput({ id: "u-other1" }, { parent: team }).apply(resolve),
    );
    expect(viaParent).toEqual(expect.objectContaining({ email: "other@example.com" }));
    // No Provider: the environment's emulator, which has the default seed's users.
    await expect(confluentcloud.getUser({ id: "u-demo01" })).resolves.toEqual(
      expect.objectContaining({ email: "owner@example.com" }),
    );
    expect((await logOf(emu, emu.apiKey, emu.apiSecret)).map((e) => `${e.path} ${e.api_key}`)).toEqual([
      `/iam/v2/users/u-demo01 ${emu.apiKey}`,
    ]);
    // The user of the other organization is not found through the environment's credentials.
    await expect(confluentcloud.getUser({ email: "other@example.com" })).rejects.toThrow(
      "no user with email other@example.com",
    );
  });

  it("a Provider whose secret resolves to nothing fails the lookup, naming the Provider and the fix", async () => {
    // A plain key without a secret fails at `new Provider` already (below); an Output is known only here.
    const half = new confluentcloud.Provider("half", {
      cloudApiKey: "HALFKEYFAKE00001",
      cloudApiSecret: pulumi.output(""),
    });
    await expect(confluentcloud.getUsers({ provider: half })).rejects.toThrow(
      "Provider half: cloudApiSecret is required when cloudApiKey is set: a Provider sets cloudApiKey " +
        "and cloudApiSecret together; set both, or neither to use the stack config or the environment",
    );
  });
});
