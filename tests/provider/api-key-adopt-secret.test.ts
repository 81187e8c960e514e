/**
 * Issue 32 item 5: adopting an API key together with its secret. A program that adopts a key (`import` →
 * `importId`) and gives its `secret` input (a Pulumi secret) has it checked with one authenticated call, the
 * readiness probe of the key's kind made with the key id and that secret, and kept as the `secret` output. A
 * wrong secret fails naming the key and the call, never the value. The input is sent nowhere else, and a key
 * about to be created refuses it before any call. Through Pulumi's dynamic-provider host against the emulator.
 */
import { isSecretWire, secretWire, unwrapSecrets, type PropertyMap } from "../../protocol";
import { captureRegistration } from "../../testing/capture";
import { plain, startHarness, urnOf, type Harness } from "../../testing/scenario";
import { apiKey } from "../../testing/table";

let h: Harness;
let text = "";
beforeAll(async () => {
  h = await startHarness();
  text = (await captureRegistration(apiKey.register)).providerText;
});
afterAll(async () => h?.close());

/** `METHOD path?query key status` of each logged call. */
async function calls(): Promise<string[]> {
  const log = (await h.api.log()) as unknown as {
    method: string;
    path: string;
    query: Record<string, string>;
    api_key: string;
    status: number;
  }[];
  return log.map((r) => {
    const q = new URLSearchParams(r.query).toString();
    return `${r.method} ${r.path}${q ? `?${q}` : ""} ${r.api_key} ${r.status}`;
  });
}

/** A key made outside the program (as a Terraform stack or the console made it), with its secret. */
async function existingKey(
  name: string,
  resource?: Record<string, unknown>,
): Promise<{ id: string; secret: string; owner: string }> {
  const owner = (
    (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: `${name}-owner` })) as {
      id: string;
    }
  ).id;
  const made = (await h.api.ok("POST", "/iam/v2/api-keys", {
    spec: { display_name: name, description: "", owner: { id: owner }, ...(resource ? { resource } : {}) },
  })) as { id: string; spec: { secret: string } };
  return { id: made.id, secret: made.spec.secret, owner };
}

const program = (k: { owner: string }, name: string, extra: PropertyMap = {}): PropertyMap => ({
  displayName: name,
  owner: { id: k.owner, apiVersion: "iam/v2", kind: "ServiceAccount" },
  ...extra,
  __provider: text,
});

const messageOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "resolved",
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );

describe("a Cloud key", () => {
  it("adopted with its secret: one GET of the key, one probe with the key itself; the secret is the output", async () => {
    const k = await existingKey("vault-kept");
    const urn = urnOf("ApiKey", "vault-kept");
    await h.api.clearLog();
    const res = await h.host.create(
      urn,
      program(k, "vault-kept", { importId: k.id, secret: secretWire(k.secret) }),
    );
    expect(await calls()).toEqual([
      `GET /iam/v2/api-keys/${k.id} ${h.emu.apiKey} 200`,
      // The owner has no role: 403 is an authenticated caller's answer (RBAC is on).
      `GET /org/v2/environments?page_size=1 ${k.id} 403`,
    ]);
    expect(res.id).toBe(k.id);
    expect(isSecretWire(res.outs.secret)).toBe(true);
    expect(unwrapSecrets(res.outs.secret)).toBe(k.secret);
    expect(h.host.stderr()).not.toContain(k.secret);

    // Refresh keeps it (the API answers "" now), and the program shows no change.
    const read = await h.host.read(k.id, urn, res.outs);
    expect(unwrapSecrets(read.props.secret)).toBe(k.secret);
    expect(plain(read.inputs ?? {})).not.toHaveProperty("secret");
    const news = program(k, "vault-kept", { secret: secretWire(k.secret) });
    expect((await h.host.diff(k.id, urn, read.props, news)).changes).toBe(false);
    // Without the import option and without the secret input later: still no change, the secret stays.
    const bare = program(k, "vault-kept");
    expect((await h.host.diff(k.id, urn, read.props, bare)).changes).toBe(false);
  });

  it("a wrong secret fails naming the key and the call, never the value; nothing is written", async () => {
    const k = await existingKey("vault-wrong");
    const wrong = "fake-wrong-secret-not-real-0000000000000000000000000000000000000000";
    await h.api.clearLog();
    const err = await messageOf(
      h.host.create(
        urnOf("ApiKey", "vault-wrong"),
        program(k, "vault-wrong", { importId: k.id, secret: secretWire(wrong) }),
      ),
    );
    expect(err).toContain(
      `Cannot import API key ${k.id}: the secret input does not authenticate as this key (GET ` +
        `/org/v2/environments?page_size=1 answered 401 Unauthorized with it). Give the key's own secret (the ` +
        `one Confluent Cloud showed when the key was made), or remove the secret input to adopt the key ` +
        `without it (its secret output is then "").`,
    );
    expect(err).not.toContain(wrong);
    expect(h.host.stderr()).not.toContain(wrong);
    expect(await calls()).toEqual([
      `GET /iam/v2/api-keys/${k.id} ${h.emu.apiKey} 200`,
      `GET /org/v2/environments?page_size=1 ${k.id} 401`,
    ]);
  });

  it("adopted without a secret, then given it: one probe, and the secret is kept; a wrong one fails the update", async () => {
    const k = await existingKey("vault-later");
    const urn = urnOf("ApiKey", "vault-later");
    const adopted = await h.host.create(urn, program(k, "vault-later", { importId: k.id }));
    expect(unwrapSecrets(adopted.outs.secret)).toBe("");
    const news = program(k, "vault-later", { secret: secretWire(k.secret) });
    expect(await h.host.diff(k.id, urn, adopted.outs, news)).toMatchObject({ changes: true, replaces: [] });
    await h.api.clearLog();
    const updated = await h.host.update(k.id, urn, adopted.outs, news);
    expect(await calls()).toEqual([`GET /org/v2/environments?page_size=1 ${k.id} 403`]);
    expect(unwrapSecrets(updated.outs.secret)).toBe(k.secret);

    const wrong = program(k, "vault-later", { secret: secretWire("fake-other-secret-not-real") });
    const err = await messageOf(h.host.update(k.id, urn, updated.outs, wrong));
    expect(err).toContain(
      `Cannot update API key ${k.id}: the secret input does not authenticate as this key (GET ` +
        `/org/v2/environments?page_size=1 answered 401 Unauthorized with it). Give the key's own secret (the ` +
        `one Confluent Cloud showed when the key was made), or remove the secret input to keep the secret ` +
        `the stack has.`,
    );
    expect(err).not.toContain("fake-other-secret-not-real");
  });

  it("a key about to be created refuses a secret input, before any call", async () => {
    const k = await existingKey("vault-new");
    await h.api.clearLog();
    const err = await messageOf(
      h.host.create(urnOf("ApiKey", "vault-new"), program(k, "vault-new", { secret: secretWire(k.secret) })),
    );
    expect(err).toContain(
      `ApiKey: the secret input is set, but this key is about to be created, and the API makes a new key's ` +
        `secret itself. The secret input is for adopting an existing key together with its secret: add the ` +
        `resource option { import: "<keyId>" } naming the key it belongs to, or remove the secret input.`,
    );
    expect(await calls()).toEqual([]);
  });

  it("a created key's program that never gives a secret shows no change, and an unrelated update keeps the secret", async () => {
    const owner = (
      (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "made-owner" })) as {
        id: string;
      }
    ).id;
    const urn = urnOf("ApiKey", "made");
    const inputs = program({ owner }, "made", { disableWaitForReady: true });
    const made = await h.host.create(urn, inputs);
    const minted = unwrapSecrets(made.outs.secret) as string;
    expect(minted).toHaveLength(64);
    expect((await h.host.diff(made.id, urn, made.outs, inputs)).changes).toBe(false);
    const renamed = { ...inputs, displayName: "made-renamed" };
    const updated = await h.host.update(made.id, urn, made.outs, renamed);
    expect(unwrapSecrets(updated.outs.secret)).toBe(minted);
  });
});

it("check: a secret input that is not a non-empty string fails naming the field, never the value", async () => {
  const urn = urnOf("ApiKey", "check-secret");
  const base = { owner: { id: "sa-1" }, importId: "ABCDEFGHIJKLMNOP", __provider: text };
  const wrongType = await h.host.check(urn, {}, { ...base, secret: secretWire(4815162342) });
  expect(wrongType.failures).toEqual([
    { property: "secret", reason: "must be a string (got a secret value); change it to a string" },
  ]);
  expect(JSON.stringify(wrongType.failures)).not.toContain("4815162342");
  const empty = await h.host.check(urn, {}, { ...base, secret: secretWire("") });
  expect(empty.failures).toEqual([
    { property: "secret", reason: "must not be empty; set a non-empty value" },
  ]);
});

it("a Kafka key adopted with its secret: the probe is the readiness wait's, on the cluster's endpoint", async () => {
  const k = await existingKey("kafka-vault", { id: "lkc-demo01", environment: "env-demo01" });
  await h.api.clearLog();
  const res = await h.host.create(
    urnOf("ApiKey", "kafka-vault"),
    program(k, "kafka-vault", {
      managedResource: {
        id: "lkc-demo01",
        apiVersion: "cmk/v2",
        kind: "Cluster",
        environment: { id: "env-demo01" },
      },
      importId: k.id,
      secret: secretWire(k.secret),
    }),
  );
  expect(await calls()).toEqual([
    `GET /iam/v2/api-keys/${k.id} ${h.emu.apiKey} 200`,
    `GET /cmk/v2/clusters/lkc-demo01?environment=env-demo01 ${h.emu.apiKey} 200`,
    `GET /kafka/v3/clusters/lkc-demo01 ${k.id} 200`,
  ]);
  expect(unwrapSecrets(res.outs.secret)).toBe(k.secret);
});
