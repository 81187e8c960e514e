/**
 * `assignedResourceOwner` on ServiceAccount, IdentityPool and CertificatePool, through Pulumi's dynamic-provider host against
 * the emulator: the create sends `?assigned_resource_owner=` and the principal holds ResourceOwner on the new
 * object; refresh keeps it (the API never answers it) with no change; a later change sends nothing and says
 * so; a value that is not a principal id fails at preview with the fix.
 */
import type { PropertyMap } from "../../protocol";
import { captureRegistration } from "../../testing/capture";
import { plain, startHarness, urnOf, type Harness } from "../../testing/scenario";
import { certificatePool, identityPool, serviceAccount, TEST_CA_A } from "../../testing/table";

const ORG_CRN = "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001";

let h: Harness;
let saText = "";
let poolText = "";
let certPoolText = "";
beforeAll(async () => {
  h = await startHarness();
  saText = (await captureRegistration(serviceAccount.register)).providerText;
  poolText = (await captureRegistration(identityPool.register)).providerText;
  certPoolText = (await captureRegistration(certificatePool.register)).providerText;
});
afterAll(async () => {
  await h?.close();
});

/** The role bindings on a CRN: `principal role`. */
async function bindingsOn(crn: string): Promise<string[]> {
  const body = (await h.api.ok("GET", `/iam/v2/role-bindings?crn_pattern=${encodeURIComponent(crn)}`)) as {
    data: { principal: string; role_name: string }[];
  };
  return body.data.map((b) => `${b.principal} ${b.role_name}`);
}

/** `METHOD path?query` of the logged calls. */
async function callsWithQuery(): Promise<string[]> {
  return (await h.api.log()).map((r) => {
    const q = new URLSearchParams(r.query as Record<string, string>).toString();
    return `${r.method} ${r.path}${q ? `?${q}` : ""}`;
  });
}

describe("ServiceAccount", () => {
  const urn = urnOf("ServiceAccount", "owned");
  const inputs: PropertyMap = {
    displayName: "owned-by-a-user",
    description: "made by an environment admin",
    assignedResourceOwner: "u-demo02",
  };
  let id = "";
  let outs: PropertyMap = {};

  it("create: one POST with ?assigned_resource_owner=; the user owns the new account", async () => {
    await h.api.clearLog();
    const made = await h.host.create(urn, { ...inputs, __provider: saText });
    id = made.id;
    outs = made.outs;
    expect(await callsWithQuery()).toEqual([
      "POST /iam/v2/service-accounts?assigned_resource_owner=u-demo02",
    ]);
    expect(plain(outs).assignedResourceOwner).toBe("u-demo02");
    expect(await bindingsOn(`${ORG_CRN}/service-account=${id}`)).toEqual(["User:u-demo02 ResourceOwner"]);
  });

  it("without it, the create sends no query", async () => {
    await h.api.clearLog();
    await h.host.create(urnOf("ServiceAccount", "unowned"), {
      displayName: "owned-by-nobody",
      __provider: saText,
    });
    expect(await callsWithQuery()).toEqual(["POST /iam/v2/service-accounts"]);
  });

  it("refresh: one GET; the owner stays in state and the program shows no change", async () => {
    await h.api.clearLog();
    const res = await h.host.read(id, urn, outs);
    expect(await h.api.calls()).toEqual([`GET /iam/v2/service-accounts/${id}`]);
    expect(plain(res.props).assignedResourceOwner).toBe("u-demo02");
    expect(plain(res.inputs ?? {}).assignedResourceOwner).toBe("u-demo02");
    const diff = await h.host.diff(id, urn, res.props, { ...inputs, __provider: saText });
    expect(diff.changes).toBe(false);
    outs = res.props;
  });

  it("a later change is an update that sends nothing, and a line says what stays and what to do", async () => {
    const news = { ...inputs, assignedResourceOwner: "u-demo01", __provider: saText };
    const diff = await h.host.diff(id, urn, outs, news);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    await h.api.clearLog();
    const before = h.host.stderr().length;
    const res = await h.host.update(id, urn, outs, news);
    expect(await h.api.calls()).toEqual([]);
    expect(plain(res.outs).assignedResourceOwner).toBe("u-demo01");
    expect(h.host.stderr().slice(before)).toContain(
      `confluent-iam: ServiceAccount ${id}: assignedResourceOwner is applied only when the service account is ` +
        `created, so nothing was sent: u-demo02 keeps its ResourceOwner role binding, and u-demo01 gets none. ` +
        `To change who owns it, declare a RoleBinding (roleName "ResourceOwner", crnPattern the service ` +
        `account's CRN).`,
    );
    expect(await bindingsOn(`${ORG_CRN}/service-account=${id}`)).toEqual(["User:u-demo02 ResourceOwner"]);
  });

  it("check: a principal written as User:… is refused with the fix", async () => {
    const res = await h.host.check(
      urn,
      {},
      {
        displayName: "x",
        assignedResourceOwner: "User:u-demo02",
        __provider: saText,
      },
    );
    expect(res.failures).toEqual([
      {
        property: "assignedResourceOwner",
        reason:
          "must be the id of the principal to own it: a user (u-…), service account (sa-…), identity pool " +
          '(pool-…) or group mapping (group-…), without "User:"; fix it',
      },
    ]);
  });
});

describe("IdentityPool", () => {
  it("create: one POST with ?assigned_resource_owner=; the service account owns the new pool", async () => {
    const op = (
      (await h.api.ok("POST", "/iam/v2/identity-providers", {
        display_name: "owned-pools",
        description: "",
        issuer: "https://login.example.com/tenant-1/v2.0",
        jwks_uri: "https://login.example.com/common/discovery/v2.0/keys",
      })) as { id: string }
    ).id;
    const owner = (
      (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "pool-owner" })) as {
        id: string;
      }
    ).id;
    await h.api.clearLog();
    const made = await h.host.create(urnOf("IdentityPool", "owned"), {
      identityProvider: { id: op },
      displayName: "owned-pool",
      identityClaim: "claims.sub",
      filter: "true",
      assignedResourceOwner: owner,
      __provider: poolText,
    });
    expect(await callsWithQuery()).toEqual([
      `POST /iam/v2/identity-providers/${op}/identity-pools?assigned_resource_owner=${owner}`,
    ]);
    expect(plain(made.outs).assignedResourceOwner).toBe(owner);
    expect(await bindingsOn(`${ORG_CRN}/identity-provider=${op}/identity-pool=${made.id}`)).toEqual([
      `User:${owner} ResourceOwner`,
    ]);
  });
});

describe("CertificatePool", () => {
  const CAS = "/iam/v2/certificate-authorities";
  let ca = "";
  let owner = "";
  let id = "";
  let outs: PropertyMap = {};
  const urn = urnOf("CertificatePool", "owned");
  const inputs = (assignedResourceOwner: string): PropertyMap => ({
    certificateAuthority: { id: ca },
    displayName: "owned-cert-pool",
    externalIdentifier: "CN",
    filter: 'O == "Example"',
    assignedResourceOwner,
    __provider: certPoolText,
  });

  it("create: one POST with ?assigned_resource_owner=; the service account owns the new pool", async () => {
    ca = (
      (await h.api.ok("POST", CAS, {
        display_name: "owned-pools-ca",
        description: "",
        certificate_chain: TEST_CA_A,
        certificate_chain_filename: "ca.pem",
      })) as { id: string }
    ).id;
    owner = (
      (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "cert-pool-owner" })) as {
        id: string;
      }
    ).id;
    await h.api.clearLog();
    const made = await h.host.create(urn, inputs(owner));
    id = made.id;
    outs = made.outs;
    expect(await callsWithQuery()).toEqual([
      `POST ${CAS}/${ca}/identity-pools?assigned_resource_owner=${owner}`,
    ]);
    expect(plain(outs).assignedResourceOwner).toBe(owner);
    expect(await bindingsOn(`${ORG_CRN}/certificate-authority=${ca}/identity-pool=${id}`)).toEqual([
      `User:${owner} ResourceOwner`,
    ]);
  });

  it("refresh keeps it with no change; a later change sends nothing and says so", async () => {
    const res = await h.host.read(id, urn, outs);
    expect(plain(res.props).assignedResourceOwner).toBe(owner);
    expect((await h.host.diff(id, urn, res.props, inputs(owner))).changes).toBe(false);
    const news = inputs("u-demo01");
    expect(await h.host.diff(id, urn, res.props, news)).toMatchObject({ changes: true, replaces: [] });
    await h.api.clearLog();
    const before = h.host.stderr().length;
    const updated = await h.host.update(id, urn, res.props, news);
    expect(await h.api.calls()).toEqual([]);
    expect(plain(updated.outs).assignedResourceOwner).toBe("u-demo01");
    expect(h.host.stderr().slice(before)).toContain(
      `confluent-iam: CertificatePool ${id}: assignedResourceOwner is applied only when the certificate pool ` +
        `is created, so nothing was sent: ${owner} keeps its ResourceOwner role binding, and u-demo01 gets ` +
        `none. To change who owns it, declare a RoleBinding (roleName "ResourceOwner", crnPattern the ` +
        `certificate pool's CRN).`,
    );
  });

  it("an unknown principal: the API's 400 reaches the user and no pool is made", async () => {
    await h.api.clearLog();
    const err = await h.host
      .create(urnOf("CertificatePool", "unowned"), { ...inputs("sa-nope00"), displayName: "nobody's" })
      .then(
        () => "created",
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
    expect(err).toContain(
      `POST ${CAS}/${ca}/identity-pools failed with 400 Bad Request: Principal sa-nope00 does not exist`,
    );
    expect(await h.api.calls()).toEqual([`POST ${CAS}/${ca}/identity-pools`]);
  });
});
