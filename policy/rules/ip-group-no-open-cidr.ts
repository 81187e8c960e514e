import type { ResourceValidationPolicy } from "@pulumi/policy";
import { parseCidr } from "../shared/cidr";
import { isConfluentType, readProps } from "../shared/resource";

function problemsOf(blocks: readonly unknown[]): string[] {
  const problems: string[] = [];
  blocks.forEach((block, index) => {
    if (block === undefined) return;
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
    const family = cidr.family === 4 ? "IPv4" : "IPv6";
    if (cidr.prefix === 0) problems.push(`"${block}" allows every ${family} address`);
    else if (cidr.prefix === 1) problems.push(`"${block}" allows half of all ${family} addresses`);
    else if (cidr.hostBitsSet)
      problems.push(`"${block}" has host bits set (did you mean "${cidr.network}"?)`);
  });
  return problems;
}

/** An IP group that admits the whole internet defeats IP filtering; an invalid block fails at apply time. */
export const ipGroupNoOpenCidr: ResourceValidationPolicy = {
  name: "ip-group-no-open-cidr",
  description: "IP groups do not allow the whole internet and hold only valid CIDR blocks.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!isConfluentType(args.type, "IpGroup")) return;
    const { cidrBlocks } = readProps(args.props);
    if (cidrBlocks === undefined) return;
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
