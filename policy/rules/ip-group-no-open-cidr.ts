import type { ResourceValidationPolicy } from "@pulumi/policy";
import { ALL_ADDRESSES, mappedIpv4Of, parseCidr } from "../shared/cidr";
import { isConfluentType, isUnknown, readKnownProps } from "../shared/resource";

function problemsOf(blocks: readonly unknown[]): string[] {
  const problems: string[] = [];
  blocks.forEach((block, index) => {
    if (block === undefined) return;
    if (isUnknown(block)) {
      problems.push(`entry ${index} is not known at preview, so it cannot be checked`);
      return;
    }
    if (typeof block !== "string") {
      problems.push(`entry ${index} is not a string`);
      return;
    }
    const parsed = parseCidr(block);
    if (!parsed.ok) {
      problems.push(`"${block}" ${parsed.problem}`);
      return;
    }
    const { cidr } = parsed;
    const { space } = cidr;
    const family = space.family === 4 ? "IPv4" : "IPv6";
    const mapped = space.family === 4 && cidr.family === 6 ? " (an IPv4-mapped IPv6 block)" : "";
    const v4 = mappedIpv4Of(cidr);
    if (space.prefix === 0) problems.push(`"${block}" allows every ${family} address${mapped}`);
    else if (space.prefix === 1) problems.push(`"${block}" allows half of all ${family} addresses${mapped}`);
    else if (v4 !== undefined && v4.first === 0n && v4.last === ALL_ADDRESSES[4].last)
      problems.push(`"${block}" allows every IPv4 address (it holds all of ::ffff:0:0/96, IPv4-mapped IPv6)`);
    else if (cidr.hostBitsSet)
      problems.push(`"${block}" has host bits set (did you mean "${cidr.network}"?)`);
  });
  return problems;
}

/**
 * An IP group that admits the whole internet defeats IP filtering; an invalid block fails at apply time.
 * Fails closed: blocks not known at preview are reported, since they could be anything.
 */
export const ipGroupNoOpenCidr: ResourceValidationPolicy = {
  name: "ip-group-no-open-cidr",
  description: "IP groups do not allow the whole internet and hold only valid CIDR blocks.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!isConfluentType(args.type, "IpGroup")) return;
    const { cidrBlocks } = readKnownProps(args.props);
    if (cidrBlocks === undefined) return;
    if (isUnknown(cidrBlocks)) {
      reportViolation(
        `IP group cidrBlocks is not known at preview (it is computed from another resource's output), so it ` +
          `cannot be checked for networks open to the whole internet; list the blocks as literal strings, or ` +
          `compute them from values known before the update (stack config).`,
      );
      return;
    }
    if (!Array.isArray(cidrBlocks)) {
      reportViolation(`cidrBlocks must be a list of CIDR blocks such as ["203.0.113.0/24"].`);
      return;
    }
    const problems = problemsOf(cidrBlocks);
    if (problems.length === 0) return;
    reportViolation(
      `IP group cidrBlocks: ${problems.join("; ")}. List only the networks that need access, as valid CIDR ` +
        `blocks such as "203.0.113.0/24".`,
    );
  },
};
