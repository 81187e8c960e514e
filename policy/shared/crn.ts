// A parser for Confluent resource names (CRNs) as used in role bindings' `crnPattern`.
//
// Grammar (Confluent Cloud API docs, "Confluent Resource Names", and the role-binding examples):
//   crn://confluent.cloud/organization=<uuid>[/<kind>=<id>]...
// where each kind may only follow certain parents (environment under organization, cloud-cluster under
// environment, kafka under cloud-cluster, topic under kafka, ...). A role binding may end in a wildcard:
// a trailing `*` on the last segment's name (`topic=orders-*`, `subject=*`).
//
// Percent-escapes: the text is split into segments on its literal `/` first, and each segment is then
// URL-decoded, so `%3A`, `%3D` and `%2A` are judged like the decoded characters while `%2F` inside a
// segment is a `/` that belongs to the value: `group=team%2Fapp` is the consumer group "team/app" (group
// ids, transactional ids, subjects, connectors and statements may contain `/`). A pattern with no literal
// `/` at all (`crn%3A%2F%2Fconfluent.cloud%2Forganization%3D…`, the whole CRN encoded once) is decoded once
// and then read the same way.
//
// The parser never throws: every input yields either a parsed CRN or the first problem found, worded as a
// clause that completes "crnPattern is not a well-formed Confluent resource name: ...".

/** A kind of CRN segment (the part before `=`). */
export type CrnKind =
  | "organization"
  | "environment"
  | "cloud-cluster"
  | "kafka"
  | "topic"
  | "group"
  | "transactional-id"
  | "schema-registry"
  | "subject"
  | "kek"
  | "ksql"
  | "connector"
  | "flink-region"
  | "compute-pool"
  | "statement"
  | "network"
  | "peering"
  | "private-link-access"
  | "transit-gateway-attachment"
  | "provider-integration"
  | "service-account"
  | "user"
  | "api-key"
  | "identity-provider"
  | "identity-pool"
  | "group-mapping"
  | "ip-group"
  | "ip-filter"
  | "invitation"
  | "role-binding"
  | "certificate-authority"
  | "certificate-identity-pool"
  | "key";

interface KindSpec {
  /** What the segment names, for messages ("a Kafka topic"). */
  readonly label: string;
  /** Pattern of an exact value; for `wildcard` kinds, of the text before a trailing `*`. */
  readonly value: RegExp;
  /** How a value should look, for messages. */
  readonly hint: string;
  /** Whether the value is a name that may end in `*` (a prefix pattern). */
  readonly wildcard: boolean;
  /** Kinds that may follow this one. */
  readonly children: readonly CrnKind[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const id = (prefix: string): RegExp => new RegExp(`^${prefix}-[A-Za-z0-9]+$`);
// Ids whose prefix varies across the docs (identity providers appear as op-… and ip-…): letters, digits, dashes.
const GENERIC_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
// Kafka's legal topic characters; the prefix of a wildcard may be empty (`topic=*`).
const TOPIC_NAME = /^[A-Za-z0-9._-]*$/;
// Group ids, transactional ids, subjects, connectors and statements may hold nearly anything, a `/` written
// as `%2F` included; `*` is reserved for the trailing wildcard.
const ANY_NAME = /^[^*]*$/;

const spec = (
  label: string,
  value: RegExp,
  hint: string,
  children: readonly CrnKind[] = [],
  wildcard = false,
): KindSpec => ({ label, value, hint, children, wildcard });

/** Every kind of segment: what it names, what its value looks like and what may follow it. */
export const CRN_KINDS: Readonly<Record<CrnKind, KindSpec>> = {
  organization: spec("the organization", UUID, "the organization's UUID", [
    "environment",
    "service-account",
    "user",
    "identity-provider",
    "identity-pool",
    "group-mapping",
    "ip-group",
    "ip-filter",
    "invitation",
    "role-binding",
    "api-key",
    "key",
    "certificate-authority",
    "certificate-identity-pool",
  ]),
  environment: spec("an environment", id("env"), "env-…", [
    "cloud-cluster",
    "schema-registry",
    "flink-region",
    "compute-pool",
    "ksql",
    "network",
    "provider-integration",
  ]),
  "cloud-cluster": spec("a Kafka cluster", id("lkc"), "lkc-…", ["kafka", "connector", "ksql"]),
  kafka: spec("a whole Kafka cluster's resources", id("lkc"), "lkc-…", [
    "topic",
    "group",
    "transactional-id",
  ]),
  topic: spec("a topic", TOPIC_NAME, "a topic name of letters, digits, '.', '_' and '-'", [], true),
  group: spec("a consumer group", ANY_NAME, "a consumer group id", [], true),
  "transactional-id": spec("a transactional id", ANY_NAME, "a transactional id", [], true),
  "schema-registry": spec("a Schema Registry cluster", id("lsrc"), "lsrc-…", ["subject", "kek"]),
  subject: spec("a Schema Registry subject", ANY_NAME, "a subject name", [], true),
  kek: spec("a Schema Registry KEK", ANY_NAME, "a KEK name", [], true),
  ksql: spec("a ksqlDB cluster", id("lksqlc"), "lksqlc-…"),
  connector: spec("a connector", ANY_NAME, "a connector name", [], true),
  "flink-region": spec(
    "a Flink region",
    /^(aws|gcp|azure)\.[a-z0-9-]+$/i,
    "<cloud>.<region>, e.g. aws.us-east-1",
    ["compute-pool", "statement"],
  ),
  "compute-pool": spec("a Flink compute pool", id("lfcp"), "lfcp-…"),
  statement: spec("a Flink statement", ANY_NAME, "a statement name", [], true),
  network: spec("a network", id("n"), "n-…", [
    "peering",
    "private-link-access",
    "transit-gateway-attachment",
  ]),
  peering: spec("a peering", GENERIC_ID, "a peering id"),
  "private-link-access": spec("a private link access", GENERIC_ID, "a private link access id"),
  "transit-gateway-attachment": spec("a transit gateway attachment", GENERIC_ID, "an attachment id"),
  "provider-integration": spec("a provider integration", id("cspi"), "cspi-…"),
  "service-account": spec("a service account", id("sa"), "sa-…", ["api-key"]),
  user: spec("a user", id("u"), "u-…", ["api-key"]),
  "api-key": spec("an API key", GENERIC_ID, "an API key id"),
  "identity-provider": spec("an identity provider", GENERIC_ID, "op-…", ["identity-pool"]),
  "identity-pool": spec("an identity pool", GENERIC_ID, "pool-…"),
  "group-mapping": spec("a group mapping", GENERIC_ID, "a group mapping id"),
  "ip-group": spec("an IP group", id("ipg"), "ipg-…"),
  "ip-filter": spec("an IP filter", id("ipf"), "ipf-…"),
  invitation: spec("an invitation", id("i"), "i-…"),
  "role-binding": spec("a role binding", id("rb"), "rb-…"),
  key: spec("a BYOK key", id("cck"), "cck-…"),
  // certificate-authority_v2.yaml: organization=…/certificate-authority=op-… and
  // organization=…/certificate-identity-pool=pool-… (mTLS certificate authorities and their pools).
  "certificate-authority": spec("a certificate authority", GENERIC_ID, "op-…", ["certificate-identity-pool"]),
  "certificate-identity-pool": spec("a certificate identity pool", GENERIC_ID, "pool-…"),
};

/** One `kind=value` segment of a parsed CRN. */
export interface CrnSegment {
  /** The segment's kind, e.g. `topic`. */
  readonly kind: CrnKind;
  /** The value after `=`, including a trailing `*` if any. */
  readonly value: string;
  /** Whether the value ends in the wildcard `*`. */
  readonly wildcard: boolean;
}

/** A well-formed CRN. */
export interface ParsedCrn {
  /**
   * The canonical text the verdict was reached on: every segment URL-decoded, then written back with only
   * `%` and `/` inside values escaped (`%25`, `%2F`). Two patterns with the same canonical text name the
   * same resources.
   */
  readonly decoded: string;
  /** The segments after the authority, in order; the first is always `organization`. */
  readonly segments: readonly CrnSegment[];
  /** The last segment: the binding's scope. */
  readonly scope: CrnSegment;
}

/** The parser's verdict. */
export type CrnParseResult =
  { readonly ok: true; readonly crn: ParsedCrn } | { readonly ok: false; readonly problem: string };

const PREFIX = "crn://";
const AUTHORITY = "confluent.cloud";
const MALFORMED_ESCAPE = "it holds a malformed percent-escape (a '%' not followed by two hex digits)";

/** `input` URL-decoded, or `undefined` when it holds a malformed percent-escape. */
export function decodeCrn(input: string): string | undefined {
  try {
    return decodeURIComponent(input);
  } catch {
    return undefined;
  }
}

/**
 * The form under which two patterns are "the same": the canonical text of a well-formed pattern (see
 * {@link ParsedCrn.decoded}); otherwise the text URL-decoded, or unchanged when it is not decodable.
 */
export function normalizeCrn(input: string): string {
  const parsed = parseCrn(input);
  if (parsed.ok) return parsed.crn.decoded;
  return decodeCrn(input) ?? input;
}

function isKind(key: string): key is CrnKind {
  return Object.prototype.hasOwnProperty.call(CRN_KINDS, key);
}

function fail(problem: string): CrnParseResult {
  return { ok: false, problem };
}

const escapeValue = (value: string): string => value.replace(/%/g, "%25").replace(/\//g, "%2F");

/** Parses a CRN pattern; never throws. */
export function parseCrn(input: string): CrnParseResult {
  if (decodeCrn(input) === undefined) return fail(MALFORMED_ESCAPE);
  if (!input.includes("/")) {
    // The whole CRN encoded once (no literal "/"): decode it once and read the result.
    const whole = decodeCrn(input) ?? input;
    if (whole.includes("/")) return parseSegments(whole);
  }
  return parseSegments(input);
}

/** Splits on literal "/" and decodes each part on its own, so an encoded "/" stays inside its value. */
function parseSegments(text: string): CrnParseResult {
  const parts: string[] = [];
  for (const raw of text.split("/")) {
    const part = decodeCrn(raw);
    if (part === undefined) return fail(MALFORMED_ESCAPE);
    parts.push(part);
  }
  if (parts.length < 3 || parts[0] !== "crn:" || parts[1] !== "")
    return fail(`it must start with "${PREFIX}"`);
  const authority = parts[2];
  if (authority !== AUTHORITY) return fail(`its authority must be "${AUTHORITY}", not "${authority}"`);
  if (parts.length === 3) return fail(`it names no resource; add "/organization=<organization id>"`);

  const segments: CrnSegment[] = [];
  let canonical = `${PREFIX}${AUTHORITY}`;
  for (let i = 3; i < parts.length; i++) {
    const part = parts[i];
    const isLast = i === parts.length - 1;
    const previous = segments.length > 0 ? segments[segments.length - 1] : undefined;
    if (part === "") {
      // The documented KEK form has a double slash: schema-registry=lsrc-…//kek=<name>.
      if (previous?.kind === "schema-registry" && parts[i + 1]?.startsWith("kek=")) {
        canonical += "/";
        continue;
      }
      return fail(isLast ? `it ends with "/"; remove the trailing slash` : `it has an empty segment ("//")`);
    }
    const eq = part.indexOf("=");
    if (eq <= 0) return fail(`segment "${part}" is not of the form <kind>=<id>`);
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!isKind(key)) return fail(`"${key}" is not a kind of Confluent resource`);
    if (previous === undefined) {
      if (key !== "organization")
        return fail(`it must begin with "organization=<organization id>", not "${key}="`);
    } else {
      const allowed = CRN_KINDS[previous.kind].children;
      if (!allowed.includes(key)) {
        return fail(
          allowed.length === 0
            ? `"${key}=" cannot follow "${previous.kind}=", which names a single resource and must come last`
            : `"${key}=" cannot follow "${previous.kind}="; expected one of: ${allowed.join(", ")}`,
        );
      }
    }
    const kind = CRN_KINDS[key];
    if (value === "") return fail(`"${key}=" has no value; expected ${kind.hint}`);
    const star = value.indexOf("*");
    const wildcard = star !== -1;
    if (wildcard && (!isLast || star !== value.length - 1)) {
      return fail(`a wildcard "*" may only end the last segment ("${key}=${value}")`);
    }
    if (wildcard && !kind.wildcard) return fail(`"${key}=" takes an exact id (${kind.hint}), not a wildcard`);
    const exact = wildcard ? value.slice(0, -1) : value;
    if (!kind.value.test(exact)) {
      const slash = value.includes("/") ? ` ("%2F" is a "/" inside the value, not a separator)` : "";
      return fail(`"${key}=${value}" is not a valid value; expected ${kind.hint}${slash}`);
    }
    if (key === "kafka" && previous?.kind === "cloud-cluster" && previous.value !== value) {
      return fail(`"kafka=${value}" must name the same cluster as "cloud-cluster=${previous.value}"`);
    }
    segments.push({ kind: key, value, wildcard });
    canonical += `/${key}=${escapeValue(value)}`;
  }
  if (segments.length === 0) return fail(`it names no resource; add "/organization=<organization id>"`);
  return { ok: true, crn: { decoded: canonical, segments, scope: segments[segments.length - 1] } };
}

/** The segment of `kind` in a parsed CRN, if present. */
export function segmentOf(crn: ParsedCrn, kind: CrnKind): CrnSegment | undefined {
  return crn.segments.find((s) => s.kind === kind);
}
