import { roleBindingNoDuplicates as policy } from "pulumi-confluent-iam/policy";
import { apiKey, CLUSTER_CRN, roleBinding, runStack, TOPIC_CRN, UNKNOWN, urnOf } from "./helpers";

describe("role-binding-no-duplicates", () => {
  it("is a mandatory stack policy", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(typeof policy.validateStack).toBe("function");
  });

  it("passes bindings that differ in principal, role or CRN", async () => {
    expect(
      await runStack(policy, [
        roleBinding({}, "a"),
        roleBinding({ principal: "User:sa-other1" }, "b"),
        roleBinding({ roleName: "DeveloperWrite" }, "c"),
        roleBinding({ crnPattern: `${CLUSTER_CRN}/kafka=lkc-demo01/topic=payments` }, "d"),
        apiKey(),
      ]),
    ).toEqual([]);
  });

  it("reports the second of two identical bindings, naming both", async () => {
    const second = roleBinding({}, "orders-reader-again");
    expect(await runStack(policy, [roleBinding({}, "orders-reader"), second])).toEqual([
      {
        message:
          'RoleBinding "orders-reader-again" duplicates RoleBinding "orders-reader": both grant DeveloperRead to ' +
          `"User:sa-abc123" on ${TOPIC_CRN}; keep one of them (deleting either would revoke the access the other declares).`,
        urn: urnOf(second),
      },
    ]);
  });

  it("treats a URL-encoded CRN as the same as its decoded form", async () => {
    const encoded = roleBinding({ crnPattern: TOPIC_CRN.replace("/topic=", "/topic%3D") }, "encoded");
    expect(await runStack(policy, [roleBinding({}, "plain"), encoded])).toEqual([
      {
        message:
          'RoleBinding "encoded" duplicates RoleBinding "plain": both grant DeveloperRead to ' +
          `"User:sa-abc123" on ${TOPIC_CRN}; keep one of them (deleting either would revoke the access the other declares).`,
        urn: urnOf(encoded),
      },
    ]);
  });

  it("reports each further duplicate against the first", async () => {
    const reported = await runStack(policy, [
      roleBinding({}, "a"),
      roleBinding({}, "b"),
      roleBinding({}, "c"),
    ]);
    expect(reported.map((r) => r.urn)).toEqual([urnOf(roleBinding({}, "b")), urnOf(roleBinding({}, "c"))]);
    expect(reported[1].message.startsWith('RoleBinding "c" duplicates RoleBinding "a"')).toBe(true);
  });

  it("does not judge bindings with values unknown during preview", async () => {
    expect(
      await runStack(policy, [
        roleBinding({ principal: UNKNOWN }, "a"),
        roleBinding({ principal: UNKNOWN }, "b"),
      ]),
    ).toEqual([]);
  });
});
