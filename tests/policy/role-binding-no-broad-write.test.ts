import { roleBindingNoBroadWrite as policy } from "pulumi-confluent-iam/policy";
import { CLUSTER_CRN, ORG, roleBinding, runResource, UNKNOWN } from "./helpers";

const FIX = 'bind it to the topics it needs, by name or by a prefix such as "topic=orders-*".';

describe("role-binding-no-broad-write", () => {
  it("is advisory", () => {
    expect(policy.enforcementLevel).toBe("advisory");
  });

  it("passes the baseline, a named topic, a prefix, and DeveloperRead on all topics", async () => {
    expect(await runResource(policy, roleBinding())).toEqual([]);
    expect(await runResource(policy, roleBinding({ roleName: "DeveloperWrite" }))).toEqual([]);
    expect(
      await runResource(
        policy,
        roleBinding({
          roleName: "ResourceOwner",
          crnPattern: `${CLUSTER_CRN}/kafka=lkc-demo01/topic=orders-*`,
        }),
      ),
    ).toEqual([]);
    expect(
      await runResource(
        policy,
        roleBinding({ roleName: "DeveloperRead", crnPattern: `${CLUSTER_CRN}/kafka=lkc-demo01/topic=*` }),
      ),
    ).toEqual([]);
  });

  it.each(["DeveloperWrite", "DeveloperManage", "ResourceOwner"])(
    "reports %s on topic=*",
    async (roleName) => {
      expect(
        await runResource(
          policy,
          roleBinding({ roleName, crnPattern: `${CLUSTER_CRN}/kafka=lkc-demo01/topic=*` }),
        ),
      ).toEqual([
        `${roleName} on every topic of lkc-demo01 ("topic=*") lets "User:sa-abc123" write to all current and future topics; ${FIX}`,
      ]);
    },
  );

  it("reports topic=* written URL-encoded", async () => {
    expect(
      await runResource(
        policy,
        roleBinding({
          roleName: "DeveloperWrite",
          crnPattern: `${CLUSTER_CRN}/kafka%3Dlkc-demo01/topic%3D%2A`,
        }),
      ),
    ).toEqual([
      `DeveloperWrite on every topic of lkc-demo01 ("topic=*") lets "User:sa-abc123" write to all current and future topics; ${FIX}`,
    ]);
  });

  it("reports a write role on a whole Kafka cluster", async () => {
    expect(
      await runResource(
        policy,
        roleBinding({ roleName: "DeveloperManage", crnPattern: `${CLUSTER_CRN}/kafka=lkc-demo01` }),
      ),
    ).toEqual([
      `DeveloperManage on the whole Kafka cluster ("kafka=lkc-demo01") lets "User:sa-abc123" write to every topic in it, current and future; ${FIX}`,
    ]);
  });

  it("reports a write role on a cloud cluster or environment", async () => {
    expect(
      await runResource(policy, roleBinding({ roleName: "ResourceOwner", crnPattern: CLUSTER_CRN })),
    ).toEqual([
      `ResourceOwner on the whole Kafka cluster ("cloud-cluster=lkc-demo01") lets "User:sa-abc123" write to every topic in it, current and future; ${FIX}`,
    ]);
    expect(
      await runResource(
        policy,
        roleBinding({
          roleName: "DeveloperWrite",
          crnPattern: `crn://confluent.cloud/organization=${ORG}/environment=env-demo01`,
        }),
      ),
    ).toEqual([
      `DeveloperWrite on the whole environment ("environment=env-demo01") lets "User:sa-abc123" write to every topic in it, current and future; ${FIX}`,
    ]);
  });

  it("names the principal generically when it is unknown during preview", async () => {
    expect(
      await runResource(
        policy,
        roleBinding({
          principal: UNKNOWN,
          roleName: "DeveloperWrite",
          crnPattern: `${CLUSTER_CRN}/kafka=lkc-demo01/topic=*`,
        }),
      ),
    ).toEqual([
      `DeveloperWrite on every topic of lkc-demo01 ("topic=*") lets the principal write to all current and future topics; ${FIX}`,
    ]);
  });

  const SR = `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/schema-registry=lsrc-demo01`;
  const FLINK = `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/flink-region=aws.us-east-1`;
  const EVERY: [string, string, string][] = [
    ["subject", `${SR}/subject=*`, "Schema Registry subject"],
    ["group", `${CLUSTER_CRN}/kafka=lkc-demo01/group=*`, "consumer group"],
    ["connector", `${CLUSTER_CRN}/connector=*`, "connector"],
    ["statement", `${FLINK}/statement=*`, "Flink statement"],
    ["transactional-id", `${CLUSTER_CRN}/kafka=lkc-demo01/transactional-id=*`, "transactional id"],
  ];
  describe.each(["ResourceOwner", "DeveloperManage"])(
    "%s on every one of a kind (evasion of issue 23)",
    (roleName) => {
      it.each(EVERY)("reports %s=*", async (kind, crnPattern, label) => {
        expect(await runResource(policy, roleBinding({ roleName, crnPattern }))).toEqual([
          `${roleName} on every ${label} ("${kind}=*") lets "User:sa-abc123" change or delete all current and future ` +
            `ones (and, as ResourceOwner, grant access to them); bind it to the ones it needs, by name or by a ` +
            `prefix such as "${kind}=orders-*".`,
        ]);
      });

      it.each(EVERY)("passes a prefix %s=orders-*", async (_kind, crnPattern) => {
        expect(
          await runResource(
            policy,
            roleBinding({ roleName, crnPattern: crnPattern.replace(/\*$/, "orders-*") }),
          ),
        ).toEqual([]);
      });
    },
  );

  it("passes DeveloperRead and DeveloperWrite on group=*", async () => {
    for (const roleName of ["DeveloperRead", "DeveloperWrite"]) {
      expect(
        await runResource(
          policy,
          roleBinding({ roleName, crnPattern: `${CLUSTER_CRN}/kafka=lkc-demo01/group=*` }),
        ),
      ).toEqual([]);
    }
  });

  it("does not judge an unknown crnPattern or roleName (a review aid: skips what it cannot see)", async () => {
    expect(
      await runResource(policy, roleBinding({ roleName: "DeveloperWrite", crnPattern: UNKNOWN })),
    ).toEqual([]);
    expect(
      await runResource(
        policy,
        roleBinding({ roleName: UNKNOWN, crnPattern: `${CLUSTER_CRN}/kafka=lkc-demo01/topic=*` }),
      ),
    ).toEqual([]);
  });
});
