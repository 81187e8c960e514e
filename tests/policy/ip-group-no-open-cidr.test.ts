import { ipGroupNoOpenCidr as policy } from "pulumi-confluent-iam/policy";
import { parseCidr } from "../../policy/shared/cidr";
import { ipGroup, runResource, UNKNOWN } from "./helpers";

const FIX = 'List only the networks that need access, as valid CIDR blocks such as "203.0.113.0/24".';
const report = (problems: string) => `IP group cidrBlocks: ${problems}. ${FIX}`;

describe("ip-group-no-open-cidr", () => {
  it("is mandatory", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it("passes the baseline and narrow blocks", async () => {
    expect(await runResource(policy, ipGroup())).toEqual([]);
    expect(
      await runResource(
        policy,
        ipGroup({ cidrBlocks: ["10.0.0.0/8", "192.168.1.7/32", "::1/128", "fd00::/8"] }),
      ),
    ).toEqual([]);
  });

  it.each([
    ["0.0.0.0/0", '"0.0.0.0/0" allows every IPv4 address'],
    ["::/0", '"::/0" allows every IPv6 address'],
    ["0.0.0.0/1", '"0.0.0.0/1" allows half of all IPv4 addresses'],
    ["128.0.0.0/1", '"128.0.0.0/1" allows half of all IPv4 addresses'],
    ["8000::/1", '"8000::/1" allows half of all IPv6 addresses'],
    ["10.0.0.1/8", '"10.0.0.1/8" has host bits set (did you mean "10.0.0.0/8"?)'],
    ["2001:db8::1/32", '"2001:db8::1/32" has host bits set (did you mean "2001:db8::/32"?)'],
    ["10.0.0.0/33", '"10.0.0.0/33" has a prefix length "33" outside 0–32'],
    ["::/129", '"::/129" has a prefix length "129" outside 0–128'],
    ["300.0.0.0/8", '"300.0.0.0/8" has an invalid IP address "300.0.0.0"'],
    ["10.0.0.0", '"10.0.0.0" is not in CIDR notation (<address>/<prefix length>)'],
    ["10.0.0.0/", '"10.0.0.0/" has a prefix length "" outside 0–32'],
    // Issue 23: all of IPv4 written as IPv6 is the IPv4 space it is.
    ["::ffff:0:0/96", '"::ffff:0:0/96" allows every IPv4 address (an IPv4-mapped IPv6 block)'],
    ["::ffff:0.0.0.0/96", '"::ffff:0.0.0.0/96" allows every IPv4 address (an IPv4-mapped IPv6 block)'],
    [
      "::ffff:128.0.0.0/97",
      '"::ffff:128.0.0.0/97" allows half of all IPv4 addresses (an IPv4-mapped IPv6 block)',
    ],
    ["::/80", '"::/80" allows every IPv4 address (it holds all of ::ffff:0:0/96, IPv4-mapped IPv6)'],
    // Issue 10 item 11: a zone id made the parser throw RangeError (an UNKNOWN analyzer error).
    [
      "fe80::%eth0/64",
      '"fe80::%eth0/64" has a zone id ("%eth0"), which only names a local interface; write the block without it',
    ],
  ])("reports %s", async (block, problem) => {
    expect(await runResource(policy, ipGroup({ cidrBlocks: ["203.0.113.0/24", block] }))).toEqual([
      report(problem),
    ]);
  });

  it("lists every problem in one message", async () => {
    expect(await runResource(policy, ipGroup({ cidrBlocks: ["0.0.0.0/0", "::/0", 42] }))).toEqual([
      report(
        '"0.0.0.0/0" allows every IPv4 address; "::/0" allows every IPv6 address; entry 2 is not a string',
      ),
    ]);
  });

  it("reports cidrBlocks that is not a list", async () => {
    expect(await runResource(policy, ipGroup({ cidrBlocks: "0.0.0.0/0" }))).toEqual([
      'cidrBlocks must be a list of CIDR blocks such as ["203.0.113.0/24"].',
    ]);
  });

  it("passes a narrow IPv4-mapped block", async () => {
    expect(await runResource(policy, ipGroup({ cidrBlocks: ["::ffff:198.51.100.0/120"] }))).toEqual([]);
  });

  it("fails closed on cidrBlocks unknown during preview", async () => {
    expect(await runResource(policy, ipGroup({ cidrBlocks: UNKNOWN }))).toEqual([
      "IP group cidrBlocks is not known at preview (it is computed from another resource's output), so it " +
        "cannot be checked for networks open to the whole internet; list the blocks as literal strings, or " +
        "compute them from values known before the update (stack config).",
    ]);
  });

  it("fails closed on one block unknown during preview", async () => {
    expect(await runResource(policy, ipGroup({ cidrBlocks: ["10.0.0.0/8", UNKNOWN] }))).toEqual([
      report("entry 1 is not known at preview, so it cannot be checked"),
    ]);
  });

  it("parses embedded IPv4 in IPv6 and normalises the network", () => {
    expect(parseCidr("::ffff:10.0.0.1/120")).toEqual({
      ok: true,
      cidr: {
        family: 6,
        address: "::ffff:10.0.0.1",
        prefix: 120,
        hostBitsSet: true,
        network: "::ffff:a00:0/120",
        space: { family: 4, prefix: 24, first: 0x0a000000n, last: 0x0a0000ffn },
      },
    });
  });

  it("never throws on an address node:net accepts with a zone id", () => {
    expect(parseCidr("fe80::%eth0/64")).toEqual({
      ok: false,
      problem: 'has a zone id ("%eth0"), which only names a local interface; write the block without it',
    });
    expect(parseCidr("fe80::1%25/64").ok).toBe(false);
  });
});
