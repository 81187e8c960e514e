/**
 * Which stack a state file belongs to (runner/state.ts `readStateFile`, `loadState`; issue 30): the project
 * and stack it records, and its resources' URNs. Every format of the file records both (the schema has
 * required them since the first release), so a file without them is not a state file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { emptyState, loadState, readStateFile, saveState, type StackState } from "../../runner/state";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "state-identity-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const resource = (urn: string): StackState["resources"][number] => ({
  urn,
  type: "pulumi-nodejs:dynamic/confluent:ServiceAccount",
  name: "app",
  id: "sa-1",
  inputs: {},
  outputs: {},
  provider: "p",
  dependencies: [],
  secretOutputs: [],
});

function write(state: unknown, name = "s.json"): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(state));
  return file;
}

describe("a state file's project and stack", () => {
  it("a file of this stack and project is read; a missing one is empty (readStateFile: undefined)", () => {
    const state = {
      ...emptyState("proj", "dev"),
      resources: [resource("urn:pulumi:dev::proj::pulumi-nodejs:dynamic/confluent:ServiceAccount::app")],
    };
    const file = path.join(dir, "dev.json");
    saveState(file, state, {});
    expect(loadState(file, "proj", "dev", {})).toEqual(state);
    expect(readStateFile(path.join(dir, "none.json"), "proj", "dev")).toBeUndefined();
  });

  it("a version 1 file records them too and is checked the same way", () => {
    const file = write({ version: 1, project: "proj", stack: "dev", resources: [], outputs: {} });
    expect(loadState(file, "proj", "dev", {}).stack).toBe("dev");
    expect(() => loadState(file, "proj", "prod", {})).toThrow(
      `state file ${file} holds stack dev of project proj`,
    );
  });

  it("a file without project or stack is not a state file", () => {
    const file = write({ version: 2, resources: [], outputs: {} });
    expect(() => loadState(file, "proj", "dev", {})).toThrow(
      new Error(`state file ${file} is not valid: project: Required`),
    );
  });

  it("another stack: refused naming both stacks and the fix", () => {
    const file = write(emptyState("proj", "dev"));
    expect(() => readStateFile(file, "proj", "prod")).toThrow(
      new Error(
        `state file ${file} holds stack dev of project proj, but this command runs stack prod: nothing was ` +
          "done. Pass --stack dev to work on stack dev, or give stack prod its own state file (without " +
          "--state it is .state/prod.json in the project's folder)",
      ),
    );
  });

  it("another project, same stack name: refused naming both projects and the fix", () => {
    const file = write(emptyState("other", "dev"));
    expect(() => loadState(file, "proj", "dev", {})).toThrow(
      new Error(
        `state file ${file} holds stack dev of project other, but this command runs stack dev of project ` +
          "proj: nothing was done. Run the command in project other's folder (--cwd), or give project proj " +
          "its own state file (without --state it is .state/dev.json in the project's folder)",
      ),
    );
  });

  it("a resource URN of another stack or project is refused; component children's URNs are read", () => {
    const child = "urn:pulumi:dev::proj::my:Team$pulumi-nodejs:dynamic/confluent:ServiceAccount::app";
    const ok = write({ ...emptyState("proj", "dev"), resources: [resource(child)] }, "ok.json");
    expect(readStateFile(ok, "proj", "dev")?.resources.map((r) => r.urn)).toEqual([child]);
    const urn = "urn:pulumi:dev::other::pulumi-nodejs:dynamic/confluent:ServiceAccount::app";
    const file = write({ ...emptyState("proj", "dev"), resources: [resource(urn)] });
    expect(() => readStateFile(file, "proj", "dev")).toThrow(
      new Error(
        `state file ${file} holds stack dev of project proj, but its resource ${urn} is of stack dev of ` +
          "project other (a file copied from another stack and edited?): nothing was done. Pass --stack dev " +
          "to work on stack dev, or restore stack dev's own state file",
      ),
    );
  });
});

describe("a state file that is not JSON", () => {
  it.each([
    ['{"version": 2, "project": "pro', "it breaks off at character 30 of 30"],
    ['{"version": 2, "project":', "it breaks off at character 25 of 25"],
    ['{"version": 2, "secret-ish": x}', "a file of 31 characters"],
  ])("%j: names the file and how to restore it, and quotes none of its text", (text, where) => {
    const file = path.join(dir, "dev.json");
    fs.writeFileSync(file, text);
    let message = "";
    try {
      readStateFile(file, "proj", "dev");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      `state file ${file} is not valid JSON (${where}): it was cut off or damaged, and nothing was done. ` +
        "Restore it from a backup, or import a `confluent-iam stack export` of stack dev: confluent-iam " +
        `stack import --stack dev --state ${file} --file <export.json> --force`,
    );
    expect(message).not.toContain("secret-ish");
  });
});
