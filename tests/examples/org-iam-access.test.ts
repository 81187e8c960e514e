/**
 * `confluent-iam access` on the org-iam example: `up` against the emulator through the runner, then who holds
 * which role where, read from the stack's state, as text and as JSON.
 */
import { execFile } from "child_process";
import * as path from "path";
import { accessCommand } from "../../runner/access";
import { idOf, repoRoot, startExample, type ExampleRun } from "./harness";

const dir = path.join(repoRoot, "examples", "org-iam");
const ORG = "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001";

let ex: ExampleRun;
beforeAll(async () => {
  ex = await startExample(dir, "confluent-iam-org");
  const r = await ex.run("up");
  if (r.exitCode !== 0) throw new Error(`up failed: ${r.output}`);
}, 180_000);
afterAll(async () => {
  await ex?.close();
});

function access(args: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = accessCommand(
    args,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

describe("confluent-iam access on examples/org-iam", () => {
  it("prints principal, role, scope and the binding that grants it, as a table", () => {
    const st = ex.state();
    const id = (name: string) => idOf(st, name);
    const r = access(["--cwd", dir, "--state", ex.statePath]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const row = (principal: string, role: string, scope: string, binding: string) =>
      [principal.padEnd(36), role.padEnd(20), scope.padEnd(77), `${binding} (${id(binding)})`].join("  ");
    const sa = (name: string, display: string) => `User:${id(name)} (${display})`;
    const topic = "environment=env-demo01/cloud-cluster=lkc-demo01/kafka=lkc-demo01/topic=orders";
    expect(r.out).toBe(
      [
        ["PRINCIPAL".padEnd(36), "ROLE".padEnd(20), "SCOPE".padEnd(77), "GRANTED BY"].join("  "),
        row(sa("analytics", "analytics-service"), "DeveloperRead", topic, "analytics-read-orders"),
        row(
          sa("orders", "orders-service"),
          "CloudClusterOperator",
          "environment=env-demo01/cloud-cluster=lkc-demo01",
          "orders-cluster-operator",
        ),
        row(sa("orders", "orders-service"), "DeveloperWrite", topic, "orders-write-orders"),
        row(
          sa("platform", "platform-automation"),
          "EnvironmentAdmin",
          "environment=env-demo01",
          "platform-env-admin",
        ),
        row(
          sa("platform", "platform-automation"),
          "MetricsViewer",
          "organization=b0b0cafe-0000-4000-8000-000000000001",
          "platform-metrics-viewer",
        ),
        "",
      ].join("\n"),
    );
  });

  it("--json answers the same grants with the full CRN patterns", () => {
    const st = ex.state();
    const id = (name: string) => idOf(st, name);
    const r = access(["--cwd", dir, "--state", ex.statePath, "--json"]);
    expect(r.code).toBe(0);
    const grant = (sa: string, display: string, role: string, crn: string, binding: string) => ({
      principal: `User:${id(sa)}`,
      principalName: display,
      role,
      scope: crn === ORG ? "organization=b0b0cafe-0000-4000-8000-000000000001" : crn.slice(ORG.length + 1),
      crnPattern: crn,
      binding,
      bindingId: id(binding),
    });
    const cluster = `${ORG}/environment=env-demo01/cloud-cluster=lkc-demo01`;
    expect(JSON.parse(r.out)).toEqual({
      stack: "dev",
      access: [
        grant(
          "analytics",
          "analytics-service",
          "DeveloperRead",
          `${cluster}/kafka=lkc-demo01/topic=orders`,
          "analytics-read-orders",
        ),
        grant("orders", "orders-service", "CloudClusterOperator", cluster, "orders-cluster-operator"),
        grant(
          "orders",
          "orders-service",
          "DeveloperWrite",
          `${cluster}/kafka=lkc-demo01/topic=orders`,
          "orders-write-orders",
        ),
        grant(
          "platform",
          "platform-automation",
          "EnvironmentAdmin",
          `${ORG}/environment=env-demo01`,
          "platform-env-admin",
        ),
        grant("platform", "platform-automation", "MetricsViewer", ORG, "platform-metrics-viewer"),
      ],
    });
  });

  it("a stack without state, and a bad argument, say what to do", () => {
    const none = access(["--cwd", dir, "--stack", "nosuch"]);
    expect(none.code).toBe(1);
    expect(none.out).toBe("");
    expect(none.err).toBe(
      `confluent-iam: access: no state for stack nosuch at ${path.join(dir, ".state", "nosuch.json")}; run confluent-iam up first\n`,
    );
    const bad = access(["--verbose"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      "confluent-iam: access: unknown argument --verbose; usage: confluent-iam access [--cwd DIR] [--stack NAME] [--state FILE] [--json]\n",
    );
  });

  it("the CLI dispatches `access` and prints the same table", async () => {
    const expected = access(["--cwd", dir, "--state", ex.statePath]).out;
    const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          "-r",
          path.join(repoRoot, "scripts", "ts-register.js"),
          path.join(repoRoot, "runner", "cli.ts"),
          "access",
          "--cwd",
          dir,
          "--state",
          ex.statePath,
        ],
        { cwd: repoRoot, timeout: 90_000 },
        (err, stdout) => resolve({ code: err ? 1 : 0, stdout }),
      );
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expected);
  });
});
