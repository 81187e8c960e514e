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

/** Parses `a.b.c.d/n` or `x:y::z/n`; never throws. */
export function parseCidr(input: string): CidrParseResult {
  const slash = input.indexOf("/");
  if (slash === -1) return { ok: false, problem: "is not in CIDR notation (<address>/<prefix length>)" };
  const address = input.slice(0, slash);
  const prefixText = input.slice(slash + 1);
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
  return { ok: true, cidr: { family, address, prefix, hostBitsSet: (value & hostMask) !== 0n, network } };
}
