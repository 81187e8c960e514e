import type { StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import {
  ALL_ADDRESSES,
  mappedIpv4Of,
  mergeRanges,
  overlapSize,
  parseCidr,
  PUBLIC_IPV4,
  PUBLIC_IPV6,
  type AddressRange,
  type Cidr,
} from "../shared/cidr";
import { isConfluentType, readProps } from "../shared/resource";

const DEFAULT_MAX_IPV4 = 2 ** 24; // one /8
const DEFAULT_MAX_IPV6 = 2 ** 96; // one /32

const configSchema = z
  .object({
    maxPublicIpv4Addresses: z.number().nonnegative().default(DEFAULT_MAX_IPV4),
    maxPublicIpv6Addresses: z.number().nonnegative().default(DEFAULT_MAX_IPV6),
  })
  // The CLI validates config against the JSON schema below; anything else keeps the defaults.
  .catch({ maxPublicIpv4Addresses: DEFAULT_MAX_IPV4, maxPublicIpv6Addresses: DEFAULT_MAX_IPV6 });

/** Settings of ip-groups-no-open-union. */
export interface NoOpenUnionConfig {
  /** How many public IPv4 addresses all IP groups together may open. @default 16777216 (a /8) */
  maxPublicIpv4Addresses?: number;
  /** How many public IPv6 addresses all IP groups together may open. @default 2^96 (a /32) */
  maxPublicIpv6Addresses?: number;
}

function openAlone(cidr: Cidr): boolean {
  if (cidr.space.prefix <= 1) return true;
  const v4 = mappedIpv4Of(cidr);
  return v4 !== undefined && v4.first === ALL_ADDRESSES[4].first && v4.last === ALL_ADDRESSES[4].last;
}

const size = (ranges: readonly AddressRange[]): bigint =>
  ranges.reduce((n, r) => n + (r.last - r.first + 1n), 0n);

/** `n` as a power of two when it is one ("2^24"), else in decimal. */
function count(n: bigint): string {
  if (n > 0n && (n & (n - 1n)) === 0n) return `2^${n.toString(2).length - 1}`;
  return n.toString();
}

function percent(part: bigint, whole: bigint): string {
  const tenths = Number((part * 1000n) / whole) / 10;
  return `${tenths}%`;
}

/**
 * Judges the union of every block of every IP group in the stack, so the internet cannot pass in pieces
 * (`0.0.0.0/2` … `192.0.0.0/2`, or the same blocks spread over several groups). IPv4-mapped IPv6 blocks
 * (`::ffff:0:0/96`) count as IPv4. Blocks not known at preview are left to ip-group-no-open-cidr, which
 * reports them; invalid blocks, and blocks open on their own (`/0`, `/1`), likewise.
 */
export const ipGroupsNoOpenUnion: StackValidationPolicy = {
  name: "ip-groups-no-open-union",
  description:
    "All IP groups of the stack together do not open the whole internet or more public addresses than allowed.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxPublicIpv4Addresses: {
        type: "number",
        minimum: 0,
        default: DEFAULT_MAX_IPV4,
        description:
          "How many public IPv4 addresses all IP groups together may open (default 16777216, a /8).",
      },
      maxPublicIpv6Addresses: {
        type: "number",
        minimum: 0,
        default: DEFAULT_MAX_IPV6,
        description: "How many public IPv6 addresses all IP groups together may open (default 2^96, a /32).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const v4: AddressRange[] = [];
    const v6: AddressRange[] = [];
    const groups: string[] = [];
    for (const resource of args.resources) {
      if (!isConfluentType(resource.type, "IpGroup")) continue;
      const { cidrBlocks } = readProps(resource.props);
      if (!Array.isArray(cidrBlocks)) continue;
      let counted = false;
      for (const block of cidrBlocks) {
        if (typeof block !== "string") continue;
        const parsed = parseCidr(block);
        if (!parsed.ok) continue;
        const { space } = parsed.cidr;
        // A block that is open on its own (/0, /1, all of IPv4-mapped IPv6) is ip-group-no-open-cidr's to
        // report; each mistake is reported once.
        if (openAlone(parsed.cidr)) continue;
        counted = true;
        (space.family === 4 ? v4 : v6).push(space);
        const mapped = mappedIpv4Of(parsed.cidr);
        if (mapped !== undefined) v4.push(mapped);
      }
      if (counted) groups.push(`"${resource.name}"`);
    }
    if (groups.length === 0) return;
    const config = configSchema.parse(args.getConfig<NoOpenUnionConfig>());
    const from =
      groups.length === 1 ? `IP group ${groups[0]} opens` : `IP groups ${groups.join(", ")} together open`;
    const families: [string, AddressRange[], readonly AddressRange[], number, string][] = [
      ["IPv4", mergeRanges(v4), PUBLIC_IPV4, config.maxPublicIpv4Addresses, "maxPublicIpv4Addresses"],
      ["IPv6", mergeRanges(v6), PUBLIC_IPV6, config.maxPublicIpv6Addresses, "maxPublicIpv6Addresses"],
    ];
    for (const [family, union, publicSpace, max, setting] of families) {
      if (union.length === 0) continue;
      const open = overlapSize(union, publicSpace);
      const whole = size(publicSpace);
      if (open === whole) {
        reportViolation(
          `${from} every public ${family} address (the whole internet, in pieces); list only the networks ` +
            `that need access, such as "203.0.113.0/24".`,
        );
        continue;
      }
      const limit = BigInt(Math.floor(max));
      if (open <= limit) continue;
      reportViolation(
        `${from} ${count(open)} public ${family} addresses (${percent(open, whole)} of the public ${family} ` +
          `space), more than the ${count(limit)} this policy's ${setting} setting allows; narrow the blocks, or ` +
          `raise ${setting} if this much must be open.`,
      );
    }
  },
};
