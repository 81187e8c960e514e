import { ipGroupsNoOpenUnion as policy } from "pulumi-confluent-iam/policy";
import { ipGroup, runStack, UNKNOWN } from "./helpers";

const everyPublic = (from: string, family: string) =>
  `${from} every public ${family} address (the whole internet, in pieces); list only the networks that need ` +
  'access, such as "203.0.113.0/24".';

describe("ip-groups-no-open-union", () => {
  it("is a mandatory stack policy with a threshold per family", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(Object.keys(policy.configSchema?.properties ?? {})).toEqual([
      "maxPublicIpv4Addresses",
      "maxPublicIpv6Addresses",
    ]);
  });

  it("passes the baseline, private networks and several narrow groups", async () => {
    expect(await runStack(policy, [ipGroup()])).toEqual([]);
    expect(
      await runStack(policy, [
        ipGroup({ cidrBlocks: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fd00::/8"] }, "private"),
        ipGroup({ cidrBlocks: ["198.51.100.0/24", "8.8.8.0/24"] }, "office"),
      ]),
    ).toEqual([]);
  });

  it("reports the internet as four /2s in one group (evasion of issue 23)", async () => {
    const group = ipGroup({ cidrBlocks: ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"] });
    expect(await runStack(policy, [group])).toEqual([
      { message: everyPublic('IP group "office" opens', "IPv4") },
    ]);
  });

  it("reports the internet as eight /3s", async () => {
    const blocks = [0, 32, 64, 96, 128, 160, 192, 224].map((n) => `${n}.0.0.0/3`);
    expect(await runStack(policy, [ipGroup({ cidrBlocks: blocks })])).toEqual([
      { message: everyPublic('IP group "office" opens', "IPv4") },
    ]);
  });

  it("reports the same blocks spread over several IP groups", async () => {
    const a = ipGroup({ cidrBlocks: ["0.0.0.0/2", "64.0.0.0/2"] }, "a");
    const b = ipGroup({ cidrBlocks: ["128.0.0.0/2"] }, "b");
    const c = ipGroup({ cidrBlocks: ["::ffff:192.0.0.0/98"] }, "c");
    expect(await runStack(policy, [a, b, c])).toEqual([
      { message: everyPublic('IP groups "a", "b", "c" together open', "IPv4") },
    ]);
  });

  it("reports all public addresses even when the private ranges are left out", async () => {
    // Every public IPv4 address, skipping 10/8: still the whole internet.
    const blocks = [
      "0.0.0.0/5",
      "8.0.0.0/7",
      "11.0.0.0/8",
      "12.0.0.0/6",
      "16.0.0.0/4",
      "32.0.0.0/3",
      "64.0.0.0/2",
      "128.0.0.0/2",
      "192.0.0.0/2",
    ];
    expect(await runStack(policy, [ipGroup({ cidrBlocks: blocks })])).toEqual([
      { message: everyPublic('IP group "office" opens', "IPv4") },
    ]);
  });

  it("treats IPv4-mapped IPv6 blocks as IPv4 (::ffff:0:0/96 in four pieces)", async () => {
    const mapped = ["::ffff:0:0/98", "::ffff:64.0.0.0/98", "::ffff:128.0.0.0/98", "::ffff:192.0.0.0/98"];
    expect(await runStack(policy, [ipGroup({ cidrBlocks: mapped })])).toEqual([
      { message: everyPublic('IP group "office" opens', "IPv4") },
    ]);
  });

  it("leaves a block open on its own to ip-group-no-open-cidr (each mistake reported once)", async () => {
    for (const block of ["0.0.0.0/0", "0.0.0.0/1", "::/0", "8000::/1", "::ffff:0:0/96", "::/80"]) {
      expect(await runStack(policy, [ipGroup({ cidrBlocks: [block, "198.51.100.0/24"] })])).toEqual([]);
    }
  });

  it("reports IPv6 global unicast in pieces", async () => {
    const v6 = ipGroup({ cidrBlocks: ["2000::/4", "3000::/4"] });
    expect(await runStack(policy, [v6])).toEqual([
      { message: everyPublic('IP group "office" opens', "IPv6") },
    ]);
  });

  it("reports more public space than the threshold, and passes it when the threshold is raised", async () => {
    const big = ipGroup({ cidrBlocks: ["11.0.0.0/8", "12.0.0.0/8"] });
    const over =
      'IP group "office" opens 2^25 public IPv4 addresses (0.9% of the public IPv4 space), more than the 2^24 ' +
      "this policy's maxPublicIpv4Addresses setting allows; narrow the blocks, or raise maxPublicIpv4Addresses " +
      "if this much must be open.";
    expect(await runStack(policy, [big])).toEqual([{ message: over }]);
    expect(await runStack(policy, [big], { maxPublicIpv4Addresses: 2 ** 25 })).toEqual([]);
    expect(
      await runStack(policy, [ipGroup({ cidrBlocks: ["8.8.8.0/24"] })], { maxPublicIpv4Addresses: 255 }),
    ).toEqual([
      {
        message:
          'IP group "office" opens 2^8 public IPv4 addresses (0% of the public IPv4 space), more than the 255 ' +
          "this policy's maxPublicIpv4Addresses setting allows; narrow the blocks, or raise maxPublicIpv4Addresses " +
          "if this much must be open.",
      },
    ]);
  });

  it("counts overlapping blocks once", async () => {
    const twice = ipGroup({ cidrBlocks: ["11.0.0.0/8", "11.0.0.0/9", "::ffff:11.0.0.0/104"] });
    expect(await runStack(policy, [twice])).toEqual([]);
  });

  it("leaves blocks unknown during preview and invalid blocks to ip-group-no-open-cidr", async () => {
    const unknown = ipGroup({ cidrBlocks: UNKNOWN }, "later");
    const partly = ipGroup({ cidrBlocks: ["0.0.0.0/2", UNKNOWN, "fe80::%eth0/64", "nope"] }, "partly");
    expect(await runStack(policy, [unknown, partly])).toEqual([
      {
        message:
          'IP group "partly" opens 1040187392 public IPv4 addresses (28% of the public IPv4 space), more than the 2^24 ' +
          "this policy's maxPublicIpv4Addresses setting allows; narrow the blocks, or raise maxPublicIpv4Addresses " +
          "if this much must be open.",
      },
    ]);
  });
});
