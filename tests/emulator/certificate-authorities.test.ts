/**
 * Certificate authorities and certificate pools (certificate-authority_v2.yaml): exact status codes, the chain
 * parsed from the real (fake, self-signed) test certificates, PUT of the whole body, 200 on DELETE, and the
 * refused delete of a CA that still has pools.
 */
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { allPages, idsOf, pick, startTestEmulator, str, theError, type TestEmulator } from "./helpers";

const CERTS = join(__dirname, "..", "..", "testing", "certs");
const CA_A = readFileSync(join(CERTS, "test-ca-a.pem"), "utf8");
const CA_B = readFileSync(join(CERTS, "test-ca-b.pem"), "utf8");
const CHAIN_AB = readFileSync(join(CERTS, "test-chain-ab.pem"), "utf8");
const ORG = "b0b0cafe-0000-4000-8000-000000000001";
const CAS = "/iam/v2/certificate-authorities";

const facts = (pem: string) => {
  const c = new X509Certificate(pem);
  return {
    fingerprint: c.fingerprint.replace(/:/g, ""),
    serial: c.serialNumber.toUpperCase(),
    expires: new Date(c.validTo).toISOString().replace(".000Z", "Z"),
  };
};

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const createCa = (over: Record<string, unknown> = {}) =>
  emu.call("POST", CAS, {
    display_name: "payments CA",
    description: "signs client certificates",
    certificate_chain: CA_A,
    certificate_chain_filename: "ca.pem",
    ...over,
  });

const pool = (over: Record<string, unknown> = {}) => ({
  display_name: "payments",
  description: "payment services",
  external_identifier: "CN",
  filter: 'O == "Example"',
  ...over,
});

describe("certificate authorities", () => {
  test("POST 201 answers the chain's fingerprints, serial numbers and expiry, never the chain", async () => {
    const a = facts(CA_A);
    const b = facts(CA_B);
    const created = await createCa({ certificate_chain: CHAIN_AB, crl_url: "https://example.com/ca.crl" });
    expect(created.status).toBe(201);
    const id = str(created.body, "id");
    expect(id).toMatch(/^op-/);
    expect(created.headers.get("location")).toBe(`${emu.url}${CAS}/${id}`);
    expect(created.body).toMatchObject({
      api_version: "iam/v2",
      kind: "CertificateAuthority",
      display_name: "payments CA",
      description: "signs client certificates",
      fingerprints: [a.fingerprint, b.fingerprint],
      serial_numbers: [a.serial, b.serial],
      expiration_dates: [a.expires, b.expires],
      certificate_chain_filename: "ca.pem",
      crl_source: "URL",
      crl_url: "https://example.com/ca.crl",
      state: "ENABLED",
      metadata: { resource_name: `crn://confluent.cloud/organization=${ORG}/certificate-authority=${id}` },
    });
    expect(JSON.stringify(created.body)).not.toContain("BEGIN CERTIFICATE");
    expect(JSON.stringify((await emu.call("GET", "/_emulator/dump")).body)).not.toContain(
      "BEGIN CERTIFICATE",
    );
    const got = await emu.call("GET", `${CAS}/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
  });

  test("a chain that is not PEM certificates is 400 naming certificate_chain (the spec lists no 422)", async () => {
    const none = await createCa({ certificate_chain: "hello" });
    expect(none.status).toBe(400);
    expect(theError(none)).toMatchObject({
      code: "invalid_input",
      detail: "certificate_chain contains no PEM certificate (-----BEGIN CERTIFICATE-----)",
      source: { pointer: "/certificate_chain" },
    });
    const broken = await createCa({
      certificate_chain: `${CA_A}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`,
    });
    expect(broken.status).toBe(400);
    expect(theError(broken)).toMatchObject({
      detail: "certificate_chain certificate 2 of 2 is not a valid X.509 certificate",
    });
    const noFile = await emu.call("POST", CAS, {
      display_name: "x",
      description: "",
      certificate_chain: CA_A,
    });
    expect(noFile.status).toBe(400);
    expect(theError(noFile)).toMatchObject({ detail: "certificate_chain_filename is required" });
    expect((await emu.call("GET", CAS)).body).toMatchObject({ data: [] });
  });

  test("PUT replaces the whole body: a new chain, its file name, the CRL; 400 for a chain without file name", async () => {
    const id = str((await createCa({ crl_url: "https://example.com/ca.crl" })).body, "id");
    const noName = await emu.call("PUT", `${CAS}/${id}`, {
      display_name: "payments CA",
      description: "",
      certificate_chain: CA_B,
    });
    expect(noName.status).toBe(400);
    expect(theError(noName)).toMatchObject({
      detail: "certificate_chain_filename must be set when certificate_chain is updated",
      source: { pointer: "/certificate_chain_filename" },
    });
    const put = await emu.call("PUT", `${CAS}/${id}`, {
      display_name: "payments CA v2",
      description: "rotated",
      certificate_chain: CA_B,
      certificate_chain_filename: "ca-b.pem",
      crl_chain: "-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n",
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      display_name: "payments CA v2",
      description: "rotated",
      fingerprints: [facts(CA_B).fingerprint],
      certificate_chain_filename: "ca-b.pem",
      crl_source: "LOCAL",
    });
    // An uploaded CRL: the real API answers this text where a URL would be (ADDENDA.md).
    expect(pick(put.body, "crl_url")).toBe("Local file uploaded");
    // Without the chain, the chain stays; without CRL fields, the CRL goes (a whole-body update).
    const names = await emu.call("PUT", `${CAS}/${id}`, { display_name: "payments CA v3", description: "" });
    expect(names.status).toBe(200);
    expect(names.body).toMatchObject({
      fingerprints: [facts(CA_B).fingerprint],
      certificate_chain_filename: "ca-b.pem",
    });
    expect(pick(names.body, "crl_source")).toBeUndefined();
    expect((await emu.call("PATCH", `${CAS}/${id}`, { description: "x" })).status).toBe(405);
    expect((await emu.call("PUT", `${CAS}/op-nope00`, { display_name: "x", description: "" })).status).toBe(
      404,
    );
  });

  test("require_crl_on_client_certificate: false by default, true with a CRL, kept by a PUT that leaves it out", async () => {
    const plain = await createCa();
    expect(plain.status).toBe(201);
    expect(pick(plain.body, "require_crl_on_client_certificate")).toBe(false);
    const id = str(
      (
        await createCa({
          display_name: "strict CA",
          crl_url: "https://example.com/ca.crl",
          require_crl_on_client_certificate: true,
        })
      ).body,
      "id",
    );
    expect(pick((await emu.call("GET", `${CAS}/${id}`)).body, "require_crl_on_client_certificate")).toBe(
      true,
    );
    // A PUT without the flag keeps it (the CRL is sent again: a whole-body update).
    const kept = await emu.call("PUT", `${CAS}/${id}`, {
      display_name: "strict CA",
      description: "renamed",
      crl_chain: "-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n",
    });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({
      require_crl_on_client_certificate: true,
      crl_source: "LOCAL",
      crl_url: "Local file uploaded",
    });
    // Turned off by a PUT that says so.
    const off = await emu.call("PUT", `${CAS}/${id}`, {
      display_name: "strict CA",
      description: "",
      require_crl_on_client_certificate: false,
    });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ require_crl_on_client_certificate: false });
    expect(pick(off.body, "crl_source")).toBeUndefined();
  });

  test("require_crl_on_client_certificate: true without a CRL is 400 (a CA that refuses every client), on POST and PUT", async () => {
    const refusal = {
      errors: [
        {
          id: expect.stringMatching(/^[0-9a-f]{32}$/),
          status: "400",
          code: "invalid_input",
          detail:
            "require_crl_on_client_certificate can be true only with a CRL: set crl_url or crl_chain in the same request",
          source: { pointer: "/require_crl_on_client_certificate" },
        },
      ],
    };
    const made = await createCa({ require_crl_on_client_certificate: true });
    expect(made.status).toBe(400);
    expect(made.body).toEqual(refusal);
    expect((await emu.call("GET", CAS)).body).toMatchObject({ data: [] });
    const id = str(
      (await createCa({ crl_url: "https://example.com/ca.crl", require_crl_on_client_certificate: true }))
        .body,
      "id",
    );
    // A PUT that drops the CRL of a CA that requires one (the flag kept, not sent) is refused too.
    const dropped = await emu.call("PUT", `${CAS}/${id}`, { display_name: "payments CA", description: "" });
    expect(dropped.status).toBe(400);
    expect(dropped.body).toEqual(refusal);
    expect((await emu.call("GET", `${CAS}/${id}`)).body).toMatchObject({
      crl_url: "https://example.com/ca.crl",
      require_crl_on_client_certificate: true,
    });
  });

  test("display_name is unique: 409 with the existing one's Location", async () => {
    const id = str((await createCa()).body, "id");
    const again = await createCa();
    expect(again.status).toBe(409);
    expect(again.headers.get("location")).toBe(`${emu.url}${CAS}/${id}`);
  });

  test("DELETE answers 200 with the CA; a second DELETE and a GET are 404", async () => {
    const created = await createCa();
    const id = str(created.body, "id");
    const del = await emu.call("DELETE", `${CAS}/${id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual(created.body);
    expect((await emu.call("DELETE", `${CAS}/${id}`)).status).toBe(404);
    const gone = await emu.call("GET", `${CAS}/${id}`);
    expect(gone.status).toBe(404);
    expect(theError(gone)).toMatchObject({
      code: "not_found",
      detail: `Certificate authority ${id} not found`,
    });
  });
});

describe("certificate pools", () => {
  test("POST 201, list, PUT 200, DELETE 200 under their CA; the pool is its own principal", async () => {
    const ca = str((await createCa()).body, "id");
    const path = `${CAS}/${ca}/identity-pools`;
    const made = await emu.call("POST", path, pool());
    expect(made.status).toBe(201);
    const id = str(made.body, "id");
    expect(id).toMatch(/^pool-/);
    expect(made.headers.get("location")).toBe(`${emu.url}${path}/${id}`);
    expect(made.body).toMatchObject({
      api_version: "iam/v2",
      kind: "CertificateIdentityPool",
      display_name: "payments",
      external_identifier: "CN",
      principal: id,
      state: "ENABLED",
      metadata: { self: `${emu.url}${path}/${id}` },
    });
    await emu.call("POST", path, pool({ display_name: "second" }));
    expect(idsOf(await allPages(emu, `${path}?page_size=1`))).toHaveLength(2);
    const put = await emu.call("PUT", `${path}/${id}`, pool({ filter: "true", external_identifier: "UID" }));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ filter: "true", external_identifier: "UID" });
    const partial = await emu.call("PUT", `${path}/${id}`, { display_name: "x" });
    expect(partial.status).toBe(422);
    expect(theError(partial)).toMatchObject({
      detail: "description is required",
      source: { pointer: "/description" },
    });
    const del = await emu.call("DELETE", `${path}/${id}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id, filter: "true" });
    expect((await emu.call("GET", `${path}/${id}`)).status).toBe(404);
  });

  test("POST 422 for a missing field, 400 for a filter over the organization's 300 characters; 404 under a missing CA", async () => {
    const ca = str((await createCa()).body, "id");
    const path = `${CAS}/${ca}/identity-pools`;
    const noId = await emu.call("POST", path, pool({ external_identifier: undefined }));
    expect(noId.status).toBe(422);
    expect(theError(noId)).toMatchObject({ detail: "external_identifier is required" });
    const long = await emu.call("POST", path, pool({ filter: "x".repeat(301) }));
    expect(long.status).toBe(400);
    expect(theError(long)).toMatchObject({
      detail: "filter must be at most 300 characters (got 301); this limit is set per organization",
    });
    const orphan = await emu.call("POST", `${CAS}/op-nope00/identity-pools`, pool());
    expect(orphan.status).toBe(404);
    expect(theError(orphan)).toMatchObject({ detail: "Certificate authority op-nope00 not found" });
  });

  test("a pool is found only under its own CA", async () => {
    const ca = str((await createCa()).body, "id");
    const other = str((await createCa({ display_name: "other" })).body, "id");
    const id = str((await emu.call("POST", `${CAS}/${ca}/identity-pools`, pool())).body, "id");
    const wrong = await emu.call("GET", `${CAS}/${other}/identity-pools/${id}`);
    expect(wrong.status).toBe(404);
    expect(theError(wrong)).toMatchObject({ detail: `Certificate identity pool ${id} not found` });
  });

  test("deleting a CA that still has pools is 400 naming them; once they are gone it is 200", async () => {
    const ca = str((await createCa()).body, "id");
    const path = `${CAS}/${ca}/identity-pools`;
    const p1 = str((await emu.call("POST", path, pool())).body, "id");
    const p2 = str((await emu.call("POST", path, pool({ display_name: "b" }))).body, "id");
    const refused = await emu.call("DELETE", `${CAS}/${ca}`);
    expect(refused.status).toBe(400);
    expect(theError(refused)).toMatchObject({
      code: "invalid_request",
      detail: `Certificate authority ${ca} still has 2 identity pools (${p1}, ${p2}); delete them first`,
    });
    expect((await emu.call("GET", `${CAS}/${ca}`)).status).toBe(200);
    await emu.call("DELETE", `${path}/${p1}`);
    await emu.call("DELETE", `${path}/${p2}`);
    expect((await emu.call("DELETE", `${CAS}/${ca}`)).status).toBe(200);
  });

  test("deleting a pool takes its role bindings with it (it is a principal)", async () => {
    const ca = str((await createCa()).body, "id");
    const id = str((await emu.call("POST", `${CAS}/${ca}/identity-pools`, pool())).body, "id");
    const crn = `crn://confluent.cloud/organization=${ORG}/environment=env-demo01`;
    const rb = await emu.call("POST", "/iam/v2/role-bindings", {
      principal: `User:${id}`,
      role_name: "EnvironmentAdmin",
      crn_pattern: crn,
    });
    expect(rb.status).toBe(201);
    await emu.call("DELETE", `${CAS}/${ca}/identity-pools/${id}`);
    const left = await emu.call(
      "GET",
      `/iam/v2/role-bindings?crn_pattern=${encodeURIComponent(crn)}&principal=User:${id}`,
    );
    expect(left.body).toMatchObject({ data: [] });
  });
});

describe("certificate pools: assigned_resource_owner on create", () => {
  test("binds the principal ResourceOwner on the new pool; an unknown principal is 400 and makes no pool", async () => {
    const ca = str((await createCa()).body, "id");
    const base = `${CAS}/${ca}/identity-pools`;
    const owner = str(
      (await emu.call("POST", "/iam/v2/service-accounts", { display_name: "pool-owner" })).body,
      "id",
    );
    const created = await emu.call("POST", `${base}?assigned_resource_owner=${owner}`, pool());
    expect(created.status).toBe(201);
    const id = str(created.body, "id");
    const crn = `crn://confluent.cloud/organization=${ORG}/certificate-authority=${ca}/identity-pool=${id}`;
    const bindings = await emu.call("GET", `/iam/v2/role-bindings?crn_pattern=${encodeURIComponent(crn)}`);
    expect(pick(bindings.body, "data")).toEqual([
      expect.objectContaining({ principal: `User:${owner}`, role_name: "ResourceOwner", crn_pattern: crn }),
    ]);

    const refused = await emu.call(
      "POST",
      `${base}?assigned_resource_owner=sa-nope00`,
      pool({ display_name: "second" }),
    );
    expect(refused.status).toBe(400);
    expect(theError(refused)).toMatchObject({
      detail: "Principal sa-nope00 does not exist",
      source: { parameter: "assigned_resource_owner" },
    });
    expect(idsOf([(await emu.call("GET", base)).body])).toEqual([id]);
  });
});
