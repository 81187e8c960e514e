/**
 * Variable names for exported objects: readable (derived from display names), valid TypeScript identifiers,
 * unique in the program, and stable (the same organization gives the same names on every export, and one
 * object's name does not change because another object was added).
 */

/** Words that cannot be a `const` name. A kind suffix is added to every name, so only a bare word can clash. */
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally " +
    "for function if import in instanceof new null return super switch this throw true try typeof var void " +
    "while with let static yield await implements interface package private protected public arguments eval " +
    "pulumi confluentcloud organization organizationId orgCrn"
  ).split(" "),
);

/** The words of a name: runs of ASCII letters and digits (camelCase humps split too). */
function words(name: string): string[] {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "");
}

/**
 * `ci-deployer` + `Sa` → `ciDeployerSa`. The suffix names the kind (a service account and its key often share
 * a name) and is left out when the name already ends with it (`ci-cloud-key` + `Key` → `ciCloudKey`). A name
 * with no letters or digits, or one that starts with a digit, gets the kind's fallback word in front.
 */
export function baseName(name: string | undefined, suffix: string, fallback: string): string {
  const ws = words(name ?? "");
  if (ws.length === 0 || /^[0-9]/.test(ws[0] ?? "")) ws.unshift(...words(fallback));
  const camel = ws
    .map((w) => (w === w.toUpperCase() ? w.toLowerCase() : w))
    .map((w, i) =>
      i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1),
    )
    .join("")
    .slice(0, 60);
  const withSuffix = camel.toLowerCase().endsWith(suffix.toLowerCase()) ? camel : camel + suffix;
  return RESERVED.has(withSuffix) ? `${withSuffix}_` : withSuffix;
}

/** What a name is asked for. */
export interface NameRequest {
  /** The object's API id (unique). */
  id: string;
  /** The base name from {@link baseName}. */
  base: string;
  /** What a shared name gets appended (the object's API id). @default id */
  tag?: string;
}

/**
 * Unique names for `requests` (keyed by id). A base name used by one object is kept as it is; when several
 * objects share it, each gets its id appended (`ciSa_sa12ab`), so adding or removing one of them later does
 * not rename the others while several still share it. `taken` holds names already in use (constants of the program).
 */
export function uniqueNames(
  requests: readonly NameRequest[],
  taken: ReadonlySet<string> = new Set(),
): Map<string, string> {
  const byBase = new Map<string, NameRequest[]>();
  for (const r of requests) byBase.set(r.base, [...(byBase.get(r.base) ?? []), r]);
  const out = new Map<string, string>();
  const used = new Set(taken);
  for (const [base, rs] of byBase) {
    if (rs.length === 1 && !used.has(base)) {
      out.set(rs[0].id, base);
      used.add(base);
    }
  }
  for (const [base, rs] of byBase) {
    if (rs.length === 1 && out.has(rs[0].id)) continue;
    for (const r of rs) {
      const tag = (r.tag ?? r.id).replace(/[^A-Za-z0-9]+/g, "_");
      let name = `${base}_${tag}`;
      for (let n = 2; used.has(name); n++) name = `${base}_${tag}_${n}`;
      out.set(r.id, name);
      used.add(name);
    }
  }
  return out;
}
