import fc from "fast-check";
import { CRN_KINDS, normalizeCrn, parseCrn, type CrnKind } from "../../policy/shared/crn";
import { ORG } from "./helpers";

// A valid value per kind (for wildcard kinds, one that may also take a trailing "*").
const SAMPLE: Record<CrnKind, string> = {
  organization: ORG,
  environment: "env-demo01",
  "cloud-cluster": "lkc-demo01",
  kafka: "lkc-demo01",
  topic: "orders.v1_x-y",
  group: "orders consumers:1",
  "transactional-id": "_confluent-flink_",
  "schema-registry": "lsrc-demo01",
  subject: "orders-value",
  kek: "k1",
  ksql: "lksqlc-k1",
  connector: "datagen",
  "flink-region": "aws.us-east-1",
  "compute-pool": "lfcp-p1",
  statement: "stmt-1",
  network: "n-abc1",
  peering: "p-1",
  "private-link-access": "pla-1",
  "transit-gateway-attachment": "tgwa-1",
  "provider-integration": "cspi-1",
  "service-account": "sa-abc1",
  user: "u-abc1",
  "api-key": "ABCDEF1234",
  "identity-provider": "op-1",
  "identity-pool": "pool-1",
  "group-mapping": "gm-1",
  "ip-group": "ipg-1",
  "ip-filter": "ipf-1",
  invitation: "i-1",
  "role-binding": "rb-1",
  key: "cck-1",
  "certificate-authority": "op-1",
  "certificate-identity-pool": "pool-1",
};

/** A well-formed CRN: a random walk down the grammar from organization. */
const validCrn = fc
  .record({ choices: fc.array(fc.nat(), { maxLength: 6 }), wildcard: fc.boolean() })
  .map(({ choices, wildcard }) => {
    const kinds: CrnKind[] = ["organization"];
    for (const choice of choices) {
      const children = CRN_KINDS[kinds[kinds.length - 1]].children;
      if (children.length === 0) break;
      kinds.push(children[choice % children.length]);
    }
    const last = kinds[kinds.length - 1];
    const parts = kinds.map((kind) => `${kind}=${SAMPLE[kind]}`);
    if (wildcard && CRN_KINDS[last].wildcard) parts[parts.length - 1] += "*";
    return {
      crn: `crn://confluent.cloud/${parts.join("/").replace("schema-registry=lsrc-demo01/kek=", "schema-registry=lsrc-demo01//kek=")}`,
      last,
    };
  });

// CRN-ish fragments, so random strings reach deep into the parser rather than failing at "crn://".
const TOKENS = [
  "crn://",
  "crn:",
  "//",
  "/",
  "=",
  ":",
  "*",
  "confluent.cloud",
  "api.confluent.cloud",
  "organization",
  "environment",
  "cloud-cluster",
  "kafka",
  "topic",
  "group",
  "schema-registry",
  "subject",
  "kek",
  "ksql",
  "flink-region",
  "statement",
  "compute-pool",
  "service-account",
  ORG,
  "env-demo01",
  "lkc-demo01",
  "lkc-x9",
  "lsrc-ab1",
  "lksqlc-k1",
  "aws.us-east-1",
  "lfcp-p1",
  "sa-1",
  "orders",
  "orders-",
  "%",
  "%2",
  "%41",
  "%2F",
  "%3d",
  " ",
  "é",
  "\u0000",
];
const ENCODINGS: Record<string, [string, string]> = {
  ":": ["%3A", "%3a"],
  "/": ["%2F", "%2f"],
  "=": ["%3D", "%3d"],
  "*": ["%2A", "%2a"],
};

/**
 * Pairs of (text, the same text with some ':', '=' and '*' percent-encoded). A '/' is not in the list: an
 * encoded '/' belongs to its segment's value (see the tests on "%2F").
 */
const encodedPair = fc
  .array(fc.record({ token: fc.constantFrom(...TOKENS), encode: fc.boolean(), lower: fc.boolean() }), {
    maxLength: 24,
  })
  .map((parts) => ({
    plain: parts.map((p) => p.token).join(""),
    encoded: parts
      .map((p) => (p.encode ? p.token.replace(/[:=*]/g, (c) => ENCODINGS[c][p.lower ? 1 : 0]) : p.token))
      .join(""),
  }));

describe("parseCrn", () => {
  it("returns the segments and the scope of a topic CRN", () => {
    const crn = `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/cloud-cluster=lkc-demo01/kafka=lkc-demo01/topic=orders-*`;
    expect(parseCrn(crn)).toEqual({
      ok: true,
      crn: {
        decoded: crn,
        segments: [
          { kind: "organization", value: ORG, wildcard: false },
          { kind: "environment", value: "env-demo01", wildcard: false },
          { kind: "cloud-cluster", value: "lkc-demo01", wildcard: false },
          { kind: "kafka", value: "lkc-demo01", wildcard: false },
          { kind: "topic", value: "orders-*", wildcard: true },
        ],
        scope: { kind: "topic", value: "orders-*", wildcard: true },
      },
    });
  });

  it("normalizes by URL-decoding, and leaves undecodable text alone", () => {
    expect(normalizeCrn("crn%3A%2F%2Fconfluent.cloud%2Forganization%3Dx")).toBe(
      "crn://confluent.cloud/organization=x",
    );
    expect(normalizeCrn(`crn://confluent.cloud/organization%3D${ORG}/environment=env-demo01`)).toBe(
      `crn://confluent.cloud/organization=${ORG}/environment=env-demo01`,
    );
    expect(normalizeCrn("crn://confluent.cloud/%zz")).toBe("crn://confluent.cloud/%zz");
  });

  it("keeps an encoded '/' inside its value: group=team%2Fapp is the consumer group team/app", () => {
    const kafka = `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/cloud-cluster=lkc-demo01/kafka=lkc-demo01`;
    const result = parseCrn(`${kafka}/group=team%2Fapp`);
    expect(result.ok && result.crn.scope).toEqual({ kind: "group", value: "team/app", wildcard: false });
    expect(result.ok && result.crn.decoded).toBe(`${kafka}/group=team%2Fapp`);
    const txn = parseCrn(`${kafka}/transactional-id=team%2fapp-*`);
    expect(txn.ok && txn.crn.scope).toEqual({
      kind: "transactional-id",
      value: "team/app-*",
      wildcard: true,
    });
    // Not the same resource as a group "team" with a child segment "app".
    expect(normalizeCrn(`${kafka}/group=team%2Fapp`)).not.toBe(normalizeCrn(`${kafka}/group=team/app`));
  });

  it("does not read an encoded '/' as a separator between segments", () => {
    expect(
      parseCrn(
        `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/cloud-cluster=lkc-demo01%2Fkafka%3Dlkc-demo01`,
      ),
    ).toEqual({
      ok: false,
      problem:
        '"cloud-cluster=lkc-demo01/kafka=lkc-demo01" is not a valid value; expected lkc-… ("%2F" is a "/" inside ' +
        "the value, not a separator)",
    });
  });

  it("accepts the certificate-authority and certificate-identity-pool segments of certificate-authority_v2.yaml", () => {
    for (const [crn, kind, value] of [
      [
        `crn://confluent.cloud/organization=${ORG}/certificate-authority=op-12345`,
        "certificate-authority",
        "op-12345",
      ],
      [
        `crn://confluent.cloud/organization=${ORG}/certificate-identity-pool=pool-12345`,
        "certificate-identity-pool",
        "pool-12345",
      ],
    ]) {
      const result = parseCrn(crn);
      expect(result.ok && result.crn.scope).toEqual({ kind, value, wildcard: false });
    }
  });

  it("never throws, on any string", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary" }),
          encodedPair.map((p) => p.encoded),
        ),
        (input) => {
          const result = parseCrn(input);
          expect(typeof result.ok).toBe("boolean");
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("accepts every CRN the grammar generates, with its last segment as the scope", () => {
    fc.assert(
      fc.property(validCrn, ({ crn, last }) => {
        const result = parseCrn(crn);
        expect(result.ok && result.crn.scope.kind).toBe(last);
      }),
      { numRuns: 1000 },
    );
  });

  it("gives a decoded and an encoded form the same verdict", () => {
    fc.assert(
      fc.property(encodedPair, ({ plain, encoded }) => {
        expect(parseCrn(encoded)).toEqual(parseCrn(plain));
      }),
      { numRuns: 3000 },
    );
  });

  it("accepts the encoded form of every generated CRN", () => {
    fc.assert(
      fc.property(validCrn, fc.boolean(), ({ crn }, lower) => {
        const encoded = crn.replace(/[:/=*]/g, (c) => ENCODINGS[c][lower ? 1 : 0]);
        expect(parseCrn(encoded)).toEqual(parseCrn(crn));
      }),
      { numRuns: 500 },
    );
  });
});
