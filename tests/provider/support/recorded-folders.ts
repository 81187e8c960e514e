/**
 * Which folder of the recorded real API bodies (/work/shared/recorded) belongs to which spec, derived from
 * the spec's own item route: `/iam/v2/identity-providers/{op}/identity-pools/{id}` records under
 * `iam-v2/identity-pools`. A spec whose route has no recorded folder (the Azure Marketplace key) has none.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { specs, type AnySpec } from "../../../provider/specs";
import { RECORDED } from "./recorded-server";

/** A locator that fills every parent any spec's route reads. */
const SAMPLE_LOCATOR = {
  id: "ID",
  identityProvider: "op-PARENT",
  environment: "env-PARENT",
  subscriptionId: "SUB",
  resourceGroupName: "RG",
  organizationName: "ORG",
};

/** `<api>-<version>/<collection>` of a spec's item route. */
export function recordedFolderOf(spec: AnySpec): string {
  const segments = spec.itemRoute(SAMPLE_LOCATOR).path.split("/").filter(Boolean);
  return `${segments[0]}-${segments[1]}/${segments[segments.length - 2]}`;
}

/** One entry of the recordings' INDEX.json. */
export interface RecordedEntry {
  file: string;
  kind: string;
  used_as: { method: string; mock_status?: number }[];
}

/** Every entry of the recordings' INDEX.json. */
export const recordedEntries: readonly RecordedEntry[] = (
  JSON.parse(fs.readFileSync(path.join(RECORDED, "INDEX.json"), "utf8")) as { entries: RecordedEntry[] }
).entries;

/** Folders (`iam-v2/users`) holding at least one recorded response body, errors (`_common`) apart. */
export function responseBodyFolders(): string[] {
  const folders = recordedEntries
    .filter((e) => e.kind === "response_body" && !e.file.startsWith("_common/"))
    .map((e) => e.file.split("/").slice(0, 2).join("/"));
  return [...new Set(folders)].sort();
}

/** Each spec that has recordings, by its recorded folder. */
export function specsByRecordedFolder(): Map<string, AnySpec> {
  const folders = new Set(responseBodyFolders());
  return new Map(
    specs.map((s) => [recordedFolderOf(s), s] as const).filter(([folder]) => folders.has(folder)),
  );
}
