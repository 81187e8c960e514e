/**
 * Loaded into the dynamic-provider host with `--require` (./host.ts): the host exits as soon as the runner
 * that started it is gone, however it went (a run time limit, `kill -9`). The runner holds the write end of
 * the host's stdin and never writes to it; when the runner's process ends, the kernel closes that end and
 * the host reads end-of-file. Ctrl-C still reaches the host directly: it stays in the runner's process group.
 */
if (process.env.CONFLUENT_IAM_HOST_WATCHDOG === "1") {
  const stop = (): never => process.exit(1);
  process.stdin.on("end", stop);
  process.stdin.on("error", stop);
  process.stdin.resume();
}
