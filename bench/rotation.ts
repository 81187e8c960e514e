/**
 * Zero-outage rotation (issue 14): an ApiKeyRotation rotated several times while consumers keep
 * authenticating with the key the stack hands them, against the emulator with `--key-propagation` 2 s and
 * fault injection on (5xx and connection resets, fixed seed).
 *
 * Each scheduled `up` is a fresh dynamic-provider host whose rotation clock (`CONFLUENT_IAM_ROTATION_NOW`)
 * stands at that day: check + diff, and update when the diff reports a change (a due rotation, then a due
 * retirement), as the engine would. Two consumer loops run all along, each calling
 * `GET /org/v2/environments` with its key's own credentials every 25 ms: a prompt one that uses `active`
 * as soon as an `up` returns it, and a slow one that keeps using the former key (`previous`) through the
 * overlap and picks up `active` only just before the overlap ends (its redeploy time). A 401 is an authentication failure (an outage); an
 * injected fault (5xx, reset) is not and is only counted. A sampler reads the emulator's keys of the owner
 * every 50 ms for the most alive at once. `destroy` (delete) runs at the end; the keys left are counted.
 */
import { startEmulator, type RunningEmulator } from "../emulator";
import type { PropertyMap } from "../protocol";
import { startProviderHost, type ProviderHost } from "../runner/host";
import * as sdk from "../sdk";
import { providerTextOf } from "./capture";
import type { Row } from "./support";

const DAY = 86_400_000;
const T0 = Date.parse("2027-01-01T00:00:00.000Z");
const URN = "urn:pulumi:bench::rotation::pulumi-nodejs:dynamic/confluent:ApiKeyRotation::consumer-key";

export interface RotationOptions {
  /** Rotations to run. @default 5 */
  rotations?: number;
  /** The emulator's key propagation (ms). @default 2000 */
  keyPropagationMs?: number;
  /** Fault rates. @default 10 % 5xx, 5 % resets */
  faults?: { "5xx": number; reset: number };
  /** @default 14 */
  faultSeed?: number;
}

export interface RotationResult {
  rotations: number;
  ups: number;
  keyPropagationMs: number;
  faults: { "5xx": number; reset: number };
  /** Consumer calls answered 401, per consumer. */
  authFailures: { prompt: number; slow: number };
  /** Consumer calls made, and those that met an injected fault (not an authentication failure). */
  consumerCalls: number;
  consumerFaults: number;
  maxKeysAlive: number;
  keysLeftAfterDestroy: number;
  /** API calls the provider made, and those answered with an injected fault. */
  providerCalls: number;
  providerFaults: number;
  wallMs: number;
}

interface Key {
  id: string;
  secret: string;
}

const basic = (k: Key): string => `Basic ${Buffer.from(`${k.id}:${k.secret}`).toString("base64")}`;

/** Runs the rotations; see the header. */
export async function runRotation(options: RotationOptions = {}): Promise<RotationResult> {
  const rotations = options.rotations ?? 5;
  const keyPropagationMs = options.keyPropagationMs ?? 2000;
  const faults = options.faults ?? { "5xx": 0.1, reset: 0.05 };
  const started = performance.now();
  const emu: RunningEmulator = await startEmulator({
    port: 0,
    rbac: false,
    keyPropagationMs,
    faultSeed: options.faultSeed ?? 14,
  });
  const admin = `Basic ${Buffer.from(`${emu.apiKey}:${emu.apiSecret}`).toString("base64")}`;
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${emu.url}${path}`, {
      method,
      headers: { authorization: admin, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return text === "" ? undefined : (JSON.parse(text) as unknown);
  };
  const owner = (
    (await control("POST", "/iam/v2/service-accounts", { display_name: "bench-consumer" })) as {
      id: string;
    }
  ).id;
  const providerText = await providerTextOf(
    () => new sdk.ApiKeyRotation("k", { owner: { id: "sa-x" }, rotationPeriod: "P30D" }),
  );
  const news: PropertyMap = {
    displayName: "bench-consumer-key",
    description: "rotated by bench/rotation.ts",
    owner: { id: owner, apiVersion: "iam/v2", kind: "ServiceAccount" },
    rotationPeriod: "P30D",
    overlap: "P7D",
    __provider: providerText,
  };
  await control("PUT", "/_emulator/faults", { "5xx": faults["5xx"], reset: faults.reset });

  const hostAt = async (day: number): Promise<ProviderHost> => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CONFLUENT_IAM_ROTATION_NOW: new Date(T0 + day * DAY).toISOString(),
      CONFLUENT_IAM_RETRY_BASE_MS: "20",
      CONFLUENT_IAM_RETRY_MAX_MS: "200",
      CONFLUENT_IAM_RECONCILE_WAIT_MS: "1500",
    };
    delete env.CONFLUENT_CLOUD_API_KEY;
    delete env.CONFLUENT_CLOUD_API_SECRET;
    const host = await startProviderHost({ env });
    await host.configure({
      "confluentcloud:cloudApiKey": emu.apiKey,
      "confluentcloud:cloudApiSecret": emu.apiSecret,
      "confluentcloud:endpoint": emu.url,
    });
    return host;
  };

  // The consumers and the sampler.
  let prompt: Key | undefined;
  let slow: Key | undefined;
  const authFailures = { prompt: 0, slow: 0 };
  let consumerCalls = 0;
  let consumerFaults = 0;
  let maxKeysAlive = 0;
  let running = true;
  const consume = async (which: "prompt" | "slow"): Promise<void> => {
    while (running) {
      const key = which === "prompt" ? prompt : slow;
      if (key) {
        consumerCalls++;
        try {
          const res = await fetch(`${emu.url}/org/v2/environments?page_size=1`, {
            headers: { authorization: basic(key) },
          });
          await res.text();
          if (res.status === 401) authFailures[which]++;
          else if (res.status >= 500) consumerFaults++;
        } catch {
          consumerFaults++; // a reset injected by the emulator
        }
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const sample = async (): Promise<void> => {
    while (running) {
      try {
        const dump = (await control("GET", "/_emulator/dump")) as { api_keys?: { owner_id?: string }[] };
        const alive = (dump.api_keys ?? []).filter((k) => k.owner_id === owner).length;
        maxKeysAlive = Math.max(maxKeysAlive, alive);
      } catch {
        // The control API is not faulted; a failed sample is only skipped.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const loops = [consume("prompt"), consume("slow"), sample()];

  const keyOf = (v: unknown): Key | undefined =>
    typeof v === "object" && v !== null ? (v as Key) : undefined;
  let ups = 0;
  let id = "";
  let outs: PropertyMap = {};
  const publish = (): void => {
    prompt = keyOf(outs.active);
    slow ??= prompt;
  };
  try {
    let host = await hostAt(0);
    await host.check(URN, {}, news);
    const made = await host.create(URN, news);
    ups++;
    id = made.id;
    outs = made.outs;
    publish();
    await host.close();
    // Each rotation: an up on the day it is due, then one on the day the overlap ends.
    for (let r = 1; r <= rotations; r++) {
      for (const day of [30 * r, 30 * r + 7]) {
        // The slow consumer redeploys within the overlap (what overlap must cover): it has used the previous
        // key until now and takes the active one just before the overlap ends.
        if (day === 30 * r + 7) slow = keyOf(outs.active);
        host = await hostAt(day);
        await host.check(URN, outs, news);
        const d = await host.diff(id, URN, outs, news);
        if (d.changes) {
          outs = (await host.update(id, URN, outs, news)).outs;
          publish();
        }
        ups++;
        await host.close();
      }
    }
    // Let the consumers run a little with the last keys, then destroy.
    await new Promise((r) => setTimeout(r, 500));
    host = await hostAt(30 * rotations + 8);
    running = false;
    await Promise.all(loops);
    await host.delete(id, URN, outs);
    await host.close();
  } finally {
    running = false;
    await Promise.all(loops);
  }
  await control("PUT", "/_emulator/faults", { "5xx": 0, reset: 0 });
  const dump = (await control("GET", "/_emulator/dump")) as { api_keys?: { owner_id?: string }[] };
  const keysLeftAfterDestroy = (dump.api_keys ?? []).filter((k) => k.owner_id === owner).length;
  const log = (await control("GET", "/_emulator/requests")) as {
    data: { path: string; status: number; query: Record<string, string> }[];
  };
  // The provider's calls: everything but the consumers' (page_size=1 environment reads with their keys are
  // also the readiness probe's, so count by path: consumers call only /org/v2/environments).
  const providerLog = log.data.filter((r) => r.path !== "/org/v2/environments");
  await emu.close();
  return {
    rotations,
    ups,
    keyPropagationMs,
    faults,
    authFailures,
    consumerCalls,
    consumerFaults,
    maxKeysAlive,
    keysLeftAfterDestroy,
    providerCalls: providerLog.length,
    providerFaults: providerLog.filter((r) => r.status === 0 || r.status >= 500).length,
    wallMs: performance.now() - started,
  };
}

export function rotationRows(r: RotationResult): Row[] {
  const setting =
    `${r.rotations} rotations in ${r.ups} ups; --key-propagation ${r.keyPropagationMs / 1000} s; ` +
    `faults ${r.faults["5xx"] * 100} % 5xx, ${r.faults.reset * 100} % resets`;
  const failures = r.authFailures.prompt + r.authFailures.slow;
  return [
    {
      benchmark: "rotation",
      figure: `consumer authentication failures (401), prompt + slow consumer (${setting})`,
      value: `${failures} of ${r.consumerCalls} calls (${r.consumerFaults} met an injected fault)`,
      target: "0",
      met: failures === 0,
    },
    {
      benchmark: "rotation",
      figure: "most keys alive at once",
      value: String(r.maxKeysAlive),
      target: "≤ 2",
      met: r.maxKeysAlive <= 2,
    },
    {
      benchmark: "rotation",
      figure: "keys left after destroy",
      value: String(r.keysLeftAfterDestroy),
      target: "0",
      met: r.keysLeftAfterDestroy === 0,
    },
    {
      benchmark: "rotation",
      figure: "provider API calls (of them answered with an injected fault)",
      value: `${r.providerCalls} (${r.providerFaults}); ${(r.wallMs / 1000).toFixed(1)} s`,
      target: "",
    },
  ];
}

/** `node -r ./scripts/ts-register.js bench/rotation.ts [--quick]` runs it alone. */
if (require.main === module) {
  const quick = process.argv.includes("--quick");
  void runRotation(quick ? { rotations: 2 } : {}).then((r) => {
    console.log(JSON.stringify(r, null, 1));
    setTimeout(() => process.exit(), 100).unref();
  });
}
