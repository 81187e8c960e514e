/** Behaviour that a single scenario step does not show: conflicts, partial state, invitations, import IDs. */
import { ResourceInitError } from "../../runner/host";
import { captureRegistration } from "./support/capture";
import { plain, startHarness, urnOf, type Harness } from "./support/scenario";
import { apiKey, invitation, serviceAccount } from "./table";

let h: Harness;
const text: Record<string, string> = {};
beforeAll(async () => {
  h = await startHarness();
  for (const e of [apiKey, invitation, serviceAccount])
    text[e.kind] = (await captureRegistration(e.register)).providerText;
});
afterAll(async () => {
  await h?.close();
});

it("a service account whose display name is taken (409) fails naming the existing one and the pulumi import command", async () => {
  const existing = (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "taken-name" })) as {
    id: string;
  };
  const urn = urnOf("ServiceAccount", "dup");
  await expect(
    h.host.create(urn, { __provider: text.ServiceAccount!, displayName: "taken-name" }),
  ).rejects.toThrow(
    `Cannot create service account with display name "taken-name": it already exists as ${existing.id}. ` +
      `To manage the existing one, import it: pulumi import pulumi-nodejs:dynamic/confluent:ServiceAccount ` +
      `<resource name> ${existing.id} (or set the resource option import: "${existing.id}"); otherwise choose different values.`,
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
      `API key ${init.id} was created but did not become ready within 1500 ms (last answer 401)`,
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
