/**
 * At a release: stores the serialized provider text of this version for the golden test
 * (tests/provider/released-provider-text.test.ts), exactly as the SDK classes serialize it.
 *
 *   npm run capture-provider-text                            (at a release: the package.json version)
 *   npm run capture-provider-text -- --version unreleased    (a text not released yet)
 *
 * Writes tests/fixtures/provider-text/<version>/<Class>.txt and refuses to overwrite a folder already
 * stored: a released version's text never changes. An `unreleased` folder is renamed to the version at the
 * release; when the text changes again before that, delete the folder and capture it anew.
 */
import * as fs from "fs";
import * as path from "path";
import { captureRegistration } from "../testing/capture";
import { table } from "../testing/table";

/** Kinds whose text is stored: each has create, read, an in-place update and delete in the table. */
const KINDS = ["ServiceAccount", "IpGroup"];

/** `--version NAME` from the command line, if given. */
function versionArg(argv: readonly string[]): string | undefined {
  const i = argv.indexOf("--version");
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || !/^[0-9A-Za-z][0-9A-Za-z.-]*$/.test(v)) {
    throw new Error(`--version needs a folder name such as 0.2.0 or unreleased, got ${JSON.stringify(v)}`);
  }
  return v;
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, "..");
  const version =
    versionArg(process.argv.slice(2)) ??
    (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
  const dir = path.join(root, "tests", "fixtures", "provider-text", version);
  if (fs.existsSync(dir)) throw new Error(`${dir} exists: the text of a released version is never replaced`);
  fs.mkdirSync(dir, { recursive: true });
  for (const kind of KINDS) {
    const entry = table.find((e) => e.kind === kind);
    if (!entry) throw new Error(`no table entry for ${kind}`);
    const { providerText } = await captureRegistration(entry.register);
    fs.writeFileSync(path.join(dir, `${kind}.txt`), providerText);
    console.log(`wrote ${path.relative(root, path.join(dir, `${kind}.txt`))} (${providerText.length} bytes)`);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`capture-provider-text: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
