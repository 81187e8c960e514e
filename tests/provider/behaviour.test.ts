/** Behaviour that a single scenario step does not show: conflicts, partial state, invitations, import IDs. */
import { ResourceInitError } from "../../runner/host";
import { captureRegistration } from "../../testing/capture";
import { plain, startHarness, urnOf, type Harness } from "../../testing/scenario";
import { apiKey, byokKey, identityProvider, invitation, serviceAccount } from "../../testing/table";

let h: Harness;
const text: Record<string, string> = {};
beforeAll(async () => {
  h = await startHarness();
  for (const e of [apiKey, invitation, serviceAccount, byokKey, identityProvider])
    text[e.kind] = (await captureRegistration(e.register)).providerText;
});
afterAll(async () => {
  await h?.close();
});

it("a service account whose display name is taken (409) fails naming the existing one and the exact import option (not the pulumi import command, which fails for dynamic providers)", async () => {
  const existing = (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "taken-name" })) as {
    id: string;
  };
  const urn = urnOf("ServiceAccount", "dup");
  await expect(
    h.host.create(urn, { __provider: text.ServiceAccount!, displayName: "taken-name" }),
  ).rejects.toThrow(
    `Cannot create service account with display name "taken-name": it already exists as ${existing.id}. ` +
      `If the program declares the same service account twice, remove one of the two resources. ` +
      `Otherwise, to manage the existing one, add the resource option { import: "${existing.id}" } to this ` +
      `resource in the program and run pulumi up again (the Pulumi CLI's pulumi import command does not work ` +
      `for dynamic providers: pulumi/pulumi#16175), or choose different values.`,
  );
});

it("an API key that never becomes ready stays in state: create rejects with its id and properties, and no secret in the message", async () => {
  await h.api.faults({ key_propagation_ms: 60_000 });
  try {
    const sa = (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "slow-key-owner" })) as {
      id: string;
    };
    const urn = urnOf("ApiKey", "slow");
    const err: unknown = await h.host
      .create(urn, { __provider: text.ApiKey!, owner: { id: sa.id }, displayName: "slow" })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ResourceInitError);
    const init = err as ResourceInitError;
    expect(init.id).toMatch(/^EMU/);
    expect(plain(init.properties)).toEqual(
      expect.objectContaining({ displayName: "slow", owner: expect.objectContaining({ id: sa.id }) }),
    );
    const secret = String(init.properties.secret);
    expect(secret.length).toBeGreaterThan(20);
    expect(init.message).toContain(
      `API key ${init.id} was created but did not become ready within 1500 ms ` +
        `(GET /org/v2/environments?page_size=1 last answered 401)`,
    );
    expect(init.message).not.toContain(secret);
    expect(h.host.stderr()).not.toContain(secret);
    expect(h.host.stderr()).toContain(`ApiKey ${init.id}: waiting`);
    // The key exists: nothing was orphaned.
    const dump = await h.api.dump();
    expect((dump.api_keys ?? []).map((k) => k.id)).toContain(init.id);
  } finally {
    await h.api.faults({ key_propagation_ms: 0 });
  }
});

it("an API key imports by <envId>/<keyId> too, with an empty secret", async () => {
  const sa = (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "import-owner" })) as {
    id: string;
  };
  const key = (await h.api.ok("POST", "/iam/v2/api-keys", {
    spec: {
      display_name: "kafka",
      owner: { id: sa.id },
      resource: { id: "lkc-demo01", environment: "env-demo01" },
    },
  })) as { id: string };
  const res = await h.host.read(`env-demo01/${key.id}`, urnOf("ApiKey", "imp"), { __provider: text.ApiKey! });
  expect(res.id).toBe(key.id);
  expect(plain(res.props)).toEqual(
    expect.objectContaining({ secret: "", managedResource: expect.objectContaining({ id: "lkc-demo01" }) }),
  );
});

describe("an accepted invitation", () => {
  async function acceptedInvitation(email: string) {
    const urn = urnOf("Invitation", email);
    const made = await h.host.create(urn, { __provider: text.Invitation!, email });
    await h.api.ok("POST", `/_emulator/invitations/${made.id}/accept`);
    const refreshed = await h.host.read(made.id, urn, made.outs);
    expect(refreshed.props.status).toBe("INVITE_STATUS_ACCEPTED");
    return { urn, id: made.id, outs: refreshed.props };
  }

  it("cannot be deleted (400): delete fails and says to set allowDeletion", async () => {
    const inv = await acceptedInvitation("accepted-1@example.com");
    await expect(h.host.delete(inv.id, inv.urn, inv.outs)).rejects.toThrow(
      `Could not delete invitation ${inv.id}; it still exists: DELETE /iam/v2/invitations/${inv.id} failed with 400`,
    );
    await expect(h.host.delete(inv.id, inv.urn, inv.outs)).rejects.toThrow("Set allowDeletion: true");
  });

  it("with allowDeletion: true is dropped from the stack without any API call", async () => {
    const inv = await acceptedInvitation("accepted-2@example.com");
    await h.api.clearLog();
    await h.host.delete(inv.id, inv.urn, { ...inv.outs, allowDeletion: true });
    expect(await h.api.calls()).toEqual([]);
  });
});

describe("BYOK keys", () => {
  const KEY = "arn:aws:kms:eu-west-1:123456789012:key/registered-twice";

  it("a customer key registered twice (409) fails naming the existing cck- id and the exact import option", async () => {
    const existing = (await h.api.ok("POST", "/byok/v1/keys", { key: { kind: "AwsKey", key_arn: KEY } })) as {
      id: string;
    };
    await expect(
      h.host.create(urnOf("ByokKey", "dup"), { __provider: text.ByokKey!, aws: { keyArn: KEY } }),
    ).rejects.toThrow(
      `Cannot create BYOK key with key ARN ${KEY}: it already exists as ${existing.id}. If the program ` +
        `declares the same BYOK key twice, remove one of the two resources. Otherwise, to manage the existing ` +
        `one, add the resource option { import: "${existing.id}" } to this resource in the program and run ` +
        `pulumi up again (the Pulumi CLI's pulumi import command does not work for dynamic providers: ` +
        `pulumi/pulumi#16175), or choose different values.`,
    );
  });

  it("check without any cloud says to set exactly one", async () => {
    const res = await h.host.check(
      urnOf("ByokKey", "none"),
      {},
      { __provider: text.ByokKey!, displayName: "k" },
    );
    expect(res.failures).toEqual([
      {
        property: "aws",
        reason: "exactly one of aws, azure, gcp must be set (got none); set the one of the key's cloud",
      },
    ]);
  });

  it("an Azure key: the application id is filled in; renaming sends one PATCH and keeps the key", async () => {
    const urn = urnOf("ByokKey", "azure");
    const azure = {
      keyIdentifier: "https://corp-vault.vault.azure.net/keys/kafka/0123456789abcdef",
      keyVaultId:
        "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/kv/providers/Microsoft.KeyVault/vaults/corp-vault",
      tenantId: "00000000-0000-4000-8000-0000000000ff",
    };
    const made = await h.host.create(urn, { __provider: text.ByokKey!, displayName: "azure key", azure });
    expect(plain(made.outs)).toEqual(
      expect.objectContaining({
        azure: { ...azure, applicationId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown },
        provider: "Azure",
      }),
    );
    const news = { __provider: text.ByokKey!, displayName: "azure key, renamed", azure };
    const d = await h.host.diff(made.id, urn, made.outs, news);
    expect(d).toEqual(expect.objectContaining({ changes: true, replaces: [] }));
    await h.api.clearLog();
    const updated = await h.host.update(made.id, urn, made.outs, news);
    expect(await h.api.calls()).toEqual([`PATCH /byok/v1/keys/${made.id}`]);
    expect(plain(updated.outs)).toEqual(expect.objectContaining({ displayName: "azure key, renamed" }));
  });
});

it("an identity provider: a new jwksRefreshTrigger with a new name sends the PATCH, then the JWKS refresh", async () => {
  const urn = urnOf("IdentityProvider", "both");
  const base = { __provider: text.IdentityProvider!, ...identityProvider.inputs({}, "both") };
  const made = await h.host.create(urn, { ...base, jwksRefreshTrigger: "1" });
  // Create fetches the keys anyway: no refresh, no status.
  expect(plain(made.outs).jwksStatus).toBeUndefined();
  await h.api.clearLog();
  const news = { ...base, displayName: "corp-oidc-renamed", jwksRefreshTrigger: "2" };
  const res = await h.host.update(made.id, urn, made.outs, news);
  expect(await h.api.calls()).toEqual([
    `PATCH /iam/v2/identity-providers/${made.id}`,
    `PATCH /iam/v2/identity-providers/${made.id}/jwks`,
  ]);
  expect(plain(res.outs)).toEqual(
    expect.objectContaining({
      displayName: "corp-oidc-renamed",
      jwksRefreshTrigger: "2",
      jwksStatus: "REFRESHED",
    }),
  );
});
