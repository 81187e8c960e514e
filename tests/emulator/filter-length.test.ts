/**
 * `filter` length (identity pools, SSO group mappings, certificate pools): the specs' `maxLength: 300` is a
 * per-organization limit Confluent raises on request (ADDENDA.md). The emulator refuses a longer filter with
 * 400 in the standard envelope by default, and takes longer ones when started with a raised limit
 * (`filterMaxLength`, `--filter-max-length`, `CONFLUENT_EMULATOR_FILTER_MAX_LENGTH`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCli, USAGE } from "../../emulator/options";
import { pick, startTestEmulator, str, type TestEmulator } from "./helpers";

const CA_PEM = readFileSync(join(__dirname, "..", "..", "testing", "certs", "test-ca-a.pem"), "utf8");

/** The three kinds with a filter: how to make one with a given filter, and how to update it. */
interface FilterKind {
  name: string;
  create(emu: TestEmulator, filter: string): Promise<{ status: number; body: unknown; path: string }>;
  update: "PATCH" | "PUT";
  updateBody(filter: string): Record<string, unknown>;
}

/** Display names are unique per kind: each object made gets its own. */
let made = 0;

const kinds: FilterKind[] = [
  {
    name: "identity pool",
    create: async (emu, filter) => {
      const op = str(
        (
          await emu.call("POST", "/iam/v2/identity-providers", {
            display_name: `idp-${++made}`,
            description: "",
            issuer: "https://login.example.com/v2.0",
            jwks_uri: "https://login.example.com/keys",
          })
        ).body,
        "id",
      );
      const path = `/iam/v2/identity-providers/${op}/identity-pools`;
      const r = await emu.call("POST", path, {
        display_name: "pool",
        description: "",
        identity_claim: "claims.sub",
        filter,
      });
      return { ...r, path };
    },
    update: "PATCH",
    updateBody: (filter) => ({ filter }),
  },
  {
    name: "SSO group mapping",
    create: async (emu, filter) => {
      const path = "/iam/v2/sso/group-mappings";
      const body = { display_name: `gm-${++made}`, description: "", filter };
      return { ...(await emu.call("POST", path, body)), path };
    },
    update: "PATCH",
    updateBody: (filter) => ({ filter }),
  },
  {
    name: "certificate pool",
    create: async (emu, filter) => {
      const ca = str(
        (
          await emu.call("POST", "/iam/v2/certificate-authorities", {
            display_name: `ca-${++made}`,
            description: "",
            certificate_chain: CA_PEM,
            certificate_chain_filename: "ca.pem",
          })
        ).body,
        "id",
      );
      const path = `/iam/v2/certificate-authorities/${ca}/identity-pools`;
      const r = await emu.call("POST", path, {
        display_name: "pool",
        description: "",
        external_identifier: "CN",
        filter,
      });
      return { ...r, path };
    },
    update: "PUT",
    updateBody: (filter) => ({ display_name: "pool", description: "", external_identifier: "CN", filter }),
  },
];

/** A balanced filter of exactly `n` characters: `claims.sub == "xxx…"`. */
const filterOf = (n: number): string => `claims.sub == "${"x".repeat(n - 16)}"`;

const refusal = (n: number, max: number) => ({
  errors: [
    {
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      status: "400",
      code: "invalid_input",
      detail: `filter must be at most ${max} characters (got ${n}); this limit is set per organization`,
      source: { pointer: "/filter" },
    },
  ],
});

describe("the default limit: 300 characters", () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  test.each(kinds)(
    "$name: 300 characters are taken; 301 are 400 in the standard envelope, on create and update",
    async (k) => {
      expect(filterOf(300)).toHaveLength(300);
      const ok = await k.create(emu, filterOf(300));
      expect(ok.status).toBe(201);
      expect(pick(ok.body, "filter")).toBe(filterOf(300));
      const id = str(ok.body, "id");

      const long = await k.create(emu, filterOf(301));
      expect(long.status).toBe(400);
      expect(long.body).toEqual(refusal(301, 300));

      const upd = await emu.call(k.update, `${ok.path}/${id}`, k.updateBody(filterOf(400)));
      expect(upd.status).toBe(400);
      expect(upd.body).toEqual(refusal(400, 300));
      // Nothing changed.
      expect(pick((await emu.call("GET", `${ok.path}/${id}`)).body, "filter")).toBe(filterOf(300));
    },
  );
});

describe("a raised limit (filterMaxLength: 1000)", () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator({ filterMaxLength: 1000 });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  test.each(kinds)("$name: a 400-character filter is created and updated; 1001 is 400", async (k) => {
    const made = await k.create(emu, filterOf(400));
    expect(made.status).toBe(201);
    expect(pick(made.body, "filter")).toBe(filterOf(400));
    const id = str(made.body, "id");
    const upd = await emu.call(k.update, `${made.path}/${id}`, k.updateBody(filterOf(999)));
    expect(upd.status).toBe(200);
    expect(pick(upd.body, "filter")).toBe(filterOf(999));
    const long = await k.create(emu, filterOf(1001));
    expect(long.status).toBe(400);
    expect(long.body).toEqual(refusal(1001, 1000));
  });
});

describe("the CLI", () => {
  test("--filter-max-length and CONFLUENT_EMULATOR_FILTER_MAX_LENGTH set it (the flag wins); a bad value names the flag", () => {
    expect(parseCli(["--filter-max-length", "2000"], {})).toEqual({ filterMaxLength: 2000 });
    expect(parseCli([], { CONFLUENT_EMULATOR_FILTER_MAX_LENGTH: "500" })).toEqual({ filterMaxLength: 500 });
    expect(parseCli(["--filter-max-length=700"], { CONFLUENT_EMULATOR_FILTER_MAX_LENGTH: "500" })).toEqual({
      filterMaxLength: 700,
    });
    expect(() => parseCli(["--filter-max-length", "many"], {})).toThrow(
      '--filter-max-length must be a non-negative integer, got "many"',
    );
    expect(USAGE).toContain("--filter-max-length");
  });
});
