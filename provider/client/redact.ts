/**
 * The single place where secrets are removed from anything the client lets out of its hands (error
 * messages, stacks, `cause` chains, event reasons). Every error the client throws passes through
 * {@link redact} exactly once, just before it is thrown.
 */

/** What a redacted value is replaced with. */
export const REDACTED = "[REDACTED]";

/**
 * Field names whose string values are secret wherever they appear in a JSON body: `spec.secret` of an API
 * key, Azure's `secret`, and the usual key/token/password spellings. An API key *id* under a `key` field is
 * not secret, but hiding it costs nothing in a message while missing a real secret costs a rotation.
 */
const SECRET_FIELD = /secret|password|passphrase|token|credential|authorization|^(api_?)?key$/i;

/** A secret shorter than this is not searched for: `""` (a read of an API key) would match everywhere. */
const MIN_SECRET_LENGTH = 4;

/** The Authorization header in any text (an echo in an error body, an undici message). */
const AUTH_HEADER = /\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]{4,}/g;
/** `"secret": "..."`-like pairs inside JSON text that was not parsed (a truncated body, a message). */
const JSON_SECRET_PAIR =
  /("(?:[A-Za-z_]*(?:secret|password|passphrase|token|credential)[A-Za-z_]*)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/** True when a field of this name holds a secret value. */
function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/**
 * The values of secret-named fields anywhere in a parsed JSON body, so that an error about that body can
 * be scrubbed of them even where they reappear under another name (a zod message, an echoed detail).
 */
export function collectSecrets(body: unknown, into: Set<string> = new Set<string>()): Set<string> {
  const seen = new WeakSet<object>();
  const walk = (value: unknown, depth: number): void => {
    if (depth > 32 || value === null || typeof value !== "object") return;
    if (seen.has(value)) return;
    seen.add(value);
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === "string" && isSecretField(k) && v.length >= MIN_SECRET_LENGTH) into.add(v);
      else walk(v, depth + 1);
    }
  };
  walk(body, 0);
  return into;
}

/** The forms in which a credential can show up in text: raw, base64 of `key:secret`, URL-encoded. */
export function credentialForms(auth: { apiKey: string; apiSecret: string } | { token: string }): string[] {
  if ("token" in auth) return [auth.token, encodeURIComponent(auth.token)];
  const basic = Buffer.from(`${auth.apiKey}:${auth.apiSecret}`).toString("base64");
  return [auth.apiSecret, encodeURIComponent(auth.apiSecret), basic];
}

function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= MIN_SECRET_LENGTH) out = out.split(s).join(REDACTED);
  return out.replace(AUTH_HEADER, `$1 ${REDACTED}`).replace(JSON_SECRET_PAIR, `$1"${REDACTED}"`);
}

/**
 * Remove `secrets` (and anything that looks like a credential) from `value`.
 *
 * - a string: every occurrence replaced;
 * - an Error: scrubbed in place (message, stack, own fields) so `instanceof` still works; a foreign `cause`
 *   (an undici error, which may hold sockets or request options) is replaced by a plain copy carrying only
 *   its name, message, code and stack, scrubbed; the client's own errors in the chain are scrubbed in place;
 * - an array or object: a copy, with secret-named fields replaced and the rest scrubbed recursively.
 */
export function redact<T>(value: T, secrets: Iterable<string>): T {
  // Longest first, so that a secret containing another is replaced whole.
  const list = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  const seen = new WeakMap<object, unknown>();

  const go = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return scrubText(v, list);
    if (v === null || typeof v !== "object" || depth > 32) return v;
    const done = seen.get(v);
    if (done !== undefined) return done;

    if (v instanceof Error) {
      const err: Error = isOwnError(v) ? v : foreignCopy(v);
      seen.set(v, err);
      seen.set(err, err);
      err.message = scrubText(err.message, list);
      if (err.stack !== undefined) err.stack = scrubText(err.stack, list);
      const fields = err as unknown as Record<string, unknown>;
      for (const key of Object.keys(err)) {
        fields[key] =
          isSecretField(key) && typeof fields[key] === "string" ? REDACTED : go(fields[key], depth + 1);
      }
      if (err.cause !== undefined) err.cause = go(err.cause, depth + 1);
      return err;
    }

    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const item of v) out.push(go(item, depth + 1));
      return out;
    }

    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, item] of Object.entries(v)) {
      out[k] = isSecretField(k) && typeof item === "string" ? REDACTED : go(item, depth + 1);
    }
    return out;
  };

  return go(value, 0) as T;
}

/** Marks the client's own error classes, whose fields are known to be plain data. */
export const OWN_ERROR = Symbol.for("pulumi-confluent-iam.client.error");

function isOwnError(e: Error): boolean {
  return (e as unknown as Record<symbol, unknown>)[OWN_ERROR] === true;
}

function foreignCopy(e: Error): Error {
  const copy = new Error(e.message);
  copy.name = e.name;
  copy.stack = e.stack;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") {
    (copy as Error & { code?: string | number }).code = code;
  }
  if (e.cause !== undefined) copy.cause = e.cause;
  return copy;
}
