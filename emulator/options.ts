import type { JSONWebKeySet } from "jose";
import type { Seed } from "./seed";

/** Fault probabilities, each in [0, 1]. */
export interface FaultRates {
  /** A 500/502/503/504 answer. */
  "5xx"?: number;
  /** The connection destroyed mid-request, with no answer. */
  reset?: number;
  /** A 429 with Retry-After. */
  "429"?: number;
}

/** Options of {@link startEmulator} (docs/CONTRACTS.md "Emulator"). */
export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Address to bind. @default "127.0.0.1" */
  host?: string;
  /** Basic-auth key of the admin credential. @default "EMULATORDEMOKEY1" */
  apiKey?: string;
  /** Basic-auth secret of the admin credential. @default "emulator-demo-secret-not-a-real-secret" */
  apiSecret?: string;
  /** Persist every acknowledged write here, and load it at start. */
  dataFile?: string;
  /** The seed: a document, or the path of a JSON file. @default the seed in emulator/seed.ts */
  seed?: Seed | string;
  /** Requests per second per credential (token bucket); 0 = off. @default 0 */
  rateLimit?: number;
  /** Added to every API answer. @default 0 */
  latencyMs?: number;
  /** Random extra latency, uniform in [0, latencyJitterMs]. @default 0 */
  latencyJitterMs?: number;
  /** Fault probabilities. @default none */
  faults?: FaultRates;
  /** Seed of the fault PRNG. @default 1 */
  faultSeed?: number;
  /** A new object answers "missing" to GET by id for this long. @default 0 */
  readLagMs?: number;
  /** A new API key authenticates only after this long. @default 0 */
  keyPropagationMs?: number;
  /** Bearer token accepted on the Azure Resource Manager routes. @default "emulator-demo-azure-token" */
  azureToken?: string;
  /**
   * Origin (and base path) of the `metadata.next` links of list answers, which carry only the `page_token`,
   * as the real API's do; "" puts them on the request's own origin with every query parameter.
   * @default "https://confluent.cloud/api"
   */
  nextLinkOrigin?: string;
  /**
   * Enforce role bindings: a Cloud API key created through the API may do only what its owner's bindings
   * permit (emulator/README.md "RBAC"); the admin credentials act as OrganizationAdmin. `false` lets every
   * valid key do everything (`--no-rbac`). @default true
   */
  rbac?: boolean;
  /**
   * Audiences (`aud`) the token exchange accepts in a subject token (`--sts-audience a,b`).
   * @default ["confluent-cloud"]
   */
  stsAudiences?: string[];
  /**
   * Keys of identity providers, by their `jwks_uri`: the exchange verifies with these instead of fetching
   * the URI (it fetches only loopback URIs).
   */
  jwks?: Record<string, JSONWebKeySet>;
  /** Also start the test identity provider (emulator/test-idp.ts) in the same process (`--test-idp`). */
  testIdp?: boolean;
  /**
   * Longest `filter` (characters) of identity pools, SSO group mappings and certificate pools; a longer one
   * is refused with 400. The real limit is per organization and Confluent raises it on request.
   * @default 300
   */
  filterMaxLength?: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

/** Defaults of the credentials: obviously fake, printed at start. */
export const DEFAULT_API_KEY = "EMULATORDEMOKEY1";
export const DEFAULT_API_SECRET = "emulator-demo-secret-not-a-real-secret";
export const DEFAULT_AZURE_TOKEN = "emulator-demo-azure-token";
/** The `filter` length limit of an organization whose limit was never raised (the specs' `maxLength`). */
export const DEFAULT_FILTER_MAX_LENGTH = 300;
/** Where list answers' `next` links point by default: another origin, as the real API's do. */
export const DEFAULT_NEXT_LINK_ORIGIN = "https://confluent.cloud/api";

/** Parses `5xx=0.05,reset=0.01,429=0.05`. */
function parseFaults(text: string): FaultRates {
  const out: FaultRates = {};
  for (const part of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, value] = part.split("=");
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < 0 || n > 1) {
      throw new Error(`--faults: "${part}" must be name=probability with a probability between 0 and 1`);
    }
    if (name === "5xx" || name === "reset" || name === "429") out[name] = n;
    else throw new Error(`--faults: unknown fault "${name}" (known: 5xx, reset, 429)`);
  }
  return out;
}

interface FlagSpec {
  flag: string;
  env: string;
  kind: "int" | "string" | "faults" | "switch";
  set: (o: EmulatorOptions, v: string) => void;
}

function int(flag: string, v: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(v)) throw new Error(`${flag} must be a non-negative integer, got "${v}"`);
  const n = Number(v);
  if (n > max) throw new Error(`${flag} must be at most ${max}, got ${v}`);
  return n;
}

/** A switch's value: a bare flag is on; from the environment, 1/true or 0/false. */
function switchOn(flag: string, v: string): boolean {
  if (v === "1" || v === "true") return true;
  if (v === "0" || v === "false") return false;
  const env = flag === "--no-rbac" ? "CONFLUENT_EMULATOR_NO_RBAC" : "CONFLUENT_EMULATOR_TEST_IDP";
  throw new Error(`${flag} (${env}) must be 1, true, 0 or false, got "${v}"`);
}

/** The same bounds as the control API's `PUT /_emulator/faults` (emulator/control.ts FAULT_BOUNDS). */
const MAX_LATENCY_MS = 60_000;
const MAX_LAG_MS = 3_600_000;

const FLAGS: FlagSpec[] = [
  { flag: "--port", env: "PORT", kind: "int", set: (o, v) => (o.port = int("--port", v)) },
  { flag: "--host", env: "HOST", kind: "string", set: (o, v) => (o.host = v) },
  { flag: "--api-key", env: "API_KEY", kind: "string", set: (o, v) => (o.apiKey = v) },
  { flag: "--api-secret", env: "API_SECRET", kind: "string", set: (o, v) => (o.apiSecret = v) },
  { flag: "--data", env: "DATA", kind: "string", set: (o, v) => (o.dataFile = v) },
  { flag: "--seed", env: "SEED", kind: "string", set: (o, v) => (o.seed = v) },
  {
    flag: "--rate-limit",
    env: "RATE_LIMIT",
    kind: "int",
    set: (o, v) => (o.rateLimit = int("--rate-limit", v)),
  },
  {
    flag: "--latency",
    env: "LATENCY",
    kind: "int",
    set: (o, v) => (o.latencyMs = int("--latency", v, MAX_LATENCY_MS)),
  },
  {
    flag: "--latency-jitter",
    env: "LATENCY_JITTER",
    kind: "int",
    set: (o, v) => (o.latencyJitterMs = int("--latency-jitter", v, MAX_LATENCY_MS)),
  },
  { flag: "--faults", env: "FAULTS", kind: "faults", set: (o, v) => (o.faults = parseFaults(v)) },
  {
    flag: "--fault-seed",
    env: "FAULT_SEED",
    kind: "int",
    set: (o, v) => (o.faultSeed = int("--fault-seed", v)),
  },
  {
    flag: "--read-lag",
    env: "READ_LAG",
    kind: "int",
    set: (o, v) => (o.readLagMs = int("--read-lag", v, MAX_LAG_MS)),
  },
  {
    flag: "--key-propagation",
    env: "KEY_PROPAGATION",
    kind: "int",
    set: (o, v) => (o.keyPropagationMs = int("--key-propagation", v, MAX_LAG_MS)),
  },
  {
    flag: "--no-rbac",
    env: "NO_RBAC",
    kind: "switch",
    set: (o, v) => (o.rbac = !switchOn("--no-rbac", v)),
  },
  {
    flag: "--sts-audience",
    env: "STS_AUDIENCE",
    kind: "string",
    set: (o, v) =>
      (o.stsAudiences = v
        .split(",")
        .map((a) => a.trim())
        .filter(Boolean)),
  },
  {
    flag: "--test-idp",
    env: "TEST_IDP",
    kind: "switch",
    set: (o, v) => (o.testIdp = switchOn("--test-idp", v)),
  },
  { flag: "--azure-token", env: "AZURE_TOKEN", kind: "string", set: (o, v) => (o.azureToken = v) },
  {
    flag: "--filter-max-length",
    env: "FILTER_MAX_LENGTH",
    kind: "int",
    set: (o, v) => (o.filterMaxLength = int("--filter-max-length", v)),
  },
  {
    flag: "--next-link-origin",
    env: "NEXT_LINK_ORIGIN",
    kind: "string",
    set: (o, v) => (o.nextLinkOrigin = v),
  },
];

/** Usage text of the CLI. */
export const USAGE = [
  "usage: confluent-emulator [flags]   (each flag also from CONFLUENT_EMULATOR_<NAME>, e.g. CONFLUENT_EMULATOR_PORT)",
  ...FLAGS.map((f) => `  ${f.flag.padEnd(18)} CONFLUENT_EMULATOR_${f.env}`),
].join("\n");

/** Options from environment variables, then flags (flags win). Throws on an unknown or malformed flag. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): EmulatorOptions {
  const out: EmulatorOptions = {};
  for (const f of FLAGS) {
    const v = env[`CONFLUENT_EMULATOR_${f.env}`];
    if (v !== undefined && v !== "") f.set(out, v);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = FLAGS.find((f) => f.flag === name);
    if (!spec) throw new Error(`unknown flag ${arg}\n${USAGE}`);
    if (spec.kind === "switch") {
      if (eq > 0) throw new Error(`${name} takes no value`);
      spec.set(out, "true");
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value`);
    spec.set(out, value);
  }
  return out;
}
