import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runLifecycle } from "../../runner";
import { decryptValue, keyFromEncryptionSalt } from "../../runner/passphrase";
import { readProject, readStackConfig } from "../../runner/project";

// A stack file written by following Pulumi's passphrase secrets provider (the vectors of passphrase.test.ts).
const fixture = path.join(__dirname, "fixtures", "secret-config");
const passphrase = "fake-passphrase-for-tests";
const encryptionSalt = "v1:AAECAwQFBgc=:v1:AAAAAAAAAAAAAAAB:qdyZCBKl7uREjD++XkL6NhO9ZCwteg==";
const secure = "v1:CgsMDQ4PEBESExQV:9ioqdIOjK65MXFcXK+Cxne6i+5ZiEp+9EpU4G4PZMii4";
const repoRoot = path.resolve(__dirname, "..", "..");

/** A project folder with Pulumi.yaml and, when given, Pulumi.dev.yaml. */
function project(stackYaml?: string): { dir: string; stackFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-config-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: proj\nruntime: nodejs\n");
  const stackFile = path.join(dir, "Pulumi.dev.yaml");
  if (stackYaml !== undefined) fs.writeFileSync(stackFile, stackYaml);
  return { dir, stackFile };
}

const withSecret = (head: string): string =>
  `${head}config:\n  proj:plain: p\n  confluentcloud:cloudApiSecret:\n    secure: ${secure}\n`;

function cli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        "--require",
        path.join(repoRoot, "scripts", "ts-register.js"),
        path.join(repoRoot, "runner", "cli.ts"),
        ...args,
      ],
      { cwd: repoRoot, env: { PATH: process.env.PATH, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("stack config with secure: values (passphrase secrets provider)", () => {
  it("decrypts secure values with the stack's encryptionsalt; they are secrets", () => {
    const { dir } = project(withSecret(`encryptionsalt: ${encryptionSalt}\n`));
    const c = readStackConfig(readProject(dir), "dev", [], { PULUMI_CONFIG_PASSPHRASE: passphrase });
    expect(c.values).toEqual({ "proj:plain": "p", "confluentcloud:cloudApiSecret": "fake-cloud-secret" });
    expect(c.secretKeys).toEqual(["confluentcloud:cloudApiSecret"]);
  });

  it("decrypts secure values nested in an object, and a --config override wins without a passphrase", () => {
    const { dir } = project(
      `encryptionsalt: ${encryptionSalt}\nconfig:\n  proj:db:\n    user: u\n    password:\n      secure: ${secure}\n`,
    );
    const c = readStackConfig(readProject(dir), "dev", [], { PULUMI_CONFIG_PASSPHRASE: passphrase });
    expect(c.values["proj:db"]).toBe('{"user":"u","password":"fake-cloud-secret"}');
    expect(c.secretKeys).toEqual(["proj:db"]);
    const o = readStackConfig(readProject(dir), "dev", ["db=given"], {});
    expect(o.values["proj:db"]).toBe("given");
    expect(o.secretKeys).toEqual(["proj:db"]);
  });

  it("a wrong passphrase is an error naming the stack file", () => {
    const { dir, stackFile } = project(withSecret(`encryptionsalt: ${encryptionSalt}\n`));
    expect(() => readStackConfig(readProject(dir), "dev", [], { PULUMI_CONFIG_PASSPHRASE: "wrong" })).toThrow(
      `${stackFile}: incorrect passphrase: it does not open this stack file's encryptionsalt; ` +
        "set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the passphrase this stack was created with",
    );
  });

  it("no passphrase set says how to set one", () => {
    const { dir, stackFile } = project(withSecret(`encryptionsalt: ${encryptionSalt}\n`));
    expect(() => readStackConfig(readProject(dir), "dev", [], {})).toThrow(
      `${stackFile}: confluentcloud:cloudApiSecret is encrypted and no passphrase is set; ` +
        "set PULUMI_CONFIG_PASSPHRASE to the passphrase, or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it",
    );
  });

  it("another secrets provider is an error naming it and what the runner supports", () => {
    const kms = project(
      withSecret("secretsprovider: awskms://alias/fake-key?region=eu-west-1\nencryptedkey: AAAA\n"),
    );
    expect(() =>
      readStackConfig(readProject(kms.dir), "dev", [], { PULUMI_CONFIG_PASSPHRASE: passphrase }),
    ).toThrow(
      `${kms.stackFile}: confluentcloud:cloudApiSecret is encrypted by the secrets provider ` +
        "awskms://alias/fake-key?region=eu-west-1, which this runner cannot use; this runner supports only the " +
        "passphrase provider (an encryptionsalt: line); switch with `pulumi stack change-secrets-provider " +
        "passphrase`, or pass the values with --config or the environment",
    );
    const cloud = project(withSecret(""));
    expect(() =>
      readStackConfig(readProject(cloud.dir), "dev", [], { PULUMI_CONFIG_PASSPHRASE: passphrase }),
    ).toThrow(
      `${cloud.stackFile}: confluentcloud:cloudApiSecret is encrypted, but the file has no encryptionsalt: its ` +
        "secrets provider is Pulumi Cloud (the default), which this runner cannot use; this runner supports only " +
        "the passphrase provider (an encryptionsalt: line); switch with `pulumi stack change-secrets-provider " +
        "passphrase`, or pass the values with --config or the environment",
    );
  });

  it("config set --secret starts the passphrase provider, config get reads it back, Pulumi's format", async () => {
    const { dir, stackFile } = project();
    const env = { PULUMI_CONFIG_PASSPHRASE: "round-trip-fake-passphrase" };
    const set = await cli(
      ["config", "set", "--secret", "confluentcloud:cloudApiSecret", "fake-secret-42", "--cwd", dir],
      env,
    );
    expect(set).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(
      await cli(["config", "set", "region", "eu-west-1", "--cwd", dir, "--stack", "dev"], env),
    ).toMatchObject({ code: 0 });
    const text = fs.readFileSync(stackFile, "utf8");
    expect(text).not.toContain("fake-secret-42");
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^encryptionsalt: v1:[A-Za-z0-9+/]{11}=:v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/);
    expect(lines.slice(1, 3)).toEqual(["config:", "  confluentcloud:cloudApiSecret:"]);
    expect(lines[3]).toMatch(/^ {4}secure: v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/);
    expect(lines[4]).toBe("  proj:region: eu-west-1");
    // Decrypted by the method alone (what the Pulumi CLI does with the same file).
    const key = keyFromEncryptionSalt(
      env.PULUMI_CONFIG_PASSPHRASE,
      (lines[0] ?? "").slice("encryptionsalt: ".length),
    );
    expect(decryptValue(key, (lines[3] ?? "").trim().slice("secure: ".length))).toBe("fake-secret-42");

    expect(await cli(["config", "get", "confluentcloud:cloudApiSecret", "--cwd", dir], env)).toEqual({
      code: 0,
      stdout: "fake-secret-42\n",
      stderr: "",
    });
    expect(await cli(["config", "get", "region", "--cwd", dir], {})).toEqual({
      code: 0,
      stdout: "eu-west-1\n",
      stderr: "",
    });
    // A second secret reuses the salt; the program reads both.
    expect(await cli(["config", "set", "--secret", "token", "fake-token", "--cwd", dir], env)).toMatchObject({
      code: 0,
    });
    expect(fs.readFileSync(stackFile, "utf8").split("\n")[0]).toBe(lines[0]);
    const c = readStackConfig(readProject(dir), "dev", [], env);
    expect(c.values).toEqual({
      "confluentcloud:cloudApiSecret": "fake-secret-42",
      "proj:region": "eu-west-1",
      "proj:token": "fake-token",
    });
    expect(c.secretKeys).toEqual(["confluentcloud:cloudApiSecret", "proj:token"]);
  });

  it("config get and set --secret with a wrong or no passphrase fail with the stack file's name", async () => {
    const { dir, stackFile } = project(withSecret(`encryptionsalt: ${encryptionSalt}\n`));
    const wrong = await cli(["config", "get", "confluentcloud:cloudApiSecret", "--cwd", dir], {
      PULUMI_CONFIG_PASSPHRASE: "wrong",
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe(
      `confluent-iam: config get: ${stackFile}: incorrect passphrase: it does not open this stack file's ` +
        "encryptionsalt; set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the passphrase this " +
        "stack was created with\n",
    );
    const fresh = project();
    const none = await cli(["config", "set", "--secret", "k", "v", "--cwd", fresh.dir], {});
    expect(none).toEqual({
      code: 1,
      stdout: "",
      stderr:
        `confluent-iam: config set: ${fresh.stackFile}: --secret needs a passphrase to encrypt proj:k; ` +
        "set PULUMI_CONFIG_PASSPHRASE to the passphrase, or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it\n",
    });
    expect(fs.existsSync(fresh.stackFile)).toBe(false);
    const missing = await cli(["config", "get", "nope", "--cwd", dir], {});
    expect(missing).toEqual({
      code: 1,
      stdout: "",
      stderr: `confluent-iam: config get: configuration key proj:nope not found for stack dev (${stackFile})\n`,
    });
  });

  it("preview of a program reading a secure value: config.requireSecret works and the output is masked", async () => {
    const r = await runLifecycle("preview", {
      cwd: fixture,
      statePath: path.join(fs.mkdtempSync(path.join(os.tmpdir(), "stack-config-state-")), "state.json"),
      env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: passphrase },
    });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toEqual({ plain: "visible-value", token: "[secret]", tokenLength: "[secret]" });
    expect(r.output).toContain('    plain      : "visible-value"\n');
    expect(r.output).toContain("    token      : [secret]\n");
    expect(r.output).not.toContain("fake-cloud-secret");
  });

  it("a wrong passphrase stops the run before anything else, naming the stack file", async () => {
    const r = await runLifecycle("preview", {
      cwd: fixture,
      statePath: path.join(fs.mkdtempSync(path.join(os.tmpdir(), "stack-config-state-")), "state.json"),
      env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: "wrong" },
    });
    const message =
      `${path.join(fixture, "Pulumi.dev.yaml")}: incorrect passphrase: it does not open this stack file's ` +
      "encryptionsalt; set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the passphrase this " +
      "stack was created with";
    expect(r.errors).toEqual([message]);
    expect(r.exitCode).toBe(1);
    expect(r.output).toBe(`error: ${message}\n`);
  });
});
