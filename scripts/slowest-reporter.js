// jest reporter: after a run, prints the ten slowest test files with their tier and time, so a slow
// newcomer is seen at once (CI runs `npm test`, which prints it). Options: `{ count: N }`.
"use strict";
const path = require("path");

class SlowestReporter {
  constructor(globalConfig, options = {}) {
    this.root = globalConfig.rootDir;
    this.count = options.count ?? 10;
  }

  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((r) => ({
        file: path.relative(this.root, r.testFilePath).split(path.sep).join("/"),
        tier: r.displayName?.name ?? "",
        ms: r.perfStats.end - r.perfStats.start,
      }))
      .filter((f) => Number.isFinite(f.ms) && f.ms > 0)
      .sort((a, b) => b.ms - a.ms)
      .slice(0, this.count);
    if (files.length === 0) return;
    const width = Math.max(...files.map((f) => f.file.length));
    const lines = files.map(
      (f) => `  ${(f.ms / 1000).toFixed(1).padStart(7)} s  ${f.file.padEnd(width)}  ${f.tier}`,
    );
    process.stderr.write(`\nThe ${files.length} slowest test files:\n${lines.join("\n")}\n`);
  }
}

module.exports = SlowestReporter;
