/**
 * IpGroup: iam/v2 ip-groups. Name 1–64 letters, digits, spaces and `[ ] | & + - _ / . ,`; 1–25 CIDR blocks;
 * both update in place. The CIDR list is a set: order does not matter. A group still used by an IP filter cannot be deleted (409).
 */
import { isIP } from "node:net";
import { z } from "zod";
import { defineSpec } from "../fields";
import { asSet, findInList, IP_FILTERING_NAME, metadataSchema, nameInput } from "./common";

const PATH = "/iam/v2/ip-groups";

const CIDR_EXAMPLE = "such as 192.168.0.0/24 or 2001:db8::/32";

/**
 * Why `value` is not a CIDR block, or undefined when it is one: an IPv4 or IPv6 address as node:net
 * parses it (no zone id), a `/`, and a prefix length of 0–32 (IPv4) or 0–128 (IPv6) written in digits.
 */
export function cidrProblem(value: string): string | undefined {
  const slash = value.lastIndexOf("/");
  if (slash < 0)
    return `must be a CIDR block ${CIDR_EXAMPLE} (got ${JSON.stringify(value)}); add the prefix length`;
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  const version = isIP(address);
  if (version === 0 || address.includes("%")) {
    return (
      `must be a CIDR block ${CIDR_EXAMPLE} (got ${JSON.stringify(value)}): ${JSON.stringify(address)} is not ` +
      `an IPv4 or IPv6 address; write the address in full`
    );
  }
  const max = version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) {
    return (
      `must be a CIDR block ${CIDR_EXAMPLE} (got ${JSON.stringify(value)}): the prefix length of an IPv${version} ` +
      `block is a number from 0 to ${max}; fix it`
    );
  }
  return undefined;
}

/** At most this many CIDR blocks per group (iam-ip-filtering_v2.yaml `cidr_blocks.maxItems`). */
export const MAX_CIDR_BLOCKS = 25;

export const ipGroupInputs = z.object({
  groupName: nameInput({ max: 64, rule: IP_FILTERING_NAME }),
  cidrBlocks: z
    .array(
      z.string().superRefine((v, ctx) => {
        const problem = cidrProblem(v);
        if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
      }),
    )
    .min(1)
    .max(MAX_CIDR_BLOCKS),
});
export type IpGroupInputs = z.infer<typeof ipGroupInputs>;

export const ipGroupResponse = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    group_name: z.string(),
    cidr_blocks: z.array(z.string()),
  })
  .passthrough();
export type IpGroupResponse = z.infer<typeof ipGroupResponse>;

export const ipGroupSpec = defineSpec<IpGroupInputs, IpGroupResponse>({
  kind: "IpGroup",
  noun: "IP group",
  importIdFormat: "ipg-…",
  importIdPattern: /^ipg-[^\s/]+$/,
  inputs: ipGroupInputs,
  response: ipGroupResponse,
  goneStatuses: [404],
  readPermissionHint: "Grant the credentials' owner OrganizationAdmin (IP groups are organization-wide).",

  path: PATH,
  patch: true,
  listRead: { route: () => ({ path: PATH }) },
  fields: {
    groupName: { use: "update", api: "group_name" },
    cidrBlocks: { use: "update", api: "cidr_blocks", normalize: asSet },
  },

  findExisting: (client, i) =>
    findInList(client, PATH, ipGroupResponse, (g) => g.group_name === i.groupName, { pageSize: 100 }),
  describeUnique: (i) => `group name ${JSON.stringify(i.groupName)}`,
  deleteHints: { 409: "An IP filter still uses this group: remove it from the filter's ipGroups first." },
});
