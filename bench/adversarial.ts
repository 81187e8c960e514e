/**
 * The soak's adversarial cases (issue 10): what a careful user or an attacker sets up, run through the
 * runner and the dynamic-provider host against the emulator behind a proxy on loopback that answers chosen
 * creates with a 502 (without passing them on: the create did not happen, but the provider cannot know).
 * Each case counts the objects taken over (made outside the stack, then recorded in its state), deleted
 * (made outside the stack, then gone) and left over (made by the stack, still there after destroy).
 *
 * - same name: a service account and a pending invitation made outside the stack ten minutes earlier, and
 *   a program that declares the same name and email; their POSTs fail with a 502.
 * - sibling keys: two API keys with the same owner and no name; the second key's POST fails with a 502.
 * - removed fields: a description removed from a service account and an API key; the next `up` must reset
 *   it, and the one after must show no change.
 * - replaceOnChanges: an API key declared with `replaceOnChanges: ["owner"]` and an owner given by id alone;
 *   an `up` with nothing changed must leave the key alone (it once minted a new key and deleted the one in
 *   use on every run).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as fs from "node:fs";
import { z } from "zod";
import { BenchEmulator, BenchProgram, firstErrors, ref, type Declaration, type Row } from "./support";

/** One adversarial case's counts. */
export interface AdversarialCase {
  /** Short name of the case. */
  name: string;
  /** Objects made outside the stack that its state recorded. */
  takenOver: number;
  /** Objects made outside the stack that are gone. */
  deleted: number;
  /** Objects made by the stack still in the emulator after destroy. */
  leftOver: number;
  /** What else must hold for the case (e.g. "the second key was created"); empty when it held. */
  problems: string[];
}

/** A proxy that answers the next POSTs to chosen paths with a 502 without passing them on. */
class FaultProxy {
  /** Paths whose POST, counted from 1, answers 502: `path → [which POSTs]`. */
  private readonly fail = new Map<string, number[]>();
  private readonly posts = new Map<string, number>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(target: string, proxy?: { current?: FaultProxy }): Promise<FaultProxy> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const self = proxy?.current;
        const path = (req.url ?? "").replace(/\?.*$/, "");
        if (self && req.method === "POST") {
          const n = (self.posts.get(path) ?? 0) + 1;
          self.posts.set(path, n);
          if (self.fail.get(path)?.includes(n)) {
            res.writeHead(502, { "content-type": "application/json" });
            res.end(JSON.stringify({ errors: [{ status: "502", detail: "Bad Gateway" }] }));
            return;
          }
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v === "string" && k !== "host" && k !== "content-length" && k !== "connection")
            headers[k] = v;
        }
        fetch(`${target}${req.url ?? ""}`, {
          method: req.method,
          headers,
          body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        })
          .then(async (r) => {
            const text = await r.text();
            res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/json" });
            res.end(text);
          })
          .catch((e: unknown) => {
            res.writeHead(500);
            res.end(String(e));
          });
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return new FaultProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  /** The `which`-th POSTs to `path` (counted from 1, from now on) answer 502. */
  failPosts(path: string, which: number[]): void {
    this.fail.set(path, which);
    this.posts.set(path, 0);
  }

  /** No more faults. */
  clear(): void {
    this.fail.clear();
    this.posts.clear();
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }
}

const stateSchema = z.object({ resources: z.array(z.object({ id: z.string() }).passthrough()) });

function idsInState(file: string): Set<string> {
  if (!fs.existsSync(file)) return new Set();
  return new Set(stateSchema.parse(JSON.parse(fs.readFileSync(file, "utf8"))).resources.map((r) => r.id));
}

const TEN_MINUTES = 10 * 60_000;
/** The provider's reconcile window, shrunk so that a lookup after a 502 ends quickly. */
const FAST = { CONFLUENT_IAM_RECONCILE_WAIT_MS: "300", CONFLUENT_IAM_RETRY_BASE_MS: "5" };

async function ids(emu: BenchEmulator, table: string): Promise<string[]> {
  return ((await emu.dump())[table] ?? []).map((r) => r.id);
}

/** Runs the three cases, each with its own emulator, proxy and program. */
export async function runAdversarial(): Promise<AdversarialCase[]> {
  let offset = 0;
  const holder: { current?: FaultProxy } = {};
  const emu = await BenchEmulator.start({ now: () => Date.now() + offset });
  const proxy = await FaultProxy.start(emu.url, holder);
  holder.current = proxy;
  const env = { ...emu.env(FAST), CONFLUENT_CLOUD_ENDPOINT: proxy.url };
  const cases: AdversarialCase[] = [];
  try {
    cases.push(await sameName(emu, proxy, env, (ms) => (offset = ms)));
    cases.push(await siblingKeys(emu, proxy, env));
    cases.push(await removedFields(emu, env));
    cases.push(await replaceOnChanges(emu, env));
  } finally {
    await proxy.close();
    await emu.close();
  }
  return cases;
}

async function sameName(
  emu: BenchEmulator,
  proxy: FaultProxy,
  env: NodeJS.ProcessEnv,
  setOffset: (ms: number) => void,
): Promise<AdversarialCase> {
  await emu.reset();
  setOffset(-TEN_MINUTES);
  const outside = [
    await emu.create("/iam/v2/service-accounts", { display_name: "adv-payments-prod" }),
    await emu.create("/iam/v2/invitations", { email: "adv-new-hire@example.com" }),
  ];
  setOffset(0);
  const program = BenchProgram.create("adv-same-name", [
    { kind: "ServiceAccount", name: "mine", args: { displayName: "adv-payments-prod" } },
    { kind: "Invitation", name: "invite", args: { email: "adv-new-hire@example.com" } },
  ]);
  const problems: string[] = [];
  try {
    proxy.failPosts("/iam/v2/service-accounts", [1]);
    proxy.failPosts("/iam/v2/invitations", [1]);
    const up = await program.run("up", env, { parallel: 1 });
    proxy.clear();
    if (up.result.ok) problems.push("up succeeded although both names were taken");
    const known = idsInState(program.statePath);
    const takenOver = outside.filter((id) => known.has(id)).length;
    await program.run("destroy", env, { parallel: 1 });
    const now = [...(await ids(emu, "service_accounts")), ...(await ids(emu, "invitations"))];
    return {
      name: "same name, unknown outcome",
      takenOver,
      deleted: outside.filter((id) => !now.includes(id)).length,
      leftOver: now.filter((id) => !outside.includes(id)).length,
      problems,
    };
  } finally {
    program.remove();
  }
}

async function siblingKeys(
  emu: BenchEmulator,
  proxy: FaultProxy,
  env: NodeJS.ProcessEnv,
): Promise<AdversarialCase> {
  await emu.reset();
  const owner = { id: ref("owner"), apiVersion: "iam/v2", kind: "ServiceAccount" };
  const decls: Declaration[] = [
    { kind: "ServiceAccount", name: "owner", args: { displayName: "adv-key-owner" } },
    { kind: "ApiKey", name: "key-a", args: { owner, disableWaitForReady: true } },
    { kind: "ApiKey", name: "key-b", args: { owner, disableWaitForReady: true } },
  ];
  const program = BenchProgram.create("adv-siblings", decls);
  const problems: string[] = [];
  try {
    proxy.failPosts("/iam/v2/api-keys", [2]);
    const up = await program.run("up", env, { parallel: 1 });
    proxy.clear();
    if (!up.result.ok) problems.push(`up failed: ${firstErrors(up.result, { max: 1 }).join("")}`);
    const keys = await ids(emu, "api_keys");
    const known = idsInState(program.statePath);
    if (keys.length !== 2) problems.push(`${keys.length} keys exist, not 2`);
    const orphans = keys.filter((id) => !known.has(id)).length;
    await program.run("destroy", env, { parallel: 1 });
    return {
      name: "sibling keys, unknown outcome",
      takenOver: 0,
      deleted: 0,
      leftOver: orphans + (await ids(emu, "api_keys")).length + (await ids(emu, "service_accounts")).length,
      problems,
    };
  } finally {
    program.remove();
  }
}

async function removedFields(emu: BenchEmulator, env: NodeJS.ProcessEnv): Promise<AdversarialCase> {
  await emu.reset();
  const owner = { id: ref("sa"), apiVersion: "iam/v2", kind: "ServiceAccount" };
  const described: Declaration[] = [
    { kind: "ServiceAccount", name: "sa", args: { displayName: "adv-described", description: "old words" } },
    {
      kind: "ApiKey",
      name: "key",
      args: { owner, displayName: "adv-key", description: "old words", disableWaitForReady: true },
    },
  ];
  const program = BenchProgram.create("adv-removed", described);
  const problems: string[] = [];
  try {
    await program.run("up", env, { parallel: 1 });
    program.declare(described.map((d) => ({ ...d, args: { ...d.args, description: undefined } })));
    await program.run("up", env, { parallel: 1 });
    const dump = await emu.dump();
    const kept = [...(dump.service_accounts ?? []), ...(dump.api_keys ?? [])].filter(
      (r) => r.description !== "",
    );
    if (kept.length > 0) problems.push(`${kept.length} descriptions were not reset`);
    const again = await program.run("up", env, { parallel: 1 });
    const updates = again.result.summary.update ?? 0;
    if (updates > 0) problems.push(`the next up still shows ${updates} updates`);
    await program.run("destroy", env, { parallel: 1 });
    const left = (await ids(emu, "service_accounts")).length + (await ids(emu, "api_keys")).length;
    return { name: "removed fields", takenOver: 0, deleted: 0, leftOver: left, problems };
  } finally {
    program.remove();
  }
}

async function replaceOnChanges(emu: BenchEmulator, env: NodeJS.ProcessEnv): Promise<AdversarialCase> {
  await emu.reset();
  const program = BenchProgram.create("adv-replace-on-changes", [
    { kind: "ServiceAccount", name: "sa", args: { displayName: "adv-roc-owner" } },
    {
      kind: "ApiKey",
      name: "key",
      args: { owner: { id: ref("sa") }, displayName: "adv-roc-key", disableWaitForReady: true },
      opts: { replaceOnChanges: ["owner"] },
    },
  ]);
  const problems: string[] = [];
  try {
    const first = await program.run("up", env, { parallel: 1 });
    if (!first.result.ok) problems.push(`up failed: ${firstErrors(first.result, { max: 1 }).join("")}`);
    const before = await ids(emu, "api_keys");
    const again = await program.run("up", env, { parallel: 1 });
    const replaced = again.result.summary.replace ?? 0;
    if (replaced > 0) problems.push(`the unchanged key was replaced ${replaced} times`);
    const after = await ids(emu, "api_keys");
    const deleted = before.filter((id) => !after.includes(id)).length;
    await program.run("destroy", env, { parallel: 1 });
    const left = (await ids(emu, "service_accounts")).length + (await ids(emu, "api_keys")).length;
    return { name: "replaceOnChanges, nothing changed", takenOver: 0, deleted, leftOver: left, problems };
  } finally {
    program.remove();
  }
}

/** The rows: one per case, target 0 for each count (and no other problem). */
export function adversarialRows(cases: readonly AdversarialCase[]): Row[] {
  return cases.map((c) => ({
    benchmark: "soak",
    figure: `adversarial: ${c.name}: objects taken over / deleted / left over`,
    value:
      `${c.takenOver} / ${c.deleted} / ${c.leftOver}` +
      (c.problems.length > 0 ? ` [${c.problems.join("; ")}]` : ""),
    target: "0 / 0 / 0",
    met: c.takenOver === 0 && c.deleted === 0 && c.leftOver === 0 && c.problems.length === 0,
  }));
}
