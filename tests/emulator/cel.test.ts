import { CelSyntaxError, filterMatches, parseCel } from "../../emulator/cel";

const claims = {
  sub: "repo:acme/iam:ref:refs/heads/main",
  repository: "acme/iam",
  ref: "refs/heads/main",
  aud: "confluent-cloud",
  groups: ["platform", "ci"],
  n: 3,
  "x-y": "dash",
  nested: { team: "payments" },
};

describe("identity-pool filter subset of CEL", () => {
  test.each([
    ['claims.repository == "acme/iam"', true],
    ["claims.repository == 'acme/iam'", true],
    ['claims.repository == "acme/other"', false],
    ['claims.repository != "acme/other"', true],
    ['claims.repository == "acme/iam" && claims.ref == "refs/heads/main"', true],
    ['claims.repository == "acme/iam" && claims.ref == "refs/heads/dev"', false],
    ['claims.ref == "refs/heads/dev" || claims.ref == "refs/heads/main"', true],
    ['(claims.ref == "a" || claims.ref == "refs/heads/main") && claims.aud == "confluent-cloud"', true],
    ['claims.ref == "a" || claims.ref == "b" && claims.aud == "confluent-cloud"', false],
    ["has(claims.sub)", true],
    ["has(claims.email)", false],
    ["has(claims.nested.team)", true],
    ['"ci" in claims.groups', true],
    ['"ops" in claims.groups', false],
    ['claims.ref in ["refs/heads/main", "refs/heads/release"]', true],
    ['claims.ref in ["refs/heads/dev"]', false],
    ["claims.n == 3", true],
    ['claims["x-y"] == "dash"', true],
    ['claims.nested.team == "payments"', true],
    ['!(claims.ref == "refs/heads/dev")', true],
    ["true", true],
    ["false", false],
  ])("%s → %s", (filter, expected) => {
    expect(filterMatches(filter, claims)).toBe(expected);
  });

  test("a comparison on a claim the token lacks is an error: it matches nothing on its own, and || / && absorb it as CEL does", () => {
    expect(filterMatches('claims.email == "a@b"', claims)).toBe(false);
    expect(filterMatches('claims.email != "a@b"', claims)).toBe(false);
    expect(filterMatches('claims.email == "a@b" || claims.ref == "refs/heads/main"', claims)).toBe(true);
    expect(filterMatches('claims.email == "a@b" && claims.ref == "refs/heads/dev"', claims)).toBe(false);
    expect(filterMatches('!(claims.email == "a@b")', claims)).toBe(false);
  });

  test('the recorded pool filter (claims.aud=="confluent" && claims.group!="invalid_group") parses and evaluates', () => {
    const f = 'claims.aud=="confluent" && claims.group!="invalid_group"';
    expect(filterMatches(f, { aud: "confluent", group: "eng" })).toBe(true);
    expect(filterMatches(f, { aud: "confluent", group: "invalid_group" })).toBe(false);
  });

  test.each([
    ['claims.ref == "a" ||', "expected an expression at the end"],
    ['(claims.ref == "a"', 'expected ")" at the end'],
    ['claims.ref == "a', "unterminated string starting at 14"],
    ["claims.ref ~ 1", 'unexpected character "~" at 11'],
    ["has(claims)", "has() takes a field selection such as claims.sub at 10"],
    ['claims.ref == "a" claims', 'unexpected "claims" at 18'],
    ["claims.", "expected a field name at the end"],
  ])("syntax error: %s → %s", (filter, message) => {
    expect(() => parseCel(filter)).toThrow(new CelSyntaxError(message));
  });
});
