/** Who is told when a provider operation starts and ends (the CLI's progress line, the run's watchdog). */
import type { ProviderHost } from "./host";
import { displayType } from "./render";

/** `urn:pulumi:dev::p::Parent$pulumi-nodejs:dynamic/confluent:ApiKey::key` → `confluent:ApiKey key`. */
export function operationSubject(urn: string): string {
  const parts = urn.split("::");
  return `${displayType((parts[2] ?? "").split("$").pop() ?? "")} ${parts[3] ?? ""}`;
}

/**
 * `host`, telling `notify` when each create, read, update and delete starts and ends
 * (`create confluent:ApiKey key`); `host` itself without `notify`.
 */
export function announcingOperations(
  host: ProviderHost,
  notify: ((phase: "start" | "end", what: string) => void) | undefined,
): ProviderHost {
  if (!notify) return host;
  const wrap =
    <A extends unknown[], R>(op: string, urnAt: number, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const what = `${op} ${operationSubject(String(args[urnAt]))}`;
      notify("start", what);
      try {
        return await fn(...args);
      } finally {
        notify("end", what);
      }
    };
  return {
    ...host,
    create: wrap("create", 0, host.create.bind(host)),
    read: wrap("read", 1, host.read.bind(host)),
    update: wrap("update", 1, host.update.bind(host)),
    delete: wrap("delete", 1, host.delete.bind(host)),
  };
}
