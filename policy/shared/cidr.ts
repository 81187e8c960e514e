// A small CIDR parser for IP groups: IPv4 and IPv6, with the checks the IP-group policy needs. Node's
// `net.isIPv4/isIPv6` validate addresses; the host-bit check needs the address as a number, done here with
// BigInt so both families share one path.
import { isIPv4, isIPv6 } from "net";

/** A parsed CIDR block. */
export interface Cidr {
  /** 4 or 6. */
  readonly family: 4 | 6;
  /** The address part as written. */
  readonly address: string;
  /** The prefix length. */
  readonly prefix: number;
  /** Whether bits beyond the prefix are set (e.g. `10.0.0.1/8`). */
  readonly hostBitsSet: boolean;
  /** The block with host bits cleared, as `address/prefix`. */
  readonly network: string;
  /**
   * The address space the block really covers: an IPv4-mapped IPv6 block (inside `::ffff:0:0/96`, all of
   * IPv4 written as IPv6) is the IPv4 block it maps (`::ffff:0:0/96` is `0.0.0.0/0`); any other block is
   * itself.
   */
  readonly space: {
    readonly family: 4 | 6;
    readonly prefix: number;
    readonly first: bigint;
    readonly last: bigint;
  };
}

/** The parser's verdict: a block, or a problem that completes `"<input>" ...`. */
export type CidrParseResult =
  { readonly ok: true; readonly cidr: Cidr } | { readonly ok: false; readonly problem: string };

function ipv4ToBigInt(address: string): bigint {
  return address.split(".").reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function bigIntToIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
}

function ipv6ToBigInt(address: string): bigint {
  let text = address;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToBigInt(v4[1]);
    text = `${text.slice(0, v4.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros =
    tail === undefined ? [] : new Array<string>(8 - headGroups.length - tailGroups.length).fill("0");
  return [...headGroups, ...zeros, ...tailGroups].reduce(
    (acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)),
    0n,
  );
}

function bigIntToIpv6(value: bigint): string {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  // Compress the longest run of zero groups, as RFC 5952 recommends.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart === -1) return groups.join(":");
  return `${groups.slice(0, bestStart).join(":")}::${groups.slice(bestStart + bestLength).join(":")}`;
}

const MAPPED_PREFIX = 0xffffn << 32n;

function spaceOf(family: 4 | 6, networkValue: bigint, prefix: number): Cidr["space"] {
  if (family === 6 && prefix >= 96 && networkValue >> 32n === 0xffffn) {
    const v4prefix = prefix - 96;
    const first = networkValue - MAPPED_PREFIX;
    return { family: 4, prefix: v4prefix, first, last: first + (1n << BigInt(32 - v4prefix)) - 1n };
  }
  const bits = family === 4 ? 32 : 128;
  return { family, prefix, first: networkValue, last: networkValue + (1n << BigInt(bits - prefix)) - 1n };
}

/** Parses `a.b.c.d/n` or `x:y::z/n`; never throws. */
export function parseCidr(input: string): CidrParseResult {
  const slash = input.indexOf("/");
  if (slash === -1) return { ok: false, problem: "is not in CIDR notation (<address>/<prefix length>)" };
  const address = input.slice(0, slash);
  const prefixText = input.slice(slash + 1);
  const zone = address.indexOf("%");
  if (zone !== -1) {
    // node:net accepts "fe80::%eth0"; a zone id names a local interface and has no place in a network block.
    return {
      ok: false,
      problem: `has a zone id ("${address.slice(zone)}"), which only names a local interface; write the block without it`,
    };
  }
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : undefined;
  if (family === undefined) return { ok: false, problem: `has an invalid IP address "${address}"` };
  const bits = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    return { ok: false, problem: `has a prefix length "${prefixText}" outside 0–${bits}` };
  }
  const prefix = Number(prefixText);
  const value = family === 4 ? ipv4ToBigInt(address) : ipv6ToBigInt(address);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const networkValue = value & ~hostMask;
  const network = `${family === 4 ? bigIntToIpv4(networkValue) : bigIntToIpv6(networkValue)}/${prefix}`;
  const hostBitsSet = (value & hostMask) !== 0n;
  return {
    ok: true,
    cidr: { family, address, prefix, hostBitsSet, network, space: spaceOf(family, networkValue, prefix) },
  };
}

/** An inclusive range of addresses of one family. */
export interface AddressRange {
  readonly first: bigint;
  readonly last: bigint;
}

/** The ranges sorted and merged (overlapping or adjacent ranges become one). */
export function mergeRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: { first: bigint; last: bigint }[] = [];
  for (const r of sorted) {
    const top = out[out.length - 1];
    if (top !== undefined && r.first <= top.last + 1n) {
      if (r.last > top.last) top.last = r.last;
    } else out.push({ first: r.first, last: r.last });
  }
  return out;
}

/** How many addresses of `ranges` (merged) fall inside `within` (merged). */
export function overlapSize(ranges: readonly AddressRange[], within: readonly AddressRange[]): bigint {
  let total = 0n;
  for (const a of ranges) {
    for (const b of within) {
      const first = a.first > b.first ? a.first : b.first;
      const last = a.last < b.last ? a.last : b.last;
      if (first <= last) total += last - first + 1n;
    }
  }
  return total;
}

/** The ranges of `blocks` (CIDR text that must parse). */
function rangesOf(blocks: readonly string[]): AddressRange[] {
  const out: AddressRange[] = [];
  for (const block of blocks) {
    const parsed = parseCidr(block);
    if (!parsed.ok) throw new Error(`bad built-in block ${block}`);
    out.push(parsed.cidr.space);
  }
  return out;
}

/** `whole` less the ranges of `holes`, merged. */
function subtract(whole: AddressRange, holes: readonly AddressRange[]): AddressRange[] {
  const out: AddressRange[] = [];
  let next = whole.first;
  for (const h of mergeRanges(holes)) {
    if (h.first > next) out.push({ first: next, last: h.first - 1n });
    if (h.last + 1n > next) next = h.last + 1n;
  }
  if (next <= whole.last) out.push({ first: next, last: whole.last });
  return out;
}

/**
 * The public IPv4 space: everything but the special-purpose blocks of the IANA IPv4 Special-Purpose
 * Address Registry (RFC 6890 and successors) that are not globally reachable: "this network", private
 * (RFC 1918), shared (RFC 6598), loopback, link-local, IETF protocol assignments, documentation, benchmarking,
 * multicast and reserved.
 */
export const PUBLIC_IPV4: readonly AddressRange[] = subtract(
  { first: 0n, last: (1n << 32n) - 1n },
  rangesOf([
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/3",
  ]),
);

/**
 * The public IPv6 space: global unicast (`2000::/3`) less documentation (`2001:db8::/32`). IPv4-mapped
 * blocks are counted as IPv4.
 */
export const PUBLIC_IPV6: readonly AddressRange[] = subtract(
  rangesOf(["2000::/3"])[0],
  rangesOf(["2001:db8::/32"]),
);

/** Every address of a family. */
export const ALL_ADDRESSES: Readonly<Record<4 | 6, AddressRange>> = {
  4: { first: 0n, last: (1n << 32n) - 1n },
  6: { first: 0n, last: (1n << 128n) - 1n },
};

const MAPPED_RANGE: AddressRange = { first: MAPPED_PREFIX, last: MAPPED_PREFIX + (1n << 32n) - 1n };

/**
 * The IPv4 addresses an IPv6 block reaches through the IPv4-mapped range `::ffff:0:0/96` it contains or
 * overlaps (`::/80` holds all of it), as an IPv4 range; `undefined` when it reaches none. A block inside
 * the mapped range is already IPv4 in its `space`.
 */
export function mappedIpv4Of(cidr: Cidr): AddressRange | undefined {
  if (cidr.space.family !== 6) return undefined;
  const first = cidr.space.first > MAPPED_RANGE.first ? cidr.space.first : MAPPED_RANGE.first;
  const last = cidr.space.last < MAPPED_RANGE.last ? cidr.space.last : MAPPED_RANGE.last;
  if (first > last) return undefined;
  return { first: first - MAPPED_PREFIX, last: last - MAPPED_PREFIX };
}
