// Development-only require hook: lets `node -r ./scripts/ts-register.js file.ts` run this repository's
// TypeScript without a build step, and makes `require("pulumi-confluent-iam")` (and its subpaths) resolve
// to the sources here, the way an installed copy resolves to dist/.
//
// Node 20 cannot strip types itself, so each .ts file is transpiled on load with TypeScript's own
// transpileModule (no type checking: `npm run typecheck` does that). Installed users never load this
// file: the package's bins and exports point at the compiled dist/.
"use strict";
const fs = require("fs");
const path = require("path");
const Module = require("module");
const ts = require("typescript");

const root = path.resolve(__dirname, "..");
const selfName = "pulumi-confluent-iam";
const selfEntries = {
  [selfName]: path.join(root, "sdk", "index.ts"),
  [`${selfName}/provider`]: path.join(root, "provider", "index.ts"),
  [`${selfName}/policy`]: path.join(root, "policy", "policies.ts"),
};

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: true,
};

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveWithSelf(request, parent, isMain, options) {
  const self = selfEntries[request];
  if (self !== undefined) return self;
  return originalResolve.call(this, request, parent, isMain, options);
};

require.extensions[".ts"] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const out = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(out.outputText, filename);
};
