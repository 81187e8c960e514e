import { roleBindingCrnWellFormed as policy } from "pulumi-confluent-iam/policy";
import { CLUSTER_CRN, ORG, roleBinding, runResource, TOPIC_CRN, UNKNOWN } from "./helpers";

const bad = (crn: string, problem: string): string =>
  `crnPattern "${crn}" is not a well-formed Confluent resource name: ${problem}. ` +
  "Use the resource's CRN, e.g. crn://confluent.cloud/organization=<org id>/environment=env-…" +
  "/cloud-cluster=lkc-…/kafka=lkc-…/topic=<name>.";

describe("role-binding-crn-well-formed", () => {
  it("is mandatory", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each([
    ["organization", `crn://confluent.cloud/organization=${ORG}`],
    ["environment", `crn://confluent.cloud/organization=${ORG}/environment=env-demo01`],
    ["cluster", CLUSTER_CRN],
    ["topic", TOPIC_CRN],
    ["topic prefix", `${CLUSTER_CRN}/kafka=lkc-demo01/topic=orders-*`],
    ["all topics", `${CLUSTER_CRN}/kafka=lkc-demo01/topic=*`],
    ["consumer group", `${CLUSTER_CRN}/kafka=lkc-demo01/group=orders-consumers`],
    ["transactional id", `${CLUSTER_CRN}/kafka=lkc-demo01/transactional-id=_confluent-flink_*`],
    [
      "subject",
      `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/schema-registry=lsrc-demo01/subject=orders-value`,
    ],
    [
      "KEK (documented double slash)",
      `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/schema-registry=lsrc-demo01//kek=k1`,
    ],
    ["ksqlDB", `${CLUSTER_CRN}/ksql=lksqlc-abc12`],
    [
      "Flink region",
      `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/flink-region=aws.us-east-1`,
    ],
    [
      "compute pool",
      `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/flink-region=aws.us-east-1/compute-pool=lfcp-abc12`,
    ],
    [
      "statement",
      `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/flink-region=aws.us-east-1/statement=orders-*`,
    ],
    ["service account", `crn://confluent.cloud/organization=${ORG}/service-account=sa-abc123`],
    ["consumer group whose id holds a '/' (written %2F)", `${CLUSTER_CRN}/kafka=lkc-demo01/group=team%2Fapp`],
    [
      "transactional id prefix holding a '/'",
      `${CLUSTER_CRN}/kafka=lkc-demo01/transactional-id=team%2Fapp-*`,
    ],
    ["certificate authority", `crn://confluent.cloud/organization=${ORG}/certificate-authority=op-12345`],
    [
      "certificate identity pool",
      `crn://confluent.cloud/organization=${ORG}/certificate-identity-pool=pool-12345`,
    ],
    [
      "certificate identity pool under its authority",
      `crn://confluent.cloud/organization=${ORG}/certificate-authority=op-12345/certificate-identity-pool=pool-12345`,
    ],
    [
      "URL-encoded topic",
      `crn%3A%2F%2Fconfluent.cloud%2Forganization%3D${ORG}%2Fenvironment%3Denv-demo01%2Fcloud-cluster%3Dlkc-demo01%2Fkafka%3Dlkc-demo01%2Ftopic%3Dorders`,
    ],
  ])("passes a well-formed %s CRN", async (_label, crnPattern) => {
    expect(await runResource(policy, roleBinding({ crnPattern }))).toEqual([]);
  });

  it.each([
    ["a wrong scheme", `https://confluent.cloud/organization=${ORG}`, 'it must start with "crn://"'],
    [
      "another authority",
      `crn://api.confluent.cloud/organization=${ORG}`,
      'its authority must be "confluent.cloud", not "api.confluent.cloud"',
    ],
    [
      "no organization first",
      "crn://confluent.cloud/environment=env-demo01",
      'it must begin with "organization=<organization id>", not "environment="',
    ],
    [
      "an organization name instead of its id",
      "crn://confluent.cloud/organization=acme",
      '"organization=acme" is not a valid value; expected the organization\'s UUID',
    ],
    [
      "a topic without kafka=",
      `${CLUSTER_CRN}/topic=orders`,
      '"topic=" cannot follow "cloud-cluster="; expected one of: kafka, connector, ksql',
    ],
    [
      "segments out of order",
      `crn://confluent.cloud/organization=${ORG}/cloud-cluster=lkc-demo01/environment=env-demo01`,
      '"cloud-cluster=" cannot follow "organization="; expected one of: environment, service-account, user, identity-provider, identity-pool, group-mapping, ip-group, ip-filter, invitation, role-binding, api-key, key, certificate-authority, certificate-identity-pool',
    ],
    [
      "a segment after a topic",
      `${TOPIC_CRN}/group=g1`,
      '"group=" cannot follow "topic=", which names a single resource and must come last',
    ],
    [
      "a mismatched kafka id",
      `${CLUSTER_CRN}/kafka=lkc-other1/topic=orders`,
      '"kafka=lkc-other1" must name the same cluster as "cloud-cluster=lkc-demo01"',
    ],
    [
      "a wildcard in the middle",
      `${CLUSTER_CRN}/kafka=lkc-demo01/topic=ord*ers`,
      'a wildcard "*" may only end the last segment ("topic=ord*ers")',
    ],
    [
      "a wildcard before the last segment",
      `crn://confluent.cloud/organization=${ORG}/environment=env-*/cloud-cluster=lkc-demo01`,
      'a wildcard "*" may only end the last segment ("environment=env-*")',
    ],
    [
      "a wildcard on an id",
      `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/cloud-cluster=*`,
      '"cloud-cluster=" takes an exact id (lkc-…), not a wildcard',
    ],
    [
      "a bad environment id",
      `crn://confluent.cloud/organization=${ORG}/environment=prod`,
      '"environment=prod" is not a valid value; expected env-…',
    ],
    [
      "an unknown kind",
      `crn://confluent.cloud/organization=${ORG}/cluster=lkc-demo01`,
      '"cluster" is not a kind of Confluent resource',
    ],
    [
      "a segment without =",
      `crn://confluent.cloud/organization=${ORG}/env-demo01`,
      'segment "env-demo01" is not of the form <kind>=<id>',
    ],
    [
      "an empty value",
      `crn://confluent.cloud/organization=${ORG}/environment=`,
      '"environment=" has no value; expected env-…',
    ],
    [
      "a trailing slash",
      `crn://confluent.cloud/organization=${ORG}/`,
      'it ends with "/"; remove the trailing slash',
    ],
    [
      "a double slash",
      `crn://confluent.cloud/organization=${ORG}//environment=env-demo01`,
      'it has an empty segment ("//")',
    ],
    ["no resource", "crn://confluent.cloud", 'it names no resource; add "/organization=<organization id>"'],
    [
      "an illegal topic name",
      `${CLUSTER_CRN}/kafka=lkc-demo01/topic=my topic`,
      "\"topic=my topic\" is not a valid value; expected a topic name of letters, digits, '.', '_' and '-'",
    ],
    [
      "a malformed percent-escape",
      `${TOPIC_CRN}%2`,
      "it holds a malformed percent-escape (a '%' not followed by two hex digits)",
    ],
    [
      "an encoded topic without kafka= (judged like the decoded form)",
      `${CLUSTER_CRN}/topic%3Dorders`,
      '"topic=" cannot follow "cloud-cluster="; expected one of: kafka, connector, ksql',
    ],
    [
      "an encoded '/' used as a separator (it belongs to the cluster id)",
      `${CLUSTER_CRN}%2Fkafka%3Dlkc-demo01%2Ftopic%3Dorders`,
      '"cloud-cluster=lkc-demo01/kafka=lkc-demo01/topic=orders" is not a valid value; expected lkc-… ("%2F" is a "/" inside the value, not a separator)',
    ],
  ])("reports %s", async (_label, crnPattern, problem) => {
    expect(await runResource(policy, roleBinding({ crnPattern }))).toEqual([bad(crnPattern, problem)]);
  });

  it("reports a crnPattern that is not a string", async () => {
    expect(await runResource(policy, roleBinding({ crnPattern: ["crn://confluent.cloud"] }))).toEqual([
      'crnPattern must be a string such as "crn://confluent.cloud/organization=<org id>/environment=env-…".',
    ]);
  });

  it("does not judge a crnPattern unknown during preview", async () => {
    expect(await runResource(policy, roleBinding({ crnPattern: UNKNOWN }))).toEqual([]);
  });
});
