/**
 * Reads a Pulumi project the way the CLI does, as far as the runner needs: `Pulumi.yaml` (name, runtime,
 * main) and the stack's config from `Pulumi.<stack>.yaml`, plus `--config key=value` overrides.
 */
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import { z } from "zod";

// js-yaml comes with @pulumi/pulumi (no dependency of our own); take it from there.
const yaml = createRequire(require.resolve("@pulumi/pulumi/package.json"))("js-yaml") as {
  load(text: string): unknown;
};

/** What the runner takes from Pulumi.yaml. */
export interface ProjectInfo {
  /** Project name (qualifies unqualified config keys). */
  name: string;
  /** The folder holding Pulumi.yaml. */
  dir: string;
  /** Absolute path of the program to require (Pulumi.yaml `main`, else the folder). */
  main: string;
}

const projectSchema = z.object({
  name: z.string().min(1),
  runtime: z.union([z.string(), z.object({ name: z.string() }).passthrough()]),
  main: z.string().optional(),
});

const stackFileSchema = z
  .object({
    config: z.record(z.unknown()).nullish(),
  })
  .passthrough()
  .nullish();

function readYaml(file: string): unknown {
  return yaml.load(fs.readFileSync(file, "utf8"));
}

/** Reads `<dir>/Pulumi.yaml`. */
export function readProject(dir: string): ProjectInfo {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`no Pulumi.yaml in ${dir}`);
  const parsed = projectSchema.safeParse(readYaml(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  const runtime = typeof parsed.data.runtime === "string" ? parsed.data.runtime : parsed.data.runtime.name;
  if (runtime !== "nodejs") throw new Error(`${file}: runtime ${runtime} is not supported (only nodejs)`);
  return { name: parsed.data.name, dir, main: path.resolve(dir, parsed.data.main ?? ".") };
}

/** Qualifies a config key with the project name unless it already has a namespace. */
export function qualifyKey(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** Stack config: plain string values keyed `namespace:key`, and which keys are secret. */
export interface StackConfig {
  /** Values (objects and arrays JSON-encoded, as the CLI passes them to programs). */
  values: Record<string, string>;
  /** Keys whose values are secrets. */
  secretKeys: string[];
}

/** Config keys that carry credentials, so they are treated as secrets. */
const secretConfigKeys = new Set(["confluentcloud:cloudApiSecret", "confluentcloud:cloudApiKey"]);

/**
 * Reads `Pulumi.<stack>.yaml`'s `config:` map and applies `--config key=value` overrides. Encrypted
 * (`secure:`) values cannot be read without the CLI: they are an error that says to pass them with
 * `--config` or the environment instead.
 */
export function readStackConfig(
  project: ProjectInfo,
  stack: string,
  overrides: readonly string[],
): StackConfig {
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const file = path.join(project.dir, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(file)) {
    const parsed = stackFileSchema.safeParse(readYaml(file));
    if (!parsed.success) throw new Error(`${file}: not a stack settings file`);
    for (const [rawKey, v] of Object.entries(parsed.data?.config ?? {})) {
      const key = qualifyKey(rawKey, project.name);
      if (typeof v === "object" && v !== null && !Array.isArray(v) && "secure" in v) {
        throw new Error(
          `${file}: ${key} is encrypted (secure:), which only the Pulumi CLI can decrypt; pass it with --config or the environment`,
        );
      }
      values[key] = typeof v === "string" ? v : JSON.stringify(v);
    }
  }
  for (const o of overrides) {
    const eq = o.indexOf("=");
    if (eq <= 0) throw new Error(`--config expects key=value, got ${JSON.stringify(o)}`);
    values[qualifyKey(o.slice(0, eq), project.name)] = o.slice(eq + 1);
  }
  for (const k of Object.keys(values)) if (secretConfigKeys.has(k)) secretKeys.add(k);
  return { values, secretKeys: [...secretKeys].sort() };
}
