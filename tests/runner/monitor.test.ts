import { urnFor } from "../../runner/monitor";

describe("the URN the engine gives a registration", () => {
  const stack = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";
  it.each([
    ["top level (no parent)", "", "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/confluent:ServiceAccount::sa"],
    ["child of the stack", stack, "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/confluent:ServiceAccount::sa"],
    [
      "child of a component: the parent's type is chained in front",
      "urn:pulumi:dev::proj::my:Team::t",
      "urn:pulumi:dev::proj::my:Team$pulumi-nodejs:dynamic/confluent:ServiceAccount::sa",
    ],
    [
      "grandchild: the parent's (already chained) type",
      "urn:pulumi:dev::proj::my:Org$my:Team::t",
      "urn:pulumi:dev::proj::my:Org$my:Team$pulumi-nodejs:dynamic/confluent:ServiceAccount::sa",
    ],
  ])("%s", (_what, parent, urn) => {
    expect(urnFor("dev", "proj", "pulumi-nodejs:dynamic/confluent:ServiceAccount", "sa", parent)).toBe(urn);
  });
});
