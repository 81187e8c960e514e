/**
 * `confluent-iam policy init DIR`: writes a small policy pack of the user's own that selects and
 * configures this package's policies and leaves room for the team's own. It is the route for teams that
 * publish packs to their Pulumi organization (`pulumi policy publish`); the pack shipped in
 * `node_modules/pulumi-confluent-iam/policy-pack` is the route that needs no folder of one's own.
 */
import * as fs from "fs";
import * as path from "path";

/** What {@link initPolicyPack} wrote. */
export interface PolicyInitResult {
  /** The pack folder (absolute). */
  dir: string;
  /** The pack's name (`new PolicyPack(name, …)`), from the folder's name. */
  name: string;
  /** The files written, relative to `dir`, in the order written. */
  files: string[];
}

interface OwnManifest {
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** This package's own package.json (one level above runner/ from source, two from dist/runner). */
function ownManifest(): OwnManifest {
  for (let dir = __dirname, i = 0; i < 4; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<OwnManifest> & { name?: string };
    if (pkg.name !== "pulumi-confluent-iam") continue;
    return {
      version: pkg.version ?? "0.0.0",
      dependencies: pkg.dependencies ?? {},
      peerDependencies: pkg.peerDependencies ?? {},
      devDependencies: pkg.devDependencies ?? {},
    };
  }
  throw new Error("cannot find pulumi-confluent-iam's package.json above " + __dirname);
}

/** A pack name the Pulumi service accepts (letters, digits, `-`, `_`, `.`), from the folder's name. */
export function packNameFor(dir: string): string {
  const base = path
    .basename(path.resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[-._]+|[-._]+$/g, "");
  return base === "" ? "confluent-policy" : base;
}

function indexTs(name: string): string {
  return `// The ${name} policy pack: pulumi-confluent-iam's policies for Confluent Cloud IAM, chosen and
// configured here, next to the team's own.
//
//   pulumi preview --policy-pack <this folder>
//   npx confluent-iam preview --policy-pack <this folder>     (without the Pulumi CLI)
//   pulumi policy publish <org>                                (from this folder, after npm install)
import { PolicyPack, type Policies } from "@pulumi/policy";
import { policies } from "pulumi-confluent-iam/policy";

// pulumi-confluent-iam's policies to leave out, by name (node_modules/pulumi-confluent-iam/policy/README.md
// lists them).
const leaveOut = new Set<string>([
  // "api-key-described",
]);

// The team's own policies: ResourceValidationPolicy or StackValidationPolicy objects from @pulumi/policy.
const ours: Policies = [];

new PolicyPack(
  ${JSON.stringify(name)},
  { policies: [...policies.filter((p) => !leaveOut.has(p.name)), ...ours] },
  // Levels ("advisory", "mandatory", "disabled") and settings by policy name. Give every entry its
  // enforcementLevel: the Pulumi CLI makes a policy whose entry has none advisory. A --policy-pack-config
  // file given to \`pulumi preview\` overrides these, policy by policy.
  {
    "role-binding-no-org-admin": { enforcementLevel: "mandatory", allowedPrincipals: [] },
  },
);
`;
}

const TSCONFIG = `{
  "compilerOptions": {
    "strict": true,
    "target": "ES2020",
    "module": "node16",
    "moduleResolution": "node16",
    "esModuleInterop": true,
    "skipLibCheck": true
  },
  "files": ["index.ts"]
}
`;

function readme(name: string, where: string): string {
  return `# ${name}

A Pulumi policy pack for Confluent Cloud IAM declared with \`pulumi-confluent-iam\`, made by
\`npx confluent-iam policy init\`. \`index.ts\` chooses which of the package's policies run, sets their
levels and settings, and holds the team's own policies.

Inside a project that has \`pulumi-confluent-iam\` installed it runs as it is (its dependencies are found in
the project's \`node_modules\`):

\`\`\`sh
pulumi preview --policy-pack ${where}
npx confluent-iam preview --policy-pack ${where}
\`\`\`

To publish it to a Pulumi organization: \`npm install\` here, then \`pulumi policy publish <org>\`.
`;
}

/** How the user reaches `abs` from where they ran the command: `./pack`, `../pack` or an absolute path. */
function relativeToCwd(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  if (rel === "") return ".";
  if (path.isAbsolute(rel)) return rel;
  return rel.startsWith("..") ? rel : `./${rel}`;
}

/**
 * Writes the pack into `dir` (created if missing). Refuses a folder that exists and is not empty, so
 * nothing of the user's is overwritten.
 */
export function initPolicyPack(dir: string): PolicyInitResult {
  const abs = path.resolve(dir);
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) {
    throw new Error(`${abs} exists and is not a folder; give a new or empty folder for the policy pack`);
  }
  if (stat && fs.readdirSync(abs).length > 0) {
    throw new Error(
      `${abs} is not empty; policy init writes only into a new or empty folder (nothing was changed)`,
    );
  }
  const own = ownManifest();
  const name = packNameFor(abs);
  const dependency = (n: string): string => {
    const range = own.dependencies[n] ?? own.peerDependencies[n];
    if (range === undefined) throw new Error(`pulumi-confluent-iam's package.json does not list ${n}`);
    return range;
  };
  const manifest = {
    name,
    version: "0.1.0",
    description: "Policies for Confluent Cloud IAM declared with pulumi-confluent-iam.",
    private: true,
    main: "index.ts",
    dependencies: {
      "@pulumi/policy": dependency("@pulumi/policy"),
      "@pulumi/pulumi": dependency("@pulumi/pulumi"),
      "pulumi-confluent-iam": `^${own.version}`,
    },
    devDependencies: {
      "@types/node": own.devDependencies["@types/node"] ?? "^20.19.0",
      typescript: own.devDependencies.typescript ?? "~5.9.3",
    },
  };
  const files: [string, string][] = [
    [
      "PulumiPolicy.yaml",
      "runtime: nodejs\ndescription: Confluent Cloud IAM policies (pulumi-confluent-iam).\n",
    ],
    ["package.json", JSON.stringify(manifest, null, 2) + "\n"],
    ["tsconfig.json", TSCONFIG],
    ["index.ts", indexTs(name)],
    ["README.md", readme(name, relativeToCwd(abs))],
  ];
  fs.mkdirSync(abs, { recursive: true });
  for (const [file, text] of files) fs.writeFileSync(path.join(abs, file), text, { flag: "wx" });
  return { dir: abs, name, files: files.map(([f]) => f) };
}
