// Development-only require hook: lets `node -r ./scripts/ts-register.js file.ts` run this repository's
// TypeScript without a build step, and makes `require("pulumi-confluent-iam")` (and its subpaths) resolve
// to the sources here, the way an installed copy resolves to dist/.
//
// Node 20 cannot strip types itself, so each .ts file is transpiled on load with TypeScript's own
// transpileModule (no type checking: `npm run typecheck` does that). Installed users never load this
// file: the package's bins and exports point at the compiled dist/.
//
// Every lifecycle command starts several processes (the runner's worker, the dynamic-provider host), and
// each used to transpile the same ~200 files again: about 1.5 s of CPU per process. The output is kept in
// node_modules/.cache/ts-register, named by a hash of the TypeScript version, the options, the file's path
// and its text, so an edited file is transpiled again and a stale entry is never used. Entries are written
// to a temporary name and renamed, so concurrent processes never read half a file. TS_REGISTER_CACHE names
// another folder (the hook's own tests use one).
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const Module = require("module");

const root = path.resolve(__dirname, "..");
const selfName = "pulumi-confluent-iam";
const selfEntries = {
  [selfName]: path.join(root, "sdk", "index.ts"),
  [`${selfName}/provider`]: path.join(root, "provider", "index.ts"),
  [`${selfName}/policy`]: path.join(root, "policy", "policies.ts"),
};

// Loaded only when a file is not in the cache.
let ts;
const compilerOptions = () => ({
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: true,
});
const typescriptVersion = require("typescript/package.json").version;
const cacheDir = process.env.TS_REGISTER_CACHE || path.join(root, "node_modules", ".cache", "ts-register");
const cacheSalt = `${typescriptVersion}\0${fs.readFileSync(__filename, "utf8")}\0`;

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveWithSelf(request, parent, isMain, options) {
  const self = selfEntries[request];
  if (self !== undefined) return self;
  return originalResolve.call(this, request, parent, isMain, options);
};

function transpile(filename, source) {
  const key = crypto.createHash("sha256").update(cacheSalt).update(filename).update("\0").update(source);
  const cached = path.join(cacheDir, `${key.digest("hex")}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // Not cached yet (or the cache cannot be read): transpile, then try to keep it.
  }
  ts ??= require("typescript");
  const out = ts.transpileModule(source, {
    compilerOptions: compilerOptions(),
    fileName: filename,
  }).outputText;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, out);
    fs.renameSync(temporary, cached);
  } catch {
    // A read-only or full disk only costs speed.
  }
  return out;
}

require.extensions[".ts"] = function compileTs(module, filename) {
  module._compile(transpile(filename, fs.readFileSync(filename, "utf8")), filename);
};
