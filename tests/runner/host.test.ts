import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  SECRET_SIG,
  SPECIAL_SIG_KEY,
  UNKNOWN_VALUE,
  containsSecret,
  containsUnknown,
  isSecretWire,
  secretWire,
  unwrapSecrets,
} from "../../protocol";
import {
  ProviderCallError,
  ResourceInitError,
  startProviderHost,
  type ProviderHost,
} from "../../runner/host";

// A tiny dynamic provider of the test's own, in the exact form the host loads (`requireFromString(text)
// .handler()`): it keeps records in a JSON file named by the `db` input.
const providerText = `exports.handler = () => ({
  async configure(req) {
    this.region = req.config.get("region") || "none";
    this.token = req.config.get("other:token");
  },
  async check(olds, news) {
    const failures = [];
    if (typeof news.name !== "string" || news.name === "") failures.push({ property: "name", reason: "name must be a non-empty string" });
    return { inputs: { ...news, value: news.value === undefined ? 0 : news.value }, failures };
  },
  async diff(id, olds, news) {
    const replaces = olds.name !== news.name ? ["name"] : [];
    return { changes: replaces.length > 0 || olds.value !== news.value, replaces, deleteBeforeReplace: news.dbr === true };
  },
  async create(inputs) {
    const fs = require("fs");
    const db = fs.existsSync(inputs.db) ? JSON.parse(fs.readFileSync(inputs.db, "utf8")) : {};
    if (inputs.fail === "plain") throw new Error("quota exceeded for " + inputs.name);
    const id = "rec-" + (Object.keys(db).length + 1);
    db[id] = { name: inputs.name, value: inputs.value };
    fs.writeFileSync(inputs.db, JSON.stringify(db));
    console.error("created " + id + " after waiting 0 ms");
    if (inputs.fail === "init") {
      const e = new Error("created " + id + " but it never became ready");
      e.id = id; e.properties = { name: inputs.name, state: "PROVISIONING" }; e.reasons = ["timed out waiting for ready"];
      throw e;
    }
    return { id, outs: { ...inputs, region: this.region, tokenSeen: this.token === "t0k" } };
  },
  async read(id, props) {
    const fs = require("fs");
    const db = JSON.parse(fs.readFileSync(props.db, "utf8"));
    if (!db[id]) return { id: "", props: {} };
    return { id, props: { ...props, ...db[id] }, inputs: { db: props.db, name: db[id].name, value: db[id].value } };
  },
  async update(id, olds, news) {
    const fs = require("fs");
    const db = JSON.parse(fs.readFileSync(news.db, "utf8"));
    db[id] = { name: news.name, value: news.value };
    fs.writeFileSync(news.db, JSON.stringify(db));
    return { outs: { ...news, region: olds.region } };
  },
  async delete(id, props) {
    const fs = require("fs");
    const db = JSON.parse(fs.readFileSync(props.db, "utf8"));
    delete db[id];
    fs.writeFileSync(props.db, JSON.stringify(db));
  },
});`;

const urn = "urn:pulumi:dev::project::pulumi-nodejs:dynamic/test:Rec::r1";
let host: ProviderHost;
let dir: string;
let db: string;
const lines: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "host-test-"));
  db = path.join(dir, "db.json");
  host = await startProviderHost({ cwd: dir, onOutput: (line) => lines.push(line) });
  await host.configure({ "project:region": "eu-west-1", "other:token": "t0k" });
});

afterAll(async () => {
  await host.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const readDb = (): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(db, "utf8")) as Record<string, unknown>;

describe("wire helpers", () => {
  it("wraps, recognizes and unwraps secrets at any depth", () => {
    const s = secretWire("pw");
    expect(s).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: "pw",
    });
    expect(isSecretWire(s)).toBe(true);
    expect(isSecretWire({ [SPECIAL_SIG_KEY]: "other" })).toBe(false);
    expect(containsSecret({ a: [1, { b: s }] })).toBe(true);
    expect(containsSecret({ a: [1, { b: "pw" }] })).toBe(false);
    expect(unwrapSecrets({ a: [1, { b: s }], c: secretWire(secretWire(3)) })).toEqual({
      a: [1, { b: "pw" }],
      c: 3,
    });
  });

  it("finds the unknown sentinel at any depth", () => {
    expect(UNKNOWN_VALUE).toBe("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    expect(containsUnknown({ a: { b: [UNKNOWN_VALUE] } })).toBe(true);
    expect(containsUnknown({ a: { b: ["known"] } })).toBe(false);
  });
});

describe("dynamic-provider host", () => {
  it("check returns the provider's failures with their property and reason", async () => {
    const res = await host.check(urn, {}, { __provider: providerText, name: "", db });
    expect(res.failures).toEqual([{ property: "name", reason: "name must be a non-empty string" }]);
  });

  it("check passes secret-wrapped inputs through still wrapped and drops undefined members", async () => {
    const res = await host.check(
      urn,
      {},
      { __provider: providerText, name: "a", db, note: secretWire("n"), gone: undefined },
    );
    expect(res.failures).toEqual([]);
    expect(res.inputs).toEqual({
      __provider: providerText,
      name: "a",
      db,
      value: 0,
      note: { [SPECIAL_SIG_KEY]: SECRET_SIG, value: "n" },
    });
  });

  it("runs create, diff, update, read and delete against the provider", async () => {
    const { inputs } = await host.check(urn, {}, { __provider: providerText, name: "alpha", db });
    const created = await host.create(urn, inputs);
    expect(created.id).toMatch(/^rec-\d+$/);
    // configure() reached the provider: an unqualified key is qualified with the project name.
    expect(created.outs).toEqual({ ...inputs, region: "eu-west-1", tokenSeen: true });
    expect(readDb()[created.id]).toEqual({ name: "alpha", value: 0 });

    const same = await host.diff(created.id, urn, created.outs, inputs, inputs);
    expect(same).toEqual({ changes: false, replaces: [], diffs: [], deleteBeforeReplace: false });
    const news = { ...inputs, value: 42 };
    expect(await host.diff(created.id, urn, created.outs, news)).toEqual({
      changes: true,
      replaces: [],
      diffs: [],
      deleteBeforeReplace: false,
    });
    expect(await host.diff(created.id, urn, created.outs, { ...inputs, name: "beta", dbr: true })).toEqual({
      changes: true,
      replaces: ["name"],
      diffs: [],
      deleteBeforeReplace: true,
    });

    const updated = await host.update(created.id, urn, created.outs, news, inputs);
    expect(updated.outs).toEqual({ ...news, region: "eu-west-1" });
    expect(readDb()[created.id]).toEqual({ name: "alpha", value: 42 });

    const read = await host.read(created.id, urn, updated.outs, news);
    expect(read.id).toBe(created.id);
    expect(read.props).toEqual({ ...updated.outs, name: "alpha", value: 42 });
    expect(read.inputs).toEqual({ __provider: providerText, db, name: "alpha", value: 42 });

    await host.delete(created.id, urn, updated.outs);
    expect(readDb()[created.id]).toBeUndefined();
    const gone = await host.read(created.id, urn, updated.outs);
    expect(gone.id).toBe("");
  });

  it("create with preview sends nothing to the provider", async () => {
    fs.writeFileSync(db, "{}");
    const res = await host.create(urn, { __provider: providerText, name: "p", db }, { preview: true });
    expect(res).toEqual({ id: "", outs: { __provider: providerText, name: "p", db } });
    expect(readDb()).toEqual({});
  });

  it("a create that fails after the object exists rejects with its id, properties and reasons", async () => {
    const { inputs } = await host.check(
      urn,
      {},
      { __provider: providerText, name: "half", db, fail: "init" },
    );
    const err = await host.create(urn, inputs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ResourceInitError);
    const init = err as ResourceInitError;
    expect(init.id).toMatch(/^rec-\d+$/);
    expect(init.message).toBe(`created ${init.id} but it never became ready`);
    expect(init.properties).toEqual({ name: "half", state: "PROVISIONING" });
    expect(init.reasons).toEqual(["timed out waiting for ready"]);
    expect(init.operation).toBe("create");
    expect(init.urn).toBe(urn);
    expect(readDb()[init.id]).toEqual({ name: "half", value: 0 });
  });

  it("a create that fails outright rejects with gRPC UNKNOWN and the provider's message", async () => {
    const { inputs } = await host.check(urn, {}, { __provider: providerText, name: "q", db, fail: "plain" });
    const err = await host.create(urn, inputs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProviderCallError);
    expect(err).not.toBeInstanceOf(ResourceInitError);
    expect((err as ProviderCallError).code).toBe(2);
    expect((err as ProviderCallError).message).toBe("quota exceeded for q");
  });

  it("collects what the provider prints and reports it line by line as it comes", async () => {
    fs.writeFileSync(db, "{}");
    const { inputs } = await host.check(urn, {}, { __provider: providerText, name: "logged", db });
    const { id } = await host.create(urn, inputs);
    expect(host.stderr()).toContain(`created ${id} after waiting 0 ms\n`);
    expect(lines).toContain(`created ${id} after waiting 0 ms`);
  });

  it("rejects a value that JSON cannot carry before sending anything", async () => {
    await expect(
      host.check(urn, {}, { __provider: providerText, name: "n", db, bad: Number.NaN }),
    ).rejects.toThrow("news.bad: NaN cannot be sent over the wire");
  });

  it("close stops the host process", async () => {
    const h = await startProviderHost({ cwd: dir });
    await h.close();
    expect(() => process.kill(h.pid, 0)).toThrow();
  });
});
