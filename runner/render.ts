/**
 * What the runner prints: step lines, and which lines of the dynamic-provider host's output reach the user.
 * Pure functions, tested on their own.
 */

/**
 * Whether a line the dynamic-provider host printed is worth showing. The host echoes every error a provider
 * operation throws as `${e}: ${e.stack}` before returning it over gRPC, and the runner reports that error
 * itself, once, as the step's `error:` line; Node's warnings about rejections handled late are noise too.
 * The provider's own progress lines (`confluent-iam: …`) pass.
 */
export function showHostLine(line: string): boolean {
  if (line.trim() === "") return false;
  // A stack frame.
  if (/^\s+at /.test(line)) return false;
  // The echo's first line: the error's text, twice.
  if (errorEcho(line)) return false;
  if (/\bPromiseRejectionHandledWarning\b/.test(line)) return false;
  if (/^\(Use `node --trace-warnings/.test(line)) return false;
  return true;
}

/** `X: msg: X: msg` (the host's `${e}: ${e.stack}` first line) for some error text `X: msg`. */
function errorEcho(line: string): boolean {
  // The line is `t: t` where t = `${e}`; t itself contains ": ", so try each split point.
  for (let i = line.indexOf(": "); i >= 0; i = line.indexOf(": ", i + 1)) {
    const a = line.slice(0, i);
    if (a === line.slice(i + 2)) return true;
  }
  return false;
}
