/**
 * IpGroup: iam/v2 ip-groups. Name 1–64 characters, at least one CIDR block; both update in place. The CIDR
 * list is a set: order does not matter. A group still used by an IP filter cannot be deleted (409).
 */
import { z } from "zod";
import type { Spec } from "../spec";
import { asSet, findInList, metadataSchema, seg } from "./common";

const PATH = "/iam/v2/ip-groups";

const CIDR =
  /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(3[0-2]|[12]?\d)$|^[0-9a-fA-F:]+\/(12[0-8]|1[01]\d|\d?\d)$/;

export const ipGroupInputs = z.object({
  groupName: z.string().min(1).max(64),
  cidrBlocks: z
    .array(
      z
        .string()
        .regex(CIDR, { message: "must be a CIDR block such as 192.168.0.0/24; fix the address or mask" }),
    )
    .min(1),
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

export const ipGroupSpec: Spec<IpGroupInputs, IpGroupResponse> = {
  kind: "IpGroup",
  noun: "IP group",
  importIdFormat: "ipg-…",
  importIdPattern: /^ipg-[^\s/]+$/,
  inputs: ipGroupInputs,
  response: ipGroupResponse,
  replaceOnChange: [],
  updateInPlace: ["groupName", "cidrBlocks"],
  normalize: { cidrBlocks: asSet },
  secretOutputs: [],
  goneStatuses: [404],
  readPermissionHint: "Grant the credentials' owner OrganizationAdmin (IP groups are organization-wide).",

  locate: (id) => ({ id }),
  createRequest: (i) => ({ path: PATH, body: { group_name: i.groupName, cidr_blocks: i.cidrBlocks } }),
  itemRoute: (loc) => ({ path: `${PATH}/${seg(loc.id)}` }),
  listRoute: () => ({ path: PATH }),
  updateRequest: (loc, changed) => ({
    path: `${PATH}/${seg(loc.id)}`,
    body: { group_name: changed.groupName, cidr_blocks: changed.cidrBlocks },
  }),

  idOf: (b) => b.id,
  toOutputs: (b) => ({ groupName: b.group_name, cidrBlocks: b.cidr_blocks }),

  findExisting: (client, i) =>
    findInList(client, PATH, ipGroupResponse, (g) => g.group_name === i.groupName, { pageSize: 100 }),
  describeUnique: (i) => `group name ${JSON.stringify(i.groupName)}`,
  deleteHints: { 409: "An IP filter still uses this group: remove it from the filter's ipGroups first." },
};
