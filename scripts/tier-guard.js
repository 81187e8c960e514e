// jest setupFilesAfterEnv of every tier (scripts/test-tiers.js): holds each test file to what its tier
// allows. In `unit`, starting a child process or listening on a port throws and fails the file; in
// `emulator`, starting a child process does. The message names the file's tier and the fix (move the file to
// the tier it needs).
//
// The functions are wrapped once per worker process (node's modules are shared by every test file a worker
// runs) and ask, when called, which tier the running file is in: every tier's files set it here, so a file
// of one tier never sees the rules of the file before it.
/* global expect, afterAll */
"use strict";
const childProcess = require("child_process");
const net = require("net");
const path = require("path");

const STATE = Symbol.for("pulumi-confluent-iam.tier-guard");
const SPAWNS = ["spawn", "spawnSync", "fork", "exec", "execFile", "execSync", "execFileSync"];

/** What each tier forbids. */
const FORBIDS = {
  unit: { childProcess: true, listen: true },
  emulator: { childProcess: true, listen: false },
};

function install() {
  const state = { tier: undefined, file: undefined, violations: [] };
  const refuse = (what) => {
    const forbids = FORBIDS[state.tier];
    const key = what === "listen" ? "listen" : "childProcess";
    if (forbids === undefined || !forbids[key]) return;
    const did = what === "listen" ? "listened on a port" : `started a child process (child_process.${what})`;
    const fix =
      state.tier === "unit" && what === "listen"
        ? "the emulator tier (servers in the test's process)"
        : "the process tier";
    const message =
      `${state.file} is in the ${state.tier} tier, which allows no ${key === "listen" ? "server" : "child process"}, ` +
      `but it ${did}: move it to ${fix} in scripts/test-tiers.js.`;
    state.violations.push(message);
    throw new Error(message);
  };
  for (const name of SPAWNS) {
    const original = childProcess[name];
    childProcess[name] = function guarded(...args) {
      refuse(name);
      return original.apply(this, args);
    };
  }
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function guardedListen(...args) {
    refuse("listen");
    return listen.apply(this, args);
  };
  return state;
}

const state = (childProcess[STATE] ??= install());
state.tier = globalThis.TEST_TIER;
state.file = path
  .relative(path.resolve(__dirname, ".."), expect.getState().testPath)
  .split(path.sep)
  .join("/");
state.violations = [];
const violations = state.violations;

afterAll(() => {
  // Jest itself may run in this process (one worker): nothing is refused between files.
  state.tier = undefined;
  if (violations.length > 0) throw new Error(violations[0]);
});
