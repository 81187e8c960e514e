/**
 * ApiKeyRotation through Pulumi's dynamic-provider host, step by step as scheduled `up`s would run it:
 * first key, nothing due, rotation due, retirement, trigger changes, the active key deleted outside the
 * program, destroy; then failures at each step. The clock is the one seam the rotation reads
 * (CONFLUENT_IAM_ROTATION_NOW): each time gets its own host process, as each `up` would. Every step asserts
 * the exact API calls (the emulator's request log), the keys alive (its dump), and that the secrets in the
 * outputs authenticate.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import type { PropertyMap } from "../../protocol";
import { ResourceInitError, startProviderHost, type ProviderHost } from "../../runner/host";
import { EmulatorApi } from "../../testing/emulator-api";
import { FAST_ENV, plain, providerTextOf, urnOf } from "../../testing/scenario";
import { apiKeyRotation } from "../../testing/table";

const DAY = 86_400_000;
const T0 = Date.parse("2027-01-01T00:00:00.000Z");
const at = (days: number): string => new Date(T0 + days * DAY).toISOString();

let emu: RunningEmulator;
let api: EmulatorApi;
/** How far the emulator's clock runs ahead of the real one: moved on instead of sleeping through a wait. */
let skewMs = 0;
let providerText = "";
let owner = "";
const hosts = new Map<string, ProviderHost>();
const urn = urnOf("ApiKeyRotation", "rotation-1");

/** The host of one `up` at `now` (one process per time, as the env is read by the process). */
async function hostAt(now: string): Promise<ProviderHost> {
  const cached = hosts.get(now);
  if (cached) return cached;
  const env: NodeJS.ProcessEnv = { ...process.env, ...FAST_ENV, CONFLUENT_IAM_ROTATION_NOW: now };
  delete env.CONFLUENT_CLOUD_API_KEY;
  delete env.CONFLUENT_CLOUD_API_SECRET;
  delete env.CONFLUENT_CLOUD_ENDPOINT;
  const host = await startProviderHost({ env });
  await host.configure({
    "confluentcloud:cloudApiKey": emu.apiKey,
    "confluentcloud:cloudApiSecret": emu.apiSecret,
    "confluentcloud:endpoint": emu.url,
  });
  hosts.set(now, host);
  return host;
}

interface Key {
  id: string;
  secret: string;
  createdAt?: string;
  retiresAt?: string;
}
const slot = (outs: PropertyMap, name: "active" | "previous" | "pending"): Key | undefined =>
  outs[name] as Key | undefined;

/** Ids of the keys of `owner` the emulator holds. */
async function keysAlive(): Promise<string[]> {
  const dump = await api.dump();
  return (dump.api_keys ?? [])
    .filter((k) => (k.owner as { id?: string } | undefined)?.id === owner || k.owner_id === owner)
    .map((k) => String(k.id))
    .sort();
}

/** The status a key's own credentials get from the Cloud API (200: it authenticates). */
async function authStatus(key: Key): Promise<number> {
  const res = await fetch(`${emu.url}/org/v2/environments?page_size=1`, {
    headers: { authorization: `Basic ${Buffer.from(`${key.id}:${key.secret}`).toString("base64")}` },
  });
  await res.text();
  return res.status;
}

const inputs = (extra: PropertyMap = {}): PropertyMap => ({
  displayName: "orders-consumer",
  description: "rotated key of the orders consumer",
  owner: { id: owner, apiVersion: "iam/v2", kind: "ServiceAccount" },
  rotationPeriod: "P30D",
  overlap: "P7D",
  ...extra,
  __provider: providerText,
});

beforeAll(async () => {
  // RBAC off: a key that authenticates gets 200 (its owner has no role here, which would answer 403).
  emu = await startEmulator({ port: 0, rbac: false, now: () => Date.now() + skewMs });
  api = new EmulatorApi(emu);
  providerText = await providerTextOf(apiKeyRotation);
  owner = (
    (await api.ok("POST", "/iam/v2/service-accounts", { display_name: "orders-consumer" })) as {
      id: string;
    }
  ).id;
});

afterAll(async () => {
  for (const h of hosts.values()) await h.close();
  await emu?.close();
});

describe("a rotation's life, one scheduled up at a time", () => {
  let id = "";
  let outs: PropertyMap = {};
  let news: PropertyMap = {};
  let first: Key;
  beforeAll(() => {
    news = inputs();
  });

  it("first key: one POST, the readiness call, active with its secret, nextRotationAt = createdAt + period", async () => {
    const host = await hostAt(at(0));
    await api.clearLog();
    const res = await host.create(urn, news);
    expect(await api.calls()).toEqual(["POST /iam/v2/api-keys", "GET /org/v2/environments"]);
    id = res.id;
    outs = res.outs;
    first = slot(outs, "active")!;
    // Not the key's id (that is inside the secret output): a digest of it.
    expect(id).toMatch(/^akr-[0-9a-f]{16}$/);
    expect(id).not.toContain(first.id);
    expect(first).toEqual({ id: first.id, secret: expect.any(String), createdAt: at(0) });
    expect(outs.previous).toBeUndefined();
    expect(outs.nextRotationAt).toBe(at(30));
    expect(await authStatus(first)).toBe(200);
    expect(await keysAlive()).toEqual([first.id]);
  });

  it("no-change up before the period: no changes, no call", async () => {
    const host = await hostAt(at(29));
    await api.clearLog();
    const d = await host.diff(id, urn, outs, news);
    expect(d).toEqual(expect.objectContaining({ changes: false, replaces: [], diffs: [] }));
    expect(await api.calls()).toEqual([]);
  });

  it("rotation due: the preview names nextRotationAt and says why; up creates, waits, then promotes", async () => {
    const host = await hostAt(at(31));
    await api.clearLog();
    const d = await host.diff(id, urn, outs, news);
    // The host passes no diff keys on (the engine shows the changed inputs: none); the reason is the line.
    expect(d).toEqual(expect.objectContaining({ changes: true, replaces: [] }));
    expect(host.stderr()).toContain(
      `ApiKeyRotation ${id}: rotation due: nextRotationAt ${at(30)} has passed`,
    );
    expect(await api.calls()).toEqual([]);
    const res = await host.update(id, urn, outs, news);
    expect(await api.calls()).toEqual(["POST /iam/v2/api-keys", "GET /org/v2/environments"]);
    outs = res.outs;
    const active = slot(outs, "active")!;
    expect(active.id).not.toBe(first.id);
    expect(active.createdAt).toBe(at(31));
    expect(slot(outs, "previous")).toEqual({ id: first.id, secret: first.secret, retiresAt: at(38) });
    expect(outs.nextRotationAt).toBe(at(61));
    expect(await authStatus(active)).toBe(200);
    expect(await authStatus(first)).toBe(200);
    expect(await keysAlive()).toEqual([active.id, first.id].sort());
  });

  it("before the overlap ends: no changes", async () => {
    const host = await hostAt(at(37));
    const d = await host.diff(id, urn, outs, news);
    expect(d.changes).toBe(false);
  });

  it("retirement: the preview names previous; up deletes it and nothing else", async () => {
    const host = await hostAt(at(38));
    await api.clearLog();
    const d = await host.diff(id, urn, outs, news);
    expect(d).toEqual(expect.objectContaining({ changes: true, replaces: [] }));
    expect(host.stderr()).toContain(`the previous key ${first.id} retires: its overlap ended at ${at(38)}`);
    const res = await host.update(id, urn, outs, news);
    expect(await api.calls()).toEqual([`DELETE /iam/v2/api-keys/${first.id}`]);
    outs = res.outs;
    expect(outs.previous).toBeUndefined();
    expect(await authStatus(first)).toBe(401);
    expect(await keysAlive()).toEqual([slot(outs, "active")!.id]);
  });

  it("trigger change: rotates now, before the period ends", async () => {
    const host = await hostAt(at(40));
    const before = slot(outs, "active")!;
    news = inputs({ rotationTrigger: "suspected-leak-1" });
    const d = await host.diff(id, urn, outs, news);
    expect(d).toEqual(expect.objectContaining({ changes: true, replaces: [] }));
    expect(host.stderr()).toContain(`ApiKeyRotation ${id}: rotationTrigger changed: the key is rotated now`);
    await api.clearLog();
    const res = await host.update(id, urn, outs, news);
    expect(await api.calls()).toEqual(["POST /iam/v2/api-keys", "GET /org/v2/environments"]);
    outs = res.outs;
    expect(slot(outs, "previous")).toEqual({ id: before.id, secret: before.secret, retiresAt: at(47) });
    expect(slot(outs, "active")!.createdAt).toBe(at(40));
    expect(outs.nextRotationAt).toBe(at(70));
  });

  it("a second trigger within the overlap retires previous first: never three keys", async () => {
    const host = await hostAt(at(41));
    const before = slot(outs, "active")!;
    const prev = slot(outs, "previous")!;
    news = inputs({ rotationTrigger: "suspected-leak-2" });
    const d = await host.diff(id, urn, outs, news);
    expect(d.changes).toBe(true);
    expect(host.stderr()).toContain(
      `ApiKeyRotation ${id}: the previous key ${prev.id} is deleted before its retiresAt (${at(47)}): the ` +
        "rotation needs its place, as two keys at most are alive",
    );
    await api.clearLog();
    const res = await host.update(id, urn, outs, news);
    expect(await api.calls()).toEqual([
      `DELETE /iam/v2/api-keys/${prev.id}`,
      "POST /iam/v2/api-keys",
      "GET /org/v2/environments",
    ]);
    outs = res.outs;
    expect(slot(outs, "previous")!.id).toBe(before.id);
    expect(await keysAlive()).toEqual([slot(outs, "active")!.id, before.id].sort());
  });

  it("active key deleted outside: refresh shows it gone, the next up makes a new one at once", async () => {
    const host = await hostAt(at(42));
    const gone = slot(outs, "active")!;
    const prev = slot(outs, "previous")!;
    await api.ok("DELETE", `/iam/v2/api-keys/${gone.id}`);
    await api.clearLog();
    const read = await host.read(id, urn, outs);
    expect(await api.calls()).toEqual([
      `GET /iam/v2/api-keys/${gone.id}`,
      // A 403 is believed to be a deletion only once the same credentials can list keys.
      "GET /iam/v2/api-keys",
      `GET /iam/v2/api-keys/${prev.id}`,
    ]);
    expect(read.id).toBe(id);
    expect(read.props.active).toBeUndefined();
    expect(slot(read.props, "previous")).toEqual(prev);
    expect(host.stderr()).toContain(
      `the active key ${gone.id} no longer exists (deleted outside the program)`,
    );
    outs = read.props;
    const d = await host.diff(id, urn, outs, news);
    expect(d).toEqual(expect.objectContaining({ changes: true, replaces: [] }));
    expect(host.stderr()).toContain(
      `ApiKeyRotation ${id}: there is no active key (it was deleted outside the program): a new one is made now`,
    );
    await api.clearLog();
    const res = await host.update(id, urn, outs, news);
    expect(await api.calls()).toEqual(["POST /iam/v2/api-keys", "GET /org/v2/environments"]);
    outs = res.outs;
    expect(slot(outs, "previous")).toEqual(prev);
    expect(slot(outs, "active")!.createdAt).toBe(at(42));
    expect(await keysAlive()).toEqual([slot(outs, "active")!.id, prev.id].sort());
  });

  it("destroy deletes both keys: previous, then active; none is left", async () => {
    const host = await hostAt(at(43));
    const active = slot(outs, "active")!;
    const prev = slot(outs, "previous")!;
    await api.clearLog();
    await host.delete(id, urn, outs);
    expect(await api.calls()).toEqual([
      `DELETE /iam/v2/api-keys/${prev.id}`,
      `DELETE /iam/v2/api-keys/${active.id}`,
    ]);
    expect(await keysAlive()).toEqual([]);
  });

  it("no secret was printed by any host", () => {
    for (const h of hosts.values()) {
      for (const k of [first, slot(outs, "active"), slot(outs, "previous")]) {
        if (k?.secret) expect(h.stderr()).not.toContain(k.secret);
      }
    }
  });
});

describe("failures keep every key in state; the next up finishes the step", () => {
  let id = "";
  let outs: PropertyMap = {};
  let news: PropertyMap = {};
  beforeAll(() => {
    news = inputs({ displayName: "failing-consumer" });
  });

  afterAll(async () => {
    await api.faults({ "5xx": 0, reset: 0, key_propagation_ms: 0 });
  });

  it("first key not ready in time: kept as pending; the next up waits for it and makes it active (no POST)", async () => {
    const host = await hostAt(at(100));
    await api.faults({ key_propagation_ms: 2500 });
    let err: unknown;
    try {
      await host.create(urn, news);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResourceInitError);
    const init = err as ResourceInitError;
    const pending = slot(init.properties, "pending")!;
    expect(init.id).toMatch(/^akr-[0-9a-f]{16}$/);
    expect(init.properties.active).toBeUndefined();
    expect(init.message).toContain(
      `API key rotation: the first key ${pending.id} was created but did not become ready within 1500 ms`,
    );
    expect(init.message).not.toContain(pending.secret);
    await api.faults({ key_propagation_ms: 0 });
    skewMs += 2500; // the key's 2500 ms propagation has passed
    id = init.id;
    const d = await host.diff(id, urn, plain(init.properties), news);
    expect(d.changes).toBe(true);
    expect(host.stderr()).toContain(
      `ApiKeyRotation ${id}: a rotation did not finish: the new key ${pending.id} has not become active yet`,
    );
    await api.clearLog();
    const res = await host.update(id, urn, { ...init.properties, __provider: providerText }, news);
    expect(await api.calls()).toEqual(["GET /org/v2/environments"]);
    outs = res.outs;
    expect(slot(outs, "active")).toEqual(pending);
    expect(outs.pending).toBeUndefined();
    expect(outs.nextRotationAt).toBe(at(130));
  });

  it("new key not ready during a rotation: both keys kept, the old one still active; the next up promotes", async () => {
    const host = await hostAt(at(131));
    const old = slot(outs, "active")!;
    await api.faults({ key_propagation_ms: 2500 });
    let err: unknown;
    try {
      await host.update(id, urn, outs, news);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResourceInitError);
    const init = err as ResourceInitError;
    expect(init.id).toBe(id);
    expect(slot(init.properties, "active")).toEqual(old);
    const pending = slot(init.properties, "pending")!;
    expect(init.message).toContain(
      `API key rotation ${id}: the new key ${pending.id} was created but did not become ready within 1500 ms`,
    );
    expect(init.message).toContain(`Both keys are kept in the stack and ${old.id} stays active`);
    expect(await keysAlive()).toEqual([old.id, pending.id].sort());
    await api.faults({ key_propagation_ms: 0 });
    skewMs += 2500; // the key's 2500 ms propagation has passed
    const again = await hostAt(at(132));
    await api.clearLog();
    const res = await again.update(id, urn, { ...init.properties, __provider: providerText }, news);
    expect(await api.calls()).toEqual(["GET /org/v2/environments"]);
    outs = res.outs;
    expect(slot(outs, "active")).toEqual(pending);
    // Promoted at the up that finished it: the overlap runs from then.
    expect(slot(outs, "previous")).toEqual({ id: old.id, secret: old.secret, retiresAt: at(139) });
    expect(outs.pending).toBeUndefined();
  });

  it("retirement fails (every DELETE answered 5xx): previous stays in state; the next up retires it", async () => {
    const host = await hostAt(at(139));
    const prev = slot(outs, "previous")!;
    await api.faults({ "5xx": 1 });
    let err: unknown;
    try {
      await host.update(id, urn, outs, news);
    } catch (e) {
      err = e;
    }
    await api.faults({ "5xx": 0 });
    expect(err).toBeInstanceOf(ResourceInitError);
    const init = err as ResourceInitError;
    expect(slot(init.properties, "previous")).toEqual(prev);
    expect(init.message).toMatch(
      new RegExp(
        `^API key rotation ${id} failed: Could not delete the previous API key ${prev.id}; it still exists: DELETE /iam/v2/api-keys/${prev.id} failed`,
      ),
    );
    expect(await keysAlive()).toContain(prev.id);
    const again = await hostAt(at(140));
    await api.clearLog();
    const res = await again.update(id, urn, { ...init.properties, __provider: providerText }, news);
    expect(await api.calls()).toEqual([`DELETE /iam/v2/api-keys/${prev.id}`]);
    outs = res.outs;
    expect(outs.previous).toBeUndefined();
  });

  it("5xx and resets (seed 5) through a rotation, a retirement and a destroy: two keys at most, none left", async () => {
    const host = await hostAt(at(161));
    await api.faults({ "5xx": 0.2, reset: 0.1, fault_seed: 5 });
    const res = await host.update(id, urn, outs, news);
    outs = res.outs;
    const active = slot(outs, "active")!;
    const prev = slot(outs, "previous")!;
    await api.faults({ "5xx": 0, reset: 0 });
    expect(await keysAlive()).toEqual([active.id, prev.id].sort());
    expect(await authStatus(active)).toBe(200);
    const log = await api.log();
    // Exactly one POST was answered (failed ones made nothing), and the faults did fire.
    expect(log.filter((r) => r.method === "POST" && r.status === 202)).toHaveLength(1);
    expect(log.some((r) => r.status === 0 || r.status >= 500)).toBe(true);
    await api.faults({ "5xx": 0.2, reset: 0.1, fault_seed: 5 });
    const retire = await (await hostAt(at(168))).update(id, urn, outs, news);
    outs = retire.outs;
    expect(outs.previous).toBeUndefined();
    await (await hostAt(at(168))).delete(id, urn, outs);
    await api.faults({ "5xx": 0, reset: 0 });
    expect(await keysAlive()).toEqual([]);
  });
});

describe("check", () => {
  it("overlap must be shorter than the period: the default overlap too, naming both and the fix", async () => {
    const host = await hostAt(at(0));
    const res = await host.check(urn, {}, inputs({ rotationPeriod: "P5D", overlap: undefined }));
    expect(res.failures).toEqual([
      {
        property: "overlap",
        reason:
          'must be shorter than rotationPeriod (the default overlap P7D is not shorter than "P5D"): the previous ' +
          "key must retire before the next rotation; shorten overlap or lengthen rotationPeriod",
      },
    ]);
    const days = await host.check(urn, {}, inputs({ rotationPeriod: 10, overlap: "P10D" }));
    expect(days.failures).toEqual([
      {
        property: "overlap",
        reason:
          'must be shorter than rotationPeriod ("P10D" is not shorter than 10): the previous key must retire ' +
          "before the next rotation; shorten overlap or lengthen rotationPeriod",
      },
    ]);
  });

  it("rotationPeriod is required, must be a duration, and longer than zero", async () => {
    const host = await hostAt(at(0));
    const cases: [unknown, string][] = [
      [
        undefined,
        'is required; set it to how long a key stays active: an ISO-8601 duration such as "P90D", or a number of days',
      ],
      ["90 days", 'must be an ISO-8601 duration such as "P90D", "P2W" or "PT12H" (got "90 days"); fix it'],
      [true, 'must be an ISO-8601 duration such as "P90D" or a number of days (got boolean); change it'],
    ];
    for (const [value, reason] of cases) {
      const res = await host.check(urn, {}, inputs({ rotationPeriod: value }));
      expect(res.failures).toEqual([{ property: "rotationPeriod", reason }]);
    }
    const zero = await host.check(urn, {}, inputs({ rotationPeriod: "P0D", overlap: 0 }));
    expect(zero.failures).toEqual([
      { property: "rotationPeriod", reason: 'must be longer than zero (got "P0D"); e.g. "P90D"' },
      {
        property: "overlap",
        reason:
          'must be shorter than rotationPeriod (0 is not shorter than "P0D"): the previous key must retire ' +
          "before the next rotation; shorten overlap or lengthen rotationPeriod",
      },
    ]);
  });

  it("a number of days and the same ISO duration are no change", async () => {
    const host = await hostAt(at(0));
    const olds = {
      ...plain(inputs()),
      active: { id: "K1", secret: "s", createdAt: at(0) },
      nextRotationAt: at(30),
    };
    const d = await host.diff("K1", urn, olds, inputs({ rotationPeriod: 30, overlap: 7 }));
    expect(d.changes).toBe(false);
  });

  it("import option: refused, saying why and what to do", async () => {
    const host = await hostAt(at(0));
    await expect(host.create(urn, inputs({ importId: "ABCDEFGH12345678" }))).rejects.toThrow(
      'ApiKeyRotation cannot adopt an existing key (import option "ABCDEFGH12345678"): its secret is not known, ' +
        "so consumers could not be given it. Remove the import option; the first pulumi up creates a key, and " +
        "you delete the old one once consumers use the new one.",
    );
  });

  it("a CONFLUENT_IAM_ROTATION_NOW that is not a time fails naming the variable and the fix", async () => {
    const host = await hostAt("next tuesday");
    await expect(
      host.diff(
        "K1",
        urn,
        { ...plain(inputs()), active: { id: "K1", secret: "s", createdAt: at(0) } },
        inputs(),
      ),
    ).rejects.toThrow(
      'CONFLUENT_IAM_ROTATION_NOW is "next tuesday", which is not a time: set it to an ISO-8601 time such as ' +
        "2027-03-01T00:00:00Z, or unset it to use the clock.",
    );
  });
});

describe("the clock seam", () => {
  /** Every .ts file under the shipped source folders. */
  function sources(): string[] {
    const root = path.join(__dirname, "..", "..");
    const out: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith(".ts")) out.push(path.relative(root, p));
      }
    };
    for (const d of ["provider", "sdk", "runner", "emulator", "policy", "protocol", "scripts"]) {
      walk(path.join(root, d));
    }
    return out;
  }

  it("CONFLUENT_IAM_ROTATION_NOW is read in one function of the rotation's spec, and nowhere else", () => {
    const root = path.join(__dirname, "..", "..");
    const naming = sources().filter((f) =>
      /CONFLUENT_IAM_ROTATION_NOW|ROTATION_NOW_ENV|rotationNow/.test(
        fs.readFileSync(path.join(root, f), "utf8"),
      ),
    );
    expect(naming).toEqual([path.join("provider", "specs", "api-key-rotation.ts")]);
    const text = fs.readFileSync(path.join(root, naming[0]!), "utf8");
    expect(text.match(/process\.env\[ROTATION_NOW_ENV\]/g)).toHaveLength(1);
    expect(text.match(/CONFLUENT_IAM_ROTATION_NOW"/g)).toHaveLength(1);
    // The only reader is rotationNow; every schedule decision calls it.
    const reader = /export function rotationNow\(\): number \{[^}]*process\.env\[ROTATION_NOW_ENV\]/;
    expect(reader.test(text)).toBe(true);
  });
});

describe("a create whose outcome is unknown never leaves a third key", () => {
  it("the POST makes a key but its answer is lost (with the secret): that key is deleted and made again; two keys alive", async () => {
    // A proxy in front of the emulator that passes the POST on and then drops the connection, once.
    let dropNextPost = false;
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const drop = dropNextPost && req.method === "POST" && req.url === "/iam/v2/api-keys";
        if (drop) dropNextPost = false;
        void fetch(`${emu.url}${req.url ?? ""}`, {
          method: req.method,
          headers: {
            authorization: req.headers.authorization ?? "",
            "content-type": req.headers["content-type"] ?? "application/json",
          },
          body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        }).then(async (up) => {
          const text = await up.text();
          if (drop) {
            req.socket.destroy();
            return;
          }
          res.writeHead(up.status, { "content-type": "application/json" });
          res.end(text);
        });
      });
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, ...FAST_ENV, CONFLUENT_IAM_ROTATION_NOW: at(200) };
    delete env.CONFLUENT_CLOUD_API_KEY;
    delete env.CONFLUENT_CLOUD_API_SECRET;
    const host = await startProviderHost({ env });
    try {
      await host.configure({
        "confluentcloud:cloudApiKey": emu.apiKey,
        "confluentcloud:cloudApiSecret": emu.apiSecret,
        "confluentcloud:endpoint": proxyUrl,
      });
      const news = inputs({ displayName: "lossy-consumer", rotationTrigger: "t1" });
      const made = await host.create(urn, inputs({ displayName: "lossy-consumer" }));
      const active = slot(made.outs, "active")!;
      const before = await keysAlive();
      dropNextPost = true;
      const rotated = await host.update(made.id, urn, made.outs, news);
      const after = await keysAlive();
      const newActive = slot(rotated.outs, "active")!;
      // The key of the lost answer is gone; the former active key is previous; the new one is active.
      expect(new Set(after)).toEqual(new Set([active.id, newActive.id]));
      expect(before).toEqual([active.id]);
      expect(slot(rotated.outs, "previous")?.id).toBe(active.id);
      expect(newActive.secret.length).toBeGreaterThan(20);
      await host.delete(made.id, urn, { ...rotated.outs, __provider: providerText });
      expect(await keysAlive()).toEqual([]);
    } finally {
      await host.close();
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  });
});
