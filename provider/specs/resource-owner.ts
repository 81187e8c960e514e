/**
 * `assignedResourceOwner` (service accounts, identity pools, certificate pools): the API's
 * `assigned_resource_owner` query parameter on create (iam_v2.yaml, identity-provider_v2.yaml,
 * certificate-authority_v2.yaml). The principal named gets the ResourceOwner
 * role on the new object in the same call, which needs no more than the right to create it; a separate
 * RoleBinding would need AlterAccess at organization scope, which an EnvironmentAdmin lacks
 * (terraform-provider-confluent #1036, #1258, #946). The API neither answers it back nor changes it later, so
 * it is a provider-only input: recorded in state, sent once, and a later change makes no API call but says so.
 */
import { z } from "zod";
import type { OperationContext, Query } from "../spec";
import type { PropertyMap } from "../../protocol";

/** A principal's resource id: user, service account, identity pool or group mapping. */
const PRINCIPAL_ID = /^(u|sa|pool|group)-[A-Za-z0-9]+$/;

/** The input: the principal's resource id (not `User:…`). */
export function assignedResourceOwnerInput() {
  return z
    .string()
    .regex(PRINCIPAL_ID, {
      message:
        "must be the id of the principal to own it: a user (u-…), service account (sa-…), identity pool " +
        '(pool-…) or group mapping (group-…), without "User:"; fix it',
    })
    .optional();
}

/** The create route's query for it. */
export function resourceOwnerQuery(owner: string | undefined): Query {
  return owner === undefined ? {} : { assigned_resource_owner: owner };
}

/**
 * An `afterUpdate` hook: when the program changes `assignedResourceOwner` after the create, nothing is sent
 * (the API assigns the owner only on create), and a progress line says what stays and how to change owners.
 */
export function noteResourceOwnerChange(kind: string, noun: string) {
  return (
    ctx: OperationContext,
    loc: { id: string },
    olds: PropertyMap,
    inputs: { assignedResourceOwner?: string },
    outs: PropertyMap,
  ): Promise<PropertyMap> => {
    const before = typeof olds.assignedResourceOwner === "string" ? olds.assignedResourceOwner : undefined;
    const after = inputs.assignedResourceOwner;
    if (before !== after) {
      ctx.log(
        `${kind} ${loc.id}: assignedResourceOwner is applied only when the ${noun} is created, so nothing ` +
          `was sent: ${before === undefined ? "no ResourceOwner was assigned then" : `${before} keeps its ResourceOwner role binding`}` +
          `${after === undefined ? "" : `, and ${after} gets none`}. To change who owns it, declare a RoleBinding ` +
          `(roleName "ResourceOwner", crnPattern the ${noun}'s CRN).`,
      );
    }
    return Promise.resolve(outs);
  };
}
