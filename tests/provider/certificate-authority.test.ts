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
