/**
 * The calls-per-operation benchmark at its real size (it is small): every object kind makes exactly the
 * fewest API calls for each operation, counted in the emulator's request log.
 */
import {
  MINIMUM,
  minimumOf,
  OPERATIONS,
  runCallsPerOperation,
  type CallsResult,
  type Operation,
} from "../../bench/calls";
import { fixtures } from "../../bench/fixtures";
import { specs } from "../../provider/specs";

let result: CallsResult;

beforeAll(async () => {
  result = await runCallsPerOperation();
}, 120_000);

/** Calls per operation, "-" where the object has no such operation. */
function table(r: CallsResult): Record<string, Record<Operation, number | "-">> {
  return Object.fromEntries(
    r.kinds.map((k) => [
      k.kind,
      Object.fromEntries(OPERATIONS.map((op) => [op, k.ops[op]?.calls ?? "-"])) as Record<
        Operation,
        number | "-"
      >,
    ]),
  );
}

const NO_UPDATE = { update: "-" } as const;
const NO_REPLACE = { replace: "-" } as const;

test("every object kind the provider has is measured", () => {
  expect(result.missingFixtures).toEqual([]);
  expect(result.kinds.map((k) => k.kind).sort()).toEqual(specs.map((s) => s.kind).sort());
});

/**
 * The minimum of every operation the object has: no update where its spec updates nothing in place, no
 * replace where nothing replaces it, no create where it cannot be created (its fixture imports one).
 */
function expectedTable(): Record<string, Record<Operation, number | "-">> {
  return Object.fromEntries(
    specs.map((s) => [
      s.kind,
      {
        ...minimumOf(fixtures.find((f) => f.kind === s.kind) ?? {}),
        ...(fixtures.find((f) => f.kind === s.kind)?.existing ? { create: "-" } : {}),
        ...(s.updateInPlace.length === 0 || fixtures.find((f) => f.kind === s.kind)?.updateRefused
          ? NO_UPDATE
          : {}),
        ...(s.replaceOnChange.length === 0 ? NO_REPLACE : {}),
      },
    ]),
  );
}

test("the calls-per-operation table equals the minimum for every kind", () => {
  expect(table(result)).toEqual(expectedTable());
  // The derived table still says what the hand-written one did for these (a wrong derivation fails here).
  expect(expectedTable()).toEqual(
    expect.objectContaining({
      ServiceAccount: { ...MINIMUM, ...NO_REPLACE },
      ApiKey: MINIMUM,
      RoleBinding: { ...MINIMUM, ...NO_UPDATE },
      User: { ...MINIMUM, create: "-", ...NO_REPLACE },
    }),
  );
  expect(result.kinds.filter((k) => k.problems.length > 0).map((k) => [k.kind, k.problems])).toEqual([]);
});

test("a no-change up makes zero API calls for every kind", () => {
  for (const k of result.kinds) expect([k.kind, k.ops.noChange?.log]).toEqual([k.kind, []]);
});

test("the API key's readiness wait is one GET of /org/v2/environments with the new key, counted apart from create and replace", () => {
  // ApiKeyRotation makes its keys with ApiKey's readiness wait.
  for (const kind of ["ApiKey", "ApiKeyRotation"]) {
    const key = result.kinds.find((k) => k.kind === kind);
    expect([kind, key?.ops.create?.waits]).toEqual([kind, 1]);
    expect([kind, key?.ops.replace?.waits]).toEqual([kind, 1]);
    // The key's owner holds no role, so the emulator (RBAC on) refuses the probe with 403, which only an
    // authenticated caller gets: ready at the first probe.
    expect(key?.ops.create?.log).toEqual(["POST /iam/v2/api-keys 202", "GET /org/v2/environments 403"]);
  }
  const others = result.kinds.filter(
    (k) => !["ApiKey", "ApiKeyRotation", "ProviderIntegrationAuthorization"].includes(k.kind),
  );
  expect(others.flatMap((k) => OPERATIONS.map((op) => k.ops[op]?.waits ?? 0)).every((w) => w === 0)).toBe(
    true,
  );
});

test("a pim/v2 authorization's create is one PATCH plus its validation, a documented extra call; its delete sends nothing, so its replace is its create", () => {
  const authz = result.kinds.find((k) => k.kind === "ProviderIntegrationAuthorization");
  expect(authz?.ops.create?.log).toEqual([
    "POST /pim/v2/integrations:validate 204",
    expect.stringMatching(/^PATCH \/pim\/v2\/integrations\/cspi-\w+ 200$/),
  ]);
  expect([authz?.ops.create?.calls, authz?.ops.create?.waits]).toEqual([1, 1]);
  expect([authz?.ops.replace?.calls, authz?.ops.replace?.waits]).toEqual([1, 1]);
  expect(authz?.ops.delete?.log).toEqual([]);
  expect(authz?.minimum).toEqual({ ...MINIMUM, delete: 0, replace: 1 });
  expect(authz?.notApplicable.update).toBe(
    "the API refuses it once the integration is CREATED (PATCH works only on DRAFT)",
  );
});

test("a role binding has no update: its replace is one POST and one DELETE that answers 200", () => {
  const rb = result.kinds.find((k) => k.kind === "RoleBinding");
  expect(rb?.notApplicable.update).toBe("no in-place update (every change replaces it)");
  expect(rb?.ops.replace?.log).toEqual([
    "POST /iam/v2/role-bindings 201",
    expect.stringMatching(/^DELETE \/iam\/v2\/role-bindings\/rb-\S+ 200$/),
  ]);
});
