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
          crnPattern: `${CLUSTER_CRN}%2Fkafka%3Dlkc-demo01%2Ftopic%3D%2A`,
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

  it("does not judge an unknown crnPattern", async () => {
    expect(
      await runResource(policy, roleBinding({ roleName: "DeveloperWrite", crnPattern: UNKNOWN })),
    ).toEqual([]);
  });
});
