/**
 * Inputs refused at preview (check), each with a message naming the field and the fix (issue 10 items 7, 11
 * and 12; issue 11's IP-group limits): ids in their API formats (never "." or ".."), real CIDR parsing,
 * names without control characters or blanks, and the IP-filtering name rule and 25-block limit.
 */
import { adapters } from "pulumi-confluent-iam/provider";
import { seg } from "../../provider/specs/common";
import { cidrProblem } from "../../provider/specs/ip-group";

const check = async (kind: string, news: Record<string, unknown>) =>
  (await adapters[kind]!.check({}, news)).failures;

describe("ids are checked against their API formats at preview", () => {
  it('an identity pool under identityProvider ".." is refused, naming the field', async () => {
    expect(
      await check("IdentityPool", {
        identityProvider: { id: ".." },
        displayName: "pool",
        identityClaim: "claims.sub",
        filter: "true",
      }),
    ).toEqual([{ property: "identityProvider.id", reason: "must be an id such as op-abc123; fix it" }]);
  });

  it("an API key's owner, resource and environment ids are checked", async () => {
    expect(
      await check("ApiKey", {
        owner: { id: "." },
        managedResource: { id: "../lkc-1", environment: { id: "env-a/b" } },
      }),
    ).toEqual([
      { property: "owner.id", reason: "must be an id such as sa-abc123 (or u-…, pool-…); fix it" },
      { property: "managedResource.id", reason: "must be an id such as lkc-abc123; fix it" },
      { property: "managedResource.environment.id", reason: "must be an id such as env-abc123; fix it" },
    ]);
  });

  it("the recorded API-key resource ids (a cluster, a region, global, tableflow) are accepted", async () => {
    for (const id of ["lkc-zmmq63", "global", "tableflow"]) {
      expect(await check("ApiKey", { owner: { id: "sa-12mgdv" }, managedResource: { id } })).toEqual([]);
    }
    // A Flink region key names its environment, as the recorded request does (without it: api-key-kinds.test.ts).
    const region = { id: "aws.us-east-1", environment: { id: "env-3732nw" } };
    expect(await check("ApiKey", { owner: { id: "sa-12mgdv" }, managedResource: region })).toEqual([]);
  });

  it("a provider integration's environment, and an IP filter's IP group ids, are checked", async () => {
    expect(
      await check("ProviderIntegration", {
        displayName: "s3",
        environment: { id: ".." },
        aws: { customerRoleArn: "arn:aws:iam::123456789012:role/r" },
      }),
    ).toEqual([{ property: "environment.id", reason: "must be an id such as env-abc123; fix it" }]);
    expect(
      await check("IpFilter", { filterName: "f", resourceGroup: "management", ipGroups: ["ipg-1", ".."] }),
    ).toEqual([{ property: "ipGroups[1]", reason: "must be an id such as ipg-abc123; fix it" }]);
  });

  it('an Azure key\'s resourceGroupName ".." and organizationName "." are refused, naming the fields', async () => {
    expect(
      await check("AzureMarketplaceApiKey", {
        subscriptionId: "00000000-0000-4000-8000-0000000000a1",
        resourceGroupName: "..",
        organizationName: ".",
        managedResource: { id: "lkc-demo01", environment: { id: "env-demo01" } },
      }),
    ).toEqual([
      {
        property: "resourceGroupName",
        reason:
          "must be an Azure resource group name: letters, digits and _ - . ( ), not ending in a period; fix it",
      },
      {
        property: "organizationName",
        reason:
          "must be the Confluent organization's Azure resource name: letters, digits and _ - ., not starting " +
          "or ending in a period; fix it",
      },
    ]);
  });

  it("seg() refuses . and .. (ids from import IDs or state never reach a path as dot segments)", () => {
    expect(() => seg("..")).toThrow(
      'Refusing to send ".." as an id in a request path: an id is never "." or "..". Fix the id in the ' +
        "program (or the import ID).",
    );
    expect(() => seg(".")).toThrow('Refusing to send "." as an id in a request path');
    expect(seg("a/b c")).toBe("a%2Fb%20c");
  });

  it("an import ID of .. is refused at preview", async () => {
    expect(await check("ServiceAccount", { displayName: "x", importId: ".." })).toEqual([
      { property: "importId", reason: 'must look like sa-…; got ".."' },
    ]);
  });
});

describe("CIDR blocks are parsed, not pattern-matched", () => {
  it.each([
    [
      "10/8",
      'must be a CIDR block such as 192.168.0.0/24 or 2001:db8::/32 (got "10/8"): "10" is not an IPv4 or IPv6 address; write the address in full',
    ],
    [
      ":::::::::/64",
      'must be a CIDR block such as 192.168.0.0/24 or 2001:db8::/32 (got ":::::::::/64"): ":::::::::" is not an IPv4 or IPv6 address; write the address in full',
    ],
    [
      "fe80::%eth0/64",
      'must be a CIDR block such as 192.168.0.0/24 or 2001:db8::/32 (got "fe80::%eth0/64"): "fe80::%eth0" is not an IPv4 or IPv6 address; write the address in full',
    ],
    [
      "10.0.0.0/33",
      'must be a CIDR block such as 192.168.0.0/24 or 2001:db8::/32 (got "10.0.0.0/33"): the prefix length of an IPv4 block is a number from 0 to 32; fix it',
    ],
    [
      "2001:db8::/129",
      'must be a CIDR block such as 192.168.0.0/24 or 2001:db8::/32 (got "2001:db8::/129"): the prefix length of an IPv6 block is a number from 0 to 128; fix it',
    ],
    [
      "10.0.0.0/+8",
      'must be a CIDR block such as 192.168.0.0/24 or 2001:db8::/32 (got "10.0.0.0/+8"): the prefix length of an IPv4 block is a number from 0 to 32; fix it',
    ],
    [
      "10.0.0.0",
      'must be a CIDR block such as 192.168.0.0/24 or 2001:db8::/32 (got "10.0.0.0"); add the prefix length',
    ],
  ])("%s is refused", (cidr, reason) => {
    expect(cidrProblem(cidr)).toBe(reason);
  });

  it.each(["::ffff:1.2.3.4/96", "10.0.0.0/8", "0.0.0.0/0", "2001:db8::/32", "::/0", "192.168.1.7/32"])(
    "%s is accepted",
    (cidr) => {
      expect(cidrProblem(cidr)).toBeUndefined();
    },
  );

  it("check names the block by its index", async () => {
    expect(await check("IpGroup", { groupName: "office", cidrBlocks: ["10.0.0.0/8", "10/8"] })).toEqual([
      {
        property: "cidrBlocks[1]",
        reason:
          'must be a CIDR block such as 192.168.0.0/24 or 2001:db8::/32 (got "10/8"): "10" is not an IPv4 or ' +
          "IPv6 address; write the address in full",
      },
    ]);
  });
});

describe("IP-group limits (iam-ip-filtering_v2.yaml) are checked at preview", () => {
  it("26 CIDR blocks are refused: at most 25", async () => {
    const blocks = Array.from({ length: 26 }, (_, i) => `10.0.${i}.0/24`);
    expect(await check("IpGroup", { groupName: "office", cidrBlocks: blocks })).toEqual([
      { property: "cidrBlocks", reason: "must list at most 25 items (got 26); remove some" },
    ]);
    expect(await check("IpGroup", { groupName: "office", cidrBlocks: blocks.slice(0, 25) })).toEqual([]);
  });

  it("a group name with a character outside letters, digits, space and [ ] | & + - _ / . , is refused", async () => {
    expect(await check("IpGroup", { groupName: "office #1", cidrBlocks: ["10.0.0.0/8"] })).toEqual([
      {
        property: "groupName",
        reason:
          'may contain only letters, digits, spaces and the characters [ ] | & + - _ / . , (got "office #1"); ' +
          "remove the other characters",
      },
    ]);
    expect(
      await check("IpGroup", { groupName: "Büro [EU] | R&D + ops-1_a/b.c,d", cidrBlocks: ["10.0.0.0/8"] }),
    ).toEqual([]);
  });

  it("an IP filter's name follows the same rule", async () => {
    expect(
      await check("IpFilter", {
        filterName: "mgmt: office",
        resourceGroup: "management",
        ipGroups: ["ipg-1"],
      }),
    ).toEqual([
      {
        property: "filterName",
        reason:
          'may contain only letters, digits, spaces and the characters [ ] | & + - _ / . , (got "mgmt: office"); ' +
          "remove the other characters",
      },
    ]);
  });
});

describe("names refuse control characters and blanks", () => {
  it("a service account's display name with NUL and a newline names the first one and its position", async () => {
    expect(await check("ServiceAccount", { displayName: "a\u0000b\nc" })).toEqual([
      {
        property: "displayName",
        reason: 'must not contain control characters (found "\\u0000" at position 1); remove it',
      },
    ]);
  });

  it("an all-blank display name is refused", async () => {
    expect(await check("ServiceAccount", { displayName: "   " })).toEqual([
      { property: "displayName", reason: "must not be blank; use a name with visible characters" },
    ]);
  });

  it.each([
    [
      "IdentityProvider",
      {
        displayName: " \u3000",
        issuer: "https://login.example.com/v2.0",
        jwksUri: "https://login.example.com/discovery/keys",
      },
      "displayName",
    ],
    [
      "IdentityPool",
      { identityProvider: { id: "op-1" }, displayName: " ", identityClaim: "claims.sub", filter: "true" },
      "displayName",
    ],
    [
      "ProviderIntegration",
      {
        displayName: "  ",
        environment: { id: "env-1" },
        aws: { customerRoleArn: "arn:aws:iam::123456789012:role/r" },
      },
      "displayName",
    ],
    ["ApiKey", { owner: { id: "sa-1" }, displayName: "  " }, "displayName"],
    [
      "ByokKey",
      { displayName: " ", aws: { keyArn: "arn:aws:kms:us-west-2:123456789012:key/k" } },
      "displayName",
    ],
    ["User", { fullName: " " }, "fullName"],
  ])("%s: a blank name is refused", async (kind, inputs, property) => {
    expect(await check(kind, inputs)).toEqual([
      { property, reason: "must not be blank; use a name with visible characters" },
    ]);
  });

  it('an API key\'s empty display name stays allowed (it is the default, "")', async () => {
    expect(await check("ApiKey", { owner: { id: "sa-1" }, displayName: "" })).toEqual([]);
  });

  it("a control character in an API key's or a user's name is refused", async () => {
    expect(await check("ApiKey", { owner: { id: "sa-1" }, displayName: "ci\u001b[31m" })).toEqual([
      {
        property: "displayName",
        reason: 'must not contain control characters (found "\\u001b" at position 2); remove it',
      },
    ]);
    expect(await check("User", { fullName: "Ann\u0085" })).toEqual([
      {
        property: "fullName",
        reason: 'must not contain control characters (found "\\u0085" at position 3); remove it',
      },
    ]);
  });
});
