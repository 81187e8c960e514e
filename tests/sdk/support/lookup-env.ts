/**
 * The environment lookup tests run in: lookups read credentials in the program process (here, the test's),
 * and the read-lag window and retry back-off from the tuning variables.
 */

/** Points the lookups at `url` with these (obviously fake, or the emulator's) credentials. */
export function useEndpoint(url: string, key: string, secret: string): void {
  process.env.CONFLUENT_CLOUD_ENDPOINT = url;
  process.env.CONFLUENT_CLOUD_API_KEY = key;
  process.env.CONFLUENT_CLOUD_API_SECRET = secret;
}

/** A read-lag window of `windowMs` (CONFLUENT_IAM_RECONCILE_WAIT_MS) and retries a few ms apart. */
export function useLookupTuning(windowMs: number): void {
  process.env.CONFLUENT_IAM_RECONCILE_WAIT_MS = String(windowMs);
  process.env.CONFLUENT_IAM_RETRY_BASE_MS = "1";
  process.env.CONFLUENT_IAM_RETRY_MAX_MS = "5";
}

/** Removes what {@link useEndpoint} and {@link useLookupTuning} set. */
export function clearLookupEnv(): void {
  delete process.env.CONFLUENT_IAM_RECONCILE_WAIT_MS;
  delete process.env.CONFLUENT_IAM_RETRY_BASE_MS;
  delete process.env.CONFLUENT_IAM_RETRY_MAX_MS;
  delete process.env.CONFLUENT_CLOUD_ENDPOINT;
  delete process.env.CONFLUENT_CLOUD_API_KEY;
  delete process.env.CONFLUENT_CLOUD_API_SECRET;
}

/** `METHOD path?query` of one request, the query in the order it was sent. */
export function callLine(r: { method: string; path: string; query: Record<string, string> }): string {
  const query = new URLSearchParams(r.query).toString();
  return `${r.method} ${r.path}${query ? `?${query}` : ""}`;
}
