/**
 * Reads the live organization for `confluent-iam audit` through export's reader (runner/export/read.ts), as
 * it is: the same lists, page sizes, scopes and permission messages. Two things the reader does not keep are
 * gathered around it: each listed item's `metadata.created_at` (an API key's age), and progress (objects read
 * per kind, calls, rate-limit waits), which goes to stderr while the reads run.
 */
import { Pool, type Dispatcher } from "undici";
import { ConfluentClient, type ClientEvent } from "../../provider/client";
import type { PaginateOptions } from "../../provider/client/paginate";
import { clientOptions, describeClientEvent } from "../../provider/runtime";
import { KINDS, type ExportKind } from "../export/kinds";
import { readOrganization, type Organization } from "../export/read";

/** Credentials and endpoint of the read. */
export interface AuditCredentials {
  endpoint: string;
  apiKey: string;
  apiSecret: string;
}

/** What the read cost. */
export interface ReadStats {
  /** HTTP requests sent (retries included). */
  calls: number;
  /** Objects listed per kind (`scopes`: organizations, environments, clusters, registries). */
  objects: Record<string, number>;
  /** Times the client waited for the rate limit or retried. */
  waits: number;
  ms: number;
}

/** The organization as read, with what the reader does not keep. */
export interface LiveOrganization extends Organization {
  /** `metadata.created_at` of each listed object, by `<kind>/<id>`. */
  createdAt: Map<string, string>;
  stats: ReadStats;
}

/** Which kind a list path belongs to. */
export function kindOfPath(path: string): ExportKind | "scopes" {
  if (/^\/iam\/v2\/identity-providers\/[^/]+\/identity-pools$/.test(path)) return "IdentityPool";
  return KINDS.find((k) => k.path === path)?.kind ?? "scopes";
}

/** A client that remembers each listed item's creation time and counts what it lists. */
class RecordingClient extends ConfluentClient {
  constructor(
    options: ConstructorParameters<typeof ConfluentClient>[0],
    private readonly onItem: (path: string, item: unknown) => void,
  ) {
    super(options);
  }

  override paginate<T>(path: string, options: PaginateOptions<T>): AsyncIterable<T> {
    const inner = super.paginate(path, options);
    const onItem = this.onItem;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const item of inner) {
          onItem(path, item);
          yield item;
        }
      },
    };
  }
}

/** Options of {@link readLiveOrganization}. */
export interface LiveReadOptions {
  credentials: AuditCredentials;
  kinds: readonly ExportKind[];
  environments: readonly string[];
  /** A progress line (without newline); called at most every `progressEveryMs` and once at the end. */
  progress?: (line: string) => void;
  /** @default 1000 */
  progressEveryMs?: number;
}

const idOf = (item: unknown): string | undefined => {
  const id = (item as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : undefined;
};
const createdOf = (item: unknown): string | undefined => {
  const at = (item as { metadata?: { created_at?: unknown } } | null)?.metadata?.created_at;
  return typeof at === "string" ? at : undefined;
};

/** Describes the progress so far: `read 2000 ServiceAccount, 40 ApiKey; 25 calls, 0 rate-limit waits`. */
export function progressLine(stats: ReadStats): string {
  const kinds = Object.entries(stats.objects)
    .filter(([k]) => k !== "scopes")
    .map(([k, n]) => `${n} ${k}`);
  const waits = `${stats.waits} rate-limit wait${stats.waits === 1 ? "" : "s"}`;
  return `audit: read ${kinds.length > 0 ? kinds.join(", ") : "no objects yet"}; ${stats.calls} call${stats.calls === 1 ? "" : "s"}, ${waits}, ${(stats.ms / 1000).toFixed(1)} s`;
}

/** Reads the organization (every kind asked for, in every scope) and what the audit needs besides. */
export async function readLiveOrganization(opts: LiveReadOptions): Promise<LiveOrganization> {
  const started = Date.now();
  const stats: ReadStats = { calls: 0, objects: {}, waits: 0, ms: 0 };
  const createdAt = new Map<string, string>();
  const every = opts.progressEveryMs ?? 1000;
  let last = started;
  const tell = (force: boolean): void => {
    const now = Date.now();
    if (!opts.progress || (!force && now - last < every)) return;
    last = now;
    stats.ms = now - started;
    opts.progress(progressLine(stats));
  };
  const origin = new URL(opts.credentials.endpoint).origin;
  const pool = new Pool(origin, { connect: { timeout: 10_000 }, keepAliveTimeout: 10_000 });
  const counting: Dispatcher = pool.compose((dispatch) => (options, handler): boolean => {
    stats.calls++;
    return dispatch(options, handler);
  });
  const base = clientOptions();
  const client = new RecordingClient(
    {
      endpoint: opts.credentials.endpoint,
      auth: { kind: "basic", apiKey: opts.credentials.apiKey, apiSecret: opts.credentials.apiSecret },
      userAgent: "pulumi-confluent-iam audit",
      dispatcher: counting,
      retry: base.retry,
      onEvent: (e: ClientEvent) => {
        stats.waits++;
        opts.progress?.(`audit: ${describeClientEvent(e)}`);
      },
    },
    (path, item) => {
      const kind = kindOfPath(path);
      stats.objects[kind] = (stats.objects[kind] ?? 0) + 1;
      const id = idOf(item);
      const at = createdOf(item);
      if (id !== undefined && at !== undefined) createdAt.set(`${kind}/${id}`, at);
      tell(false);
    },
  );
  try {
    const org = await readOrganization(client, { kinds: opts.kinds, environments: opts.environments });
    stats.ms = Date.now() - started;
    tell(true);
    return { ...org, createdAt, stats };
  } finally {
    await client.close();
    await pool.close();
  }
}
