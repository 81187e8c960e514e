import { operationSubject } from "../../runner/progress";

describe("what an operation is about, for the progress line", () => {
  it.each([
    ["urn:pulumi:dev::p::pulumi-nodejs:dynamic/confluent:ApiKey::key", "confluent:ApiKey key"],
    [
      "urn:pulumi:dev::p::my:Team$pulumi-nodejs:dynamic/confluent:ServiceAccount::sa",
      "confluent:ServiceAccount sa",
    ],
    ["urn:pulumi:dev::p::acme:iam:TeamAccess::payments", "acme:iam:TeamAccess payments"],
  ])("%s", (urn, subject) => {
    expect(operationSubject(urn)).toBe(subject);
  });
});
