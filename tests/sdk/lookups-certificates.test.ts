/**
 * getCertificateAuthority and getCertificatePool (and their Output forms) against the emulator: the exact
 * calls (one GET by id, the pools list of the authority at page_size 100 by name), the results, and every
 * error a user can hit with its exact message.
 */
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  getCertificateAuthority,
  getCertificateAuthorityOutput,
  getCertificatePool,
  getCertificatePoolOutput,
} from "pulumi-confluent-iam";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorApi } from "../../testing/emulator-api";
import { callLine, clearLookupEnv, useEndpoint, useLookupTuning } from "./support/lookup-env";

const CA_PEM = readFileSync(join(__dirname, "..", "..", "testing", "certs", "test-ca-a.pem"), "utf8");
const CAS = "/iam/v2/certificate-authorities";
const WINDOW_MS = 300;

let emu: RunningEmulator;
let api: EmulatorApi;
let ca = "";
let pool = "";

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  api = new EmulatorApi(emu);
  useLookupTuning(WINDOW_MS);
  useEndpoint(emu.url, emu.apiKey, emu.apiSecret);
  ca = (
    (await api.ok("POST", CAS, {
      display_name: "payments CA",
      description: "d",
      certificate_chain: CA_PEM,
      certificate_chain_filename: "ca.pem",
      crl_url: "https://example.com/ca.crl",
    })) as { id: string }
  ).id;
  const mk = async (name: string) =>
    (
      (await api.ok("POST", `${CAS}/${ca}/identity-pools`, {
        display_name: name,
        description: "",
        external_identifier: "CN",
        filter: "true",
      })) as { id: string }
    ).id;
  pool = await mk("payments");
  await mk("twin");
  await mk("twin");
});

afterAll(async () => {
  await emu?.close();
  clearLookupEnv();
});

beforeEach(async () => api.clearLog());

const logged = async (): Promise<string[]> => (await api.log()).map(callLine);
const messageOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "resolved",
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((r) => o.apply((v) => r(v)));

it("getCertificateAuthority: one GET by id; the chain's facts, never the chain", async () => {
  const c = new X509Certificate(CA_PEM);
  const res = await getCertificateAuthority({ id: ca });
  expect(res).toEqual({
    id: ca,
    displayName: "payments CA",
    description: "d",
    certificateChainFilename: "ca.pem",
    fingerprints: [c.fingerprint.replace(/:/g, "")],
    expirationDates: [new Date(c.validTo).toISOString().replace(".000Z", "Z")],
    serialNumbers: [c.serialNumber.toUpperCase()],
    crlSource: "URL",
    crlUrl: "https://example.com/ca.crl",
    crlUpdatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown as string,
    requireCrlOnClientCertificate: false,
  });
  expect(await valueOf(getCertificateAuthorityOutput({ id: pulumi.output(ca) }))).toEqual(res);
  expect(await logged()).toEqual([`GET ${CAS}/${ca}`, `GET ${CAS}/${ca}`]);
});

it("getCertificateAuthority: requireCrlOnClientCertificate as set; an uploaded CRL's crl_url text reads as no URL", async () => {
  const strict = (await api.ok("POST", CAS, {
    display_name: "strict CA",
    description: "",
    certificate_chain: CA_PEM,
    certificate_chain_filename: "ca.pem",
    crl_chain: "-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n",
    require_crl_on_client_certificate: true,
  })) as { id: string; crl_url: string };
  // The API answers this text where a URL would be.
  expect(strict.crl_url).toBe("Local file uploaded");
  await api.clearLog();
  const res = await getCertificateAuthority({ id: strict.id });
  expect(res).toEqual(
    expect.objectContaining({ crlSource: "LOCAL", crlUrl: "", requireCrlOnClientCertificate: true }),
  );
  expect(await logged()).toEqual([`GET ${CAS}/${strict.id}`]);
});

it("getCertificatePool: by id one GET under the authority; by display name the authority's pools at page_size 100", async () => {
  const byId = await getCertificatePool({ certificateAuthority: { id: ca }, id: pool });
  expect(byId).toEqual({
    id: pool,
    certificateAuthority: { id: ca },
    displayName: "payments",
    description: "",
    externalIdentifier: "CN",
    filter: "true",
  });
  expect(await getCertificatePool({ certificateAuthority: { id: ca }, displayName: "payments" })).toEqual(
    byId,
  );
  expect(
    await valueOf(getCertificatePoolOutput({ certificateAuthority: { id: ca }, id: pulumi.output(pool) })),
  ).toEqual(byId);
  expect(await logged()).toEqual([
    `GET ${CAS}/${ca}/identity-pools/${pool}`,
    `GET ${CAS}/${ca}/identity-pools?page_size=100`,
    `GET ${CAS}/${ca}/identity-pools/${pool}`,
  ]);
});

it("the errors name what was looked for and what to do", async () => {
  expect(await messageOf(getCertificatePool({ certificateAuthority: { id: ca } }))).toBe(
    "getCertificatePool needs exactly one of id or displayName (got none)",
  );
  expect(await messageOf(getCertificatePool({ certificateAuthority: { id: "" }, id: pool }))).toBe(
    "getCertificatePool needs certificateAuthority.id: the id (op-…) of the certificate authority the " +
      "certificate pool belongs to",
  );
  expect(await messageOf(getCertificateAuthority({ id: "" }))).toBe("getCertificateAuthority needs id");
  expect(await messageOf(getCertificatePool({ certificateAuthority: { id: ca }, displayName: "none" }))).toBe(
    `getCertificatePool: no certificate pool has displayName "none" under certificate authority ${ca} ` +
      "(the API listed 3 certificate pools). Check the displayName, or look the certificate pool up by id.",
  );
  expect(
    await messageOf(getCertificatePool({ certificateAuthority: { id: ca }, displayName: "twin" })),
  ).toMatch(
    new RegExp(
      `^getCertificatePool: 2 certificate pools have displayName "twin" under certificate authority ${ca} ` +
        "\\(pool-\\w+, pool-\\w+\\); pass id instead to choose one\\.$",
    ),
  );
  expect(await messageOf(getCertificateAuthority({ id: "op-gone00" }))).toMatch(
    /^no certificate authority with id op-gone00: the API answered 404 to [1-4] reads? over \d+ ms/,
  );
});
