/**
 * Writes the exported program: `index.ts` (one resource per object, grouped by kind, references between
 * objects instead of literal ids, CRNs built from `getOrganizationOutput()` and environment constants),
 * `Pulumi.yaml`, `package.json` and `README.md`.
 */
import { KINDS, kindInfo, type ExportKind, type ReadObject } from "./kinds";
import { baseName, uniqueNames } from "./names";
import { literal, safeText } from "./text";
import { apiKeySpec } from "../../provider/specs/api-key";
import type { Environment } from "./read";

/** A piece of TypeScript written as it is (a reference). */
class Code {
  constructor(readonly text: string) {}
}

type Value = Code | string | number | boolean | null | undefined | Value[] | { [k: string]: Value };

/** What the program is made from. */
export interface ProgramInput {
  organizationId: string;
  /**
   * The credentials belong to other organizations too: the program's `getOrganizationOutput()` is then given
   * this one's id, as it cannot tell otherwise.
   */
  amongSeveral?: boolean;
  environments: readonly Environment[];
  /** The objects the program declares, in any order. */
  objects: readonly ReadObject[];
  /** Write `{ import: "<id>" }` on every resource. */
  withImport: boolean;
  /**
   * API keys whose secret the stack config holds (`--with-secrets`): key id → config key. The program reads
   * each with `config.requireSecret` and passes it as the key's `secret` input.
   */
  secrets?: ReadonlyMap<string, string>;
}

/** A file the program reads that export cannot write (a certificate chain the API never gives back). */
export interface NeededFile {
  /** Relative to the program's folder. */
  file: string;
  kind: string;
  id: string;
  /** What belongs in it and what the API says about it. */
  what: string;
}

/** The program and the variable name of each object (by `<kind>/<id>`). */
export interface RenderedProgram {
  text: string;
  names: Map<string, string>;
  /** Files the program reads, which the user must put in place before `up`. */
  files: NeededFile[];
}

/** Whether the ApiKey input schema has `secret` (an adopted key's secret, checked by one call). */
const apiKeyTakesSecret = "secret" in apiKeySpec.inputs.shape;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const keyOf = (kind: string, id: string): string => `${kind}/${id}`;

/** A variable name: built from ASCII words (runner/export/names.ts); anything else is a bug, not written. */
function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`export: ${JSON.stringify(name)} is not an identifier (a bug)`);
  return name;
}

function render(v: Value, indent: string, multiline = false): string {
  if (v instanceof Code) return v.text;
  if (v === null) return "null";
  if (typeof v === "string") return literal(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === undefined) return "undefined";
  const inner = indent + "  ";
  if (Array.isArray(v)) {
    const items = v.map((x) => render(x, inner));
    const flat = `[${items.join(", ")}]`;
    if (flat.length + indent.length <= 90 && !flat.includes("\n")) return flat;
    return `[\n${items.map((x) => `${inner}${x},\n`).join("")}${indent}]`;
  }
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return "{}";
  const parts = entries.map(([k, x]) => `${IDENT.test(k) ? k : literal(k)}: ${render(x, inner)}`);
  const flat = `{ ${parts.join(", ")} }`;
  if (!multiline && flat.length + indent.length <= 90 && !flat.includes("\n")) return flat;
  return `{\n${parts.map((p) => `${inner}${p},\n`).join("")}${indent}}`;
}

/** The kinds a role binding's `User:<id>` principal may name. */
const PRINCIPALS = ["ServiceAccount", "User", "IdentityPool", "CertificatePool"] as const;

/** Names the program's constants and resources. */
function nameEverything(input: ProgramInput): {
  envNames: Map<string, string>;
  names: Map<string, string>;
} {
  const envNames = uniqueNames(
    input.environments.map((e) => ({ id: e.id, base: baseName(e.displayName, "Env", "environment") })),
    new Set(["organization", "organizationId", "orgCrn"]),
  );
  const byKey = new Map(input.objects.map((o) => [keyOf(o.kind, o.id), o]));
  // Role bindings are named after their principal (its display name when it is in the program) and role.
  const principalWords = (principal: string): string => {
    const id = principal.replace(/^(User|Group):/, "");
    for (const kind of PRINCIPALS) {
      const o = byKey.get(keyOf(kind, id));
      if (o) return kindInfo(kind).nameOf(o) ?? id;
    }
    return id;
  };
  const requests = input.objects.map((o) => {
    const k = kindInfo(o.kind);
    const base =
      o.kind === "RoleBinding"
        ? baseName(
            `${principalWords(String(o.inputs.principal))} ${String(o.inputs.roleName)}`,
            k.suffix,
            k.fallback,
          )
        : baseName(k.nameOf(o), k.suffix, k.fallback);
    return { id: keyOf(o.kind, o.id), base, tag: o.id };
  });
  const names = uniqueNames(
    requests,
    new Set(["organization", "organizationId", "orgCrn", ...envNames.values()]),
  );
  return { envNames, names };
}

/** Writes `index.ts`. */
export function renderProgram(input: ProgramInput): RenderedProgram {
  const { envNames, names } = nameEverything(input);
  const present = new Set(input.objects.map((o) => keyOf(o.kind, o.id)));
  const referenced = new Set<string>();
  const usedEnvs = new Set<string>();
  let usesOrgCrn = false;
  let usesInterpolate = false;
  let usesConfig = false;
  const files: NeededFile[] = [];
  const orgCrn = `crn://confluent.cloud/organization=${input.organizationId}`;

  const ref = (kind: ExportKind, id: string, member: string): Code | undefined => {
    const key = keyOf(kind, id);
    if (!present.has(key)) return undefined;
    referenced.add(key);
    return new Code(`${names.get(key) ?? ""}.${member}`);
  };
  const envRef = (id: string): Value => {
    const name = envNames.get(id);
    if (name === undefined) return id;
    usedEnvs.add(id);
    return new Code(name);
  };
  /** pulumi.interpolate`${orgCrn}/environment=${prodEnv}/cloud-cluster=lkc-1` instead of the pasted CRN. */
  const crn = (value: string): Value => {
    if (value !== orgCrn && !value.startsWith(`${orgCrn}/`)) return value;
    usesOrgCrn = true;
    const rest = value
      .slice(orgCrn.length)
      .split(/(\/environment=[^/]+)/)
      .map((part) => {
        const env = /^\/environment=([^/]+)$/.exec(part)?.[1];
        if (env !== undefined && envNames.has(env)) {
          usedEnvs.add(env);
          return `/environment=\${${envNames.get(env) ?? ""}}`;
        }
        return safeText(part);
      })
      .join("");
    return rest === "" ? new Code("orgCrn") : new Code(`pulumi.interpolate\`\${orgCrn}${rest}\``);
  };
  const withId = (v: unknown, replacement: Value | undefined): Value => {
    if (replacement === undefined) return v as Value;
    return { ...(v as Record<string, Value>), id: replacement };
  };

  /** The arguments of one resource, references in place of ids. */
  const args = (o: ReadObject): Value => {
    const a: Record<string, Value> = { ...(o.inputs as Record<string, Value>) };
    switch (o.kind) {
      case "ApiKey": {
        const owner = o.inputs.owner as { id: string; kind?: string };
        const ownerKind = owner.kind === "User" ? "User" : "ServiceAccount";
        a.owner = withId(owner, ref(ownerKind, owner.id, "id"));
        const mr = o.inputs.managedResource as { environment?: { id: string } } | undefined;
        if (mr?.environment)
          a.managedResource = {
            ...(mr as Record<string, Value>),
            environment: { id: envRef(mr.environment.id) },
          };
        const configKey = input.secrets?.get(o.id);
        if (configKey !== undefined) {
          usesConfig = true;
          a.secret = new Code(`config.requireSecret(${literal(configKey)})`);
        }
        break;
      }
      case "RoleBinding": {
        const principal = String(o.inputs.principal);
        const m = /^(User|Group):(.+)$/.exec(principal);
        const target =
          m === null
            ? undefined
            : PRINCIPALS.map((k) => ref(k, m[2] ?? "", "id")).find((r) => r !== undefined);
        if (m !== null && target instanceof Code) {
          usesInterpolate = true;
          a.principal = new Code(`pulumi.interpolate\`${m[1] ?? "User"}:\${${target.text}}\``);
        }
        a.crnPattern = crn(String(o.inputs.crnPattern));
        break;
      }
      case "IpFilter":
        a.ipGroups = (o.inputs.ipGroups as string[]).map((g) => ref("IpGroup", g, "id") ?? g);
        if (typeof o.inputs.resourceScope === "string") a.resourceScope = crn(o.inputs.resourceScope);
        break;
      case "IdentityPool": {
        const op = o.inputs.identityProvider as { id: string };
        a.identityProvider = withId(op, ref("IdentityProvider", op.id, "id"));
        break;
      }
      case "ProviderIntegration":
      case "ProviderIntegrationSetup": {
        const env = o.inputs.environment as { id: string };
        a.environment = { id: envRef(env.id) };
        break;
      }
      case "ProviderIntegrationAuthorization": {
        const env = o.inputs.environment as { id: string };
        a.environment = { id: envRef(env.id) };
        const setup = String(o.inputs.providerIntegrationId);
        a.providerIntegrationId = ref("ProviderIntegrationSetup", setup, "id") ?? setup;
        break;
      }
      case "CertificateAuthority": {
        // The API never gives a chain back: the program reads it from a file of its folder.
        const file = `certificates/${ident(names.get(keyOf(o.kind, o.id)) ?? "")}.pem`;
        files.push({ file, kind: o.kind, id: o.id, what: o.unreadable?.certificateChain ?? "" });
        a.certificateChain = new Code(`pem(${literal(file)})`);
        break;
      }
      case "CertificatePool": {
        const ca = o.inputs.certificateAuthority as { id: string };
        a.certificateAuthority = withId(ca, ref("CertificateAuthority", ca.id, "id"));
        break;
      }
      default:
        break;
    }
    return a;
  };

  // Arguments first (they note which resources are referred to), then the text.
  const groups = KINDS.map((k) => {
    const members = input.objects
      .filter((o) => o.kind === k.kind)
      .map((o) => ({ o, key: keyOf(o.kind, o.id), name: names.get(keyOf(o.kind, o.id)) ?? "" }))
      .sort((x, y) => x.name.localeCompare(y.name, "en", { numeric: true }));
    return { k, members: members.map((m) => ({ ...m, args: render(args(m.o), "  ", true) })) };
  }).filter((g) => g.members.length > 0);
  const body = groups
    .map(({ k, members }) => {
      const resources = members.map(({ o, key, name, args: a }) => {
        // Only a resource something refers to gets a `const`: the program has no unused locals.
        const decl = referenced.has(key) ? `const ${name} = ` : "";
        const opts = input.withImport ? `  { import: ${literal(o.importId)} },\n` : "";
        // Until this package's ApiKeyArgs declares `secret`, a key given one is written with a cast.
        const cast =
          o.kind === "ApiKey" && !apiKeyTakesSecret && input.secrets?.has(o.id)
            ? " as confluentcloud.ApiKeyArgs"
            : "";
        return `${decl}new confluentcloud.${k.kind}(\n  ${literal(name)},\n  ${a}${cast},\n${opts});\n`;
      });
      return `// ${k.title}: ${members.length}\n${resources.join("\n")}`;
    })
    .join("\n");

  const header: string[] = [
    `// Exported by \`confluent-iam export\` from organization ${safeText(input.organizationId)}.`,
    input.withImport
      ? "// Every resource adopts an existing object (`import`): `up` reads each one and changes nothing. Once it has\n// run, remove the `import` options (see README.md)."
      : "// Written without `import` options: run it against a stack that already holds these objects.",
    "",
  ];
  if (files.length > 0) header.push('import * as fs from "fs";', 'import * as path from "path";');
  if (usesInterpolate || usesOrgCrn || usesConfig) header.push('import * as pulumi from "@pulumi/pulumi";');
  header.push('import * as confluentcloud from "pulumi-confluent-iam";', "");
  if (usesConfig)
    header.push(
      "/** API-key secrets, from this stack's encrypted config (export --with-secrets). */",
      "const config = new pulumi.Config();",
      "",
    );
  if (files.length > 0)
    header.push(
      "/** A PEM file of this folder: the API never gives back a certificate chain (README.md names each file). */",
      "function pem(file: string): string {",
      "  try {",
      '    return fs.readFileSync(path.join(__dirname, file), "utf8");',
      "  } catch {",
      "    throw new Error(`${file}: put the PEM certificate chain there (README.md says which authority's), then run again`);",
      "  }",
      "}",
      "",
    );
  if (usesOrgCrn) {
    header.push(
      "/** The credentials' organization (GET /org/v2/organizations); every CRN below is built from its id. */",
      `const organization = confluentcloud.getOrganizationOutput(${input.amongSeveral ? `{ id: ${literal(input.organizationId)} }` : ""});`,
      "const orgCrn = pulumi.interpolate`crn://confluent.cloud/organization=${organization.id}`;",
      "",
    );
  }
  const envLines = input.environments
    .filter((e) => usedEnvs.has(e.id))
    .map((e) => `const ${ident(envNames.get(e.id) ?? "")} = ${literal(e.id)}; // ${safeText(e.displayName)}`);
  if (envLines.length > 0) header.push("// Environments (GET /org/v2/environments).", ...envLines, "");
  return { text: header.join("\n") + "\n" + body, names, files };
}
