/**
 * Issue 30, defect 7: an EnvironmentAdmin of env-demo01 tries to bind roles outside its environment through
 * CRN patterns that start inside it: dot segments (plain, percent-encoded in either case, encoded twice) and
 * a cluster of another environment. The emulator accepted these (they granted nothing); the real API
 * refuses them with 400, so tests must see that refusal. Nothing is stored, and the caller gains nothing.
 */
import { arr, basic, str, startTestEmulator, type TestEmulator } from "../emulator/helpers";

const ORG = "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001";
const DEMO = `${ORG}/environment=env-demo01`;
const PROD = `${ORG}/environment=env-prod01`;

let emu: TestEmulator;
/** An EnvironmentAdmin of env-demo01. */
let envAdmin: string;
let caller: string;

beforeAll(async () => {
  emu = await startTestEmulator();
  const sa = await emu.call("POST", "/iam/v2/service-accounts", { display_name: "env-admin" });
  caller = str(sa.body, "id");
  const rb = await emu.call("POST", "/iam/v2/role-bindings", {
    principal: `User:${caller}`,
    role_name: "EnvironmentAdmin",
    crn_pattern: DEMO,
  });
  expect(rb.status).toBe(201);
  const key = await emu.call("POST", "/iam/v2/api-keys", { spec: { owner: { id: caller } } });
  envAdmin = basic(str(key.body, "id"), str(key.body, "spec.secret"));
});
afterAll(() => emu.close());

const DOTS =
  'crn_pattern: must not contain a "." or ".." segment (nor one percent-encoded, such as %2e%2e); ' +
  "name each scope once, from the organization down";

it.each([
  [`${DEMO}/../environment=env-prod01`, DOTS],
  [`${DEMO}/%2e%2e/environment=env-prod01`, DOTS],
  [`${DEMO}/%2E%2E/environment=env-prod01`, DOTS],
  [`${DEMO}/%252e%252e/environment=env-prod01`, DOTS],
  [`${DEMO}%2F..%2Fenvironment=env-prod01`, DOTS],
  [
    `${DEMO}/cloud-cluster=lkc-prod01`,
    "crn_pattern: cloud-cluster=lkc-prod01 is not in environment=env-demo01 (it is in env-prod01); put it " +
      "under environment=env-prod01",
  ],
])("an EnvironmentAdmin of env-demo01 binding at %s is refused with 400", async (pattern, detail) => {
  const r = await emu.call(
    "POST",
    "/iam/v2/role-bindings",
    { principal: `User:${caller}`, role_name: "CloudClusterAdmin", crn_pattern: pattern },
    { auth: envAdmin },
  );
  expect(r.status).toBe(400);
  expect(r.body).toEqual({
    errors: [
      {
        id: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
        status: "400",
        code: "invalid_input",
        detail,
        source: { pointer: "/crn_pattern" },
      },
    ],
  });
  // Nothing stored: the caller still holds only its EnvironmentAdmin binding.
  const mine = await emu.call(
    "GET",
    `/iam/v2/role-bindings?crn_pattern=${encodeURIComponent(ORG)}&principal=User:${caller}`,
  );
  expect(arr(mine.body, "data").map((b) => str(b, "role_name"))).toEqual(["EnvironmentAdmin"]);
  // And gained nothing in env-prod01.
  const prodKey = await emu.call(
    "POST",
    "/iam/v2/role-bindings",
    { principal: `User:${caller}`, role_name: "DeveloperRead", crn_pattern: PROD },
    { auth: envAdmin },
  );
  expect(prodKey.status).toBe(403);
});

it("the same EnvironmentAdmin binds in its own environment (201), the control", async () => {
  const r = await emu.call(
    "POST",
    "/iam/v2/role-bindings",
    {
      principal: `User:${caller}`,
      role_name: "CloudClusterAdmin",
      crn_pattern: `${DEMO}/cloud-cluster=lkc-demo01`,
    },
    { auth: envAdmin },
  );
  expect(r.status).toBe(201);
});
