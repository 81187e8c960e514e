/**
 * CertificateAuthority and CertificatePool through Pulumi's dynamic-provider host, beyond the table's
 * scenario: the chain checked at preview (exact reasons, never the value), the chain kept secret and never
 * printed, a chain changed behind the program's back found by refresh and put back with one PUT, adoption of a
 * CA whose chain differs, and the refused delete of a CA that still has pools.
 */
import { isSecretWire, secretWire } from "../../protocol";
import { captureRegistration } from "../../testing/capture";
import { plain, startHarness, urnOf, type Harness } from "../../testing/scenario";
import {
  certificateAuthoritySpec,
  type CertificateAuthorityInputs,
} from "../../provider/specs/certificate-authority";
import {
  certificateAuthority,
  certificatePool,
  fingerprintOf,
  TEST_CA_A,
  TEST_CA_B,
} from "../../testing/table";

const CAS = "/iam/v2/certificate-authorities";
/** The chain's base64 body: what must never be printed (the PEM armour lines are not secret). */
const BODY_A = TEST_CA_A.split("\n")[1] ?? "";
const BODY_B = TEST_CA_B.split("\n")[1] ?? "";

let h: Harness;
const text: Record<string, string> = {};
beforeAll(async () => {
  h = await startHarness();
  for (const e of [certificateAuthority, certificatePool])
    text[e.kind] = (await captureRegistration(e.register)).providerText;
});
afterAll(async () => {
  await h?.close();
});

const caInputs = (name: string, chain: unknown = secretWire(TEST_CA_A)) => ({
  __provider: text.CertificateAuthority!,
  displayName: name,
  certificateChain: chain,
  certificateChainFilename: "ca.pem",
});

it("preview (check) fails a chain that is not PEM certificates, naming the field and the reason, never the value", async () => {
  const urn = urnOf("CertificateAuthority", "bad");
  const notPem = await h.host.check(urn, {}, caInputs("bad", secretWire("sk-not-a-cert-0000")));
  expect(notPem.failures).toEqual([
    {
      property: "certificateChain",
      reason:
        "must be PEM-encoded X.509 certificates, but it contains no PEM certificate (no -----BEGIN CERTIFICATE----- " +
        'block); pass the CA\'s certificate file as text (e.g. fs.readFileSync("ca.pem", "utf8"))',
    },
  ]);
  const broken = `${TEST_CA_A}-----BEGIN CERTIFICATE-----\nQUFBQUFBQUFBQUFB\n-----END CERTIFICATE-----\n`;
  const second = await h.host.check(urn, {}, caInputs("bad", secretWire(broken)));
  expect(second.failures).toEqual([
    {
      property: "certificateChain",
      reason:
        "must be PEM-encoded X.509 certificates, but it certificate 2 of 2 is not a valid X.509 certificate; " +
        'pass the CA\'s certificate file as text (e.g. fs.readFileSync("ca.pem", "utf8"))',
    },
  ]);
  expect(JSON.stringify([notPem.failures, second.failures])).not.toContain("sk-not-a-cert");
  expect(JSON.stringify(second.failures)).not.toContain(BODY_A);
});

it("the chain stays a secret in the outputs, is never printed, and refresh keeps it", async () => {
  const urn = urnOf("CertificateAuthority", "secret");
  await h.api.clearLog();
  const made = await h.host.create(urn, caInputs("secret-ca"));
  expect(await h.api.calls()).toEqual([`POST ${CAS}`]);
  expect(isSecretWire(made.outs.certificateChain)).toBe(true);
  expect(made.outs.fingerprints).toEqual([fingerprintOf(TEST_CA_A)]);
  const read = await h.host.read(made.id, urn, made.outs);
  expect(isSecretWire(read.props.certificateChain)).toBe(true);
  expect(h.host.stderr()).not.toContain(BODY_A);
  await h.host.delete(made.id, urn, made.outs);
});

it("a chain changed behind the program's back: refresh drops it, the diff shows it, one PUT puts the program's back", async () => {
  const urn = urnOf("CertificateAuthority", "drift");
  const made = await h.host.create(urn, caInputs("drift-ca"));
  await h.api.ok("PUT", `${CAS}/${made.id}`, {
    display_name: "drift-ca",
    description: "",
    certificate_chain: TEST_CA_B,
    certificate_chain_filename: "ca.pem",
  });
  const read = await h.host.read(made.id, urn, made.outs);
  expect(read.props.fingerprints).toEqual([fingerprintOf(TEST_CA_B)]);
  expect(read.props.certificateChain).toBeUndefined();
  const news = caInputs("drift-ca");
  const d = await h.host.diff(made.id, urn, read.props, news);
  expect(d).toEqual(expect.objectContaining({ changes: true, replaces: [] }));
  await h.api.clearLog();
  const updated = await h.host.update(made.id, urn, read.props, news);
  expect(await h.api.calls()).toEqual([`PUT ${CAS}/${made.id}`]);
  expect(updated.outs.fingerprints).toEqual([fingerprintOf(TEST_CA_A)]);
  expect(isSecretWire(updated.outs.certificateChain)).toBe(true);
  expect((await h.host.diff(made.id, urn, updated.outs, news)).changes).toBe(false);
  expect(h.host.stderr()).not.toContain(BODY_B);
  await h.host.delete(made.id, urn, updated.outs);
});

it("adopting a CA whose chain differs from the program's: one GET and one PUT of the program's chain", async () => {
  const existing = (await h.api.ok("POST", CAS, {
    display_name: "adopt-ca",
    description: "",
    certificate_chain: TEST_CA_B,
    certificate_chain_filename: "ca.pem",
  })) as { id: string };
  const urn = urnOf("CertificateAuthority", "adopt");
  await h.api.clearLog();
  const res = await h.host.create(urn, { ...caInputs("adopt-ca"), importId: existing.id });
  expect(await h.api.calls()).toEqual([`GET ${CAS}/${existing.id}`, `PUT ${CAS}/${existing.id}`]);
  expect(h.host.stderr()).toContain(
    `CertificateAuthority ${existing.id}: adopting it; certificateChain differs from the program, so one PUT makes the certificate authority match it`,
  );
  expect(plain(res.outs)).toEqual(expect.objectContaining({ fingerprints: [fingerprintOf(TEST_CA_A)] }));
  await h.host.delete(res.id, urn, res.outs);
});

it("deleting a CA that still has pools fails naming the pools and the fix; the CA stays", async () => {
  const caUrn = urnOf("CertificateAuthority", "parent");
  const ca = await h.host.create(caUrn, caInputs("parent-ca"));
  const poolUrn = urnOf("CertificatePool", "child");
  const pool = await h.host.create(poolUrn, {
    __provider: text.CertificatePool!,
    certificateAuthority: { id: ca.id },
    displayName: "child",
    externalIdentifier: "CN",
    filter: "true",
  });
  expect(pool.outs.principal).toBe(pool.id);
  const err = await h.host.delete(ca.id, caUrn, ca.outs).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(String((err as Error).message)).toMatch(
    new RegExp(
      `Could not delete certificate authority ${ca.id}; it still exists: DELETE ${CAS}/${ca.id} failed with 400 ` +
        `Bad Request: Certificate authority ${ca.id} still has 1 identity pool \\(${pool.id}\\); delete them first ` +
        `\\(request id [^)]+\\) A certificate authority that still has certificate pools cannot be deleted: delete ` +
        `its CertificatePool resources first \\(a pool whose certificateAuthority.id is this authority's id output ` +
        `is deleted before it by pulumi destroy\\), or delete the pools the error names with \`confluent iam ` +
        `certificate-pool delete\`.`,
    ),
  );
  expect(String((err as Error).message)).not.toContain(BODY_A);
  expect((await h.host.read(ca.id, caUrn, ca.outs)).id).toBe(ca.id);
  await h.host.delete(pool.id, poolUrn, pool.outs);
  await h.host.delete(ca.id, caUrn, ca.outs);
  expect((await h.host.read(ca.id, caUrn, ca.outs)).id).toBe("");
});

describe("requireCrlOnClientCertificate and an uploaded CRL", () => {
  const CRL = "-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n";
  const CRL_URL = "https://example.com/ca.crl";

  it("false unless set: created without it, the CA answers false and the program shows no change", async () => {
    const urn = urnOf("CertificateAuthority", "crl-default");
    const made = await h.host.create(urn, caInputs("crl-default-ca"));
    expect(plain(made.outs).requireCrlOnClientCertificate).toBe(false);
    expect((await h.host.diff(made.id, urn, made.outs, caInputs("crl-default-ca"))).changes).toBe(false);
    await h.host.delete(made.id, urn, made.outs);
  });

  it("an uploaded CRL answers crl_url 'Local file uploaded': read as no URL, refresh and diff show nothing", async () => {
    const urn = urnOf("CertificateAuthority", "crl-upload");
    const inputs = { ...caInputs("crl-upload-ca"), crlChain: CRL, requireCrlOnClientCertificate: true };
    await h.api.clearLog();
    const made = await h.host.create(urn, inputs);
    expect(await h.api.calls()).toEqual([`POST ${CAS}`]);
    // The API's own answer holds the text where a URL would be.
    expect(((await h.api.ok("GET", `${CAS}/${made.id}`)) as { crl_url?: string }).crl_url).toBe(
      "Local file uploaded",
    );
    const out = plain(made.outs);
    expect(out.crlUrl).toBeUndefined();
    expect(out).toEqual(
      expect.objectContaining({ crlChain: CRL, crlSource: "LOCAL", requireCrlOnClientCertificate: true }),
    );
    const read = await h.host.read(made.id, urn, made.outs);
    expect(plain(read.props).crlUrl).toBeUndefined();
    expect(plain(read.inputs ?? {}).crlUrl).toBeUndefined();
    expect((await h.host.diff(made.id, urn, read.props, inputs)).changes).toBe(false);
    // A program that also names a URL (the API prefers the file): still no drift.
    const both = { ...inputs, crlUrl: CRL_URL };
    const withUrl = await h.host.update(made.id, urn, read.props, both);
    expect(plain(withUrl.outs).crlUrl).toBe(CRL_URL);
    const again = await h.host.read(made.id, urn, withUrl.outs);
    expect(plain(again.props).crlUrl).toBe(CRL_URL);
    expect((await h.host.diff(made.id, urn, again.props, both)).changes).toBe(false);
    await h.host.delete(made.id, urn, again.props);
  });

  it("every PUT carries it, so a rename keeps it; turning it off is one PUT", async () => {
    const urn = urnOf("CertificateAuthority", "crl-put");
    const inputs = { ...caInputs("crl-put-ca"), crlUrl: CRL_URL, requireCrlOnClientCertificate: true };
    const made = await h.host.create(urn, inputs);
    const renamed = { ...inputs, displayName: "crl-put-ca-renamed" };
    await h.api.clearLog();
    const r1 = await h.host.update(made.id, urn, made.outs, renamed);
    expect(await h.api.calls()).toEqual([`PUT ${CAS}/${made.id}`]);
    expect(plain(r1.outs).requireCrlOnClientCertificate).toBe(true);
    // The PUT body of a rename holds the flag (the emulator would keep it anyway; the real API's PUT is the
    // whole object).
    const { __provider: _p, ...plainRenamed } = plain(renamed);
    const put = certificateAuthoritySpec.updateRequest?.(
      { id: made.id },
      { displayName: "crl-put-ca-renamed" },
      { ...plainRenamed, certificateChain: TEST_CA_A } as CertificateAuthorityInputs,
    );
    expect(put?.body).toEqual(
      expect.objectContaining({
        display_name: "crl-put-ca-renamed",
        require_crl_on_client_certificate: true,
      }),
    );
    expect(
      ((await h.api.ok("GET", `${CAS}/${made.id}`)) as Record<string, unknown>)
        .require_crl_on_client_certificate,
    ).toBe(true);
    const off = { ...renamed, requireCrlOnClientCertificate: false };
    expect(await h.host.diff(made.id, urn, r1.outs, off)).toMatchObject({ changes: true, replaces: [] });
    const r2 = await h.host.update(made.id, urn, r1.outs, off);
    expect(plain(r2.outs).requireCrlOnClientCertificate).toBe(false);
    expect(
      ((await h.api.ok("GET", `${CAS}/${made.id}`)) as Record<string, unknown>)
        .require_crl_on_client_certificate,
    ).toBe(false);
    // Left out of the program: the same as false, no change.
    const { requireCrlOnClientCertificate: _dropped, ...leftOut } = off;
    expect((await h.host.diff(made.id, urn, r2.outs, leftOut)).changes).toBe(false);
    await h.host.delete(made.id, urn, r2.outs);
  });

  it("true without a CRL: the API's 400 reaches the user with its message, and no CA is made", async () => {
    const urn = urnOf("CertificateAuthority", "crl-none");
    await h.api.clearLog();
    const err = await h.host
      .create(urn, { ...caInputs("crl-none-ca"), requireCrlOnClientCertificate: true })
      .then(
        () => "created",
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
    expect(err.replace(/\(request id [0-9a-f-]{36}\)$/, "(request id …)")).toBe(
      `POST ${CAS} failed with 400 Bad Request: require_crl_on_client_certificate can be true only with a CRL: ` +
        `set crl_url or crl_chain in the same request (request id …)`,
    );
    expect(await h.api.calls()).toEqual([`POST ${CAS}`]);
  });
});
