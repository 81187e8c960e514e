/**
 * Words for users: zod issues turned into `{ property, reason }` (the reason says what to change), and the
 * errors the adapter raises. Kept apart from the adapter so the wording can be read (and tested) in one place.
 */
import type { z } from "zod";
import type { CheckFailure } from "../protocol";

/** `owner.id`, `cidrBlocks[1]` from a zod path. */
function propertyPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let cur = data;
  for (const p of path) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

const article = (t: string): string => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

function received(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}

/** Reasons for one zod issue (unrecognized keys give one failure per key). */
export function failuresFromIssue(issue: z.ZodIssue, data: unknown, kind: string): CheckFailure[] {
  const property = propertyPath(issue.path);
  const value = valueAt(data, issue.path);
  const one = (reason: string): CheckFailure[] => [{ property, reason }];
  switch (issue.code) {
    case "invalid_type":
      if (issue.received === "undefined") return one(`is required; set it to ${article(issue.expected)}`);
      return one(
        `must be ${article(issue.expected)} (got ${received(value)}); change it to ${article(issue.expected)}`,
      );
    case "too_big":
      if (issue.type === "string" && typeof value === "string")
        return one(`must be at most ${issue.maximum} characters (got ${value.length}); shorten it`);
      if (issue.type === "array" && Array.isArray(value))
        return one(`must list at most ${issue.maximum} items (got ${value.length}); remove some`);
      return one(issue.message);
    case "too_small":
      if (issue.type === "string" && typeof value === "string") {
        if (issue.minimum === 1) return one("must not be empty; set a non-empty value");
        return one(`must be at least ${issue.minimum} characters (got ${value.length}); lengthen it`);
      }
      if (issue.type === "array" && Array.isArray(value)) {
        const min = Number(issue.minimum);
        return one(
          `must list at least ${min} item${min === 1 ? "" : "s"} (got ${value.length}); add ${
            value.length === 0 && min === 1 ? "one" : "more"
          }`,
        );
      }
      return one(issue.message);
    case "invalid_enum_value":
      return one(
        `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(", ")} (got ${received(
          value,
        )}); use one of them`,
      );
    case "unrecognized_keys":
      return issue.keys.map((k) => ({
        property: propertyPath([...issue.path, k]),
        reason: `is not a property of ${kind}; remove it or correct its spelling`,
      }));
    case "invalid_union":
      return one(`has the wrong shape (got ${received(value)}); check this property's documentation`);
    default:
      return one(issue.message);
  }
}

/** Why the CLI's import command is never the advice (said wherever we tell users how to adopt an object). */
export const PULUMI_IMPORT_UNSUPPORTED =
  "the Pulumi CLI's pulumi import command does not work for dynamic providers: pulumi/pulumi#16175";

/** The exact resource option that adopts an existing object, as users should write it. */
export function importOption(importId: string): string {
  return `{ import: ${JSON.stringify(importId)} }`;
}

/** Who may create each kind (Confluent's predefined roles), for the hint of a create refused with 403. */
const CREATE_ROLES: Readonly<Record<string, string>> = {
  ServiceAccount: "OrganizationAdmin or AccountAdmin (service accounts are organization-wide)",
  RoleBinding:
    "OrganizationAdmin or AccountAdmin, or EnvironmentAdmin / CloudClusterAdmin on the environment / cluster " +
    "the CRN pattern names (granting OrganizationAdmin takes OrganizationAdmin)",
  ApiKey:
    "OrganizationAdmin for a Cloud API key; for a cluster's key, EnvironmentAdmin or CloudClusterAdmin over " +
    "that cluster, or ResourceKeyAdmin",
  Invitation: "OrganizationAdmin or AccountAdmin (invitations are organization-wide)",
  IpGroup: "OrganizationAdmin (IP groups are organization-wide)",
  IpFilter: "OrganizationAdmin (IP filters are organization-wide)",
  IdentityProvider: "OrganizationAdmin or AccountAdmin (identity providers are organization-wide)",
  IdentityPool: "OrganizationAdmin or AccountAdmin (identity pools are organization-wide)",
  ProviderIntegration: "OrganizationAdmin, or EnvironmentAdmin on the integration's environment",
  ByokKey: "OrganizationAdmin (BYOK keys are organization-wide)",
};

/**
 * A create the API refused with 403: the object is named, the answer quoted, nothing claimed deleted (a
 * refused create made nothing), and the missing permission named.
 */
export function createDeniedMessage(
  kind: string,
  noun: string,
  /** The object's unique attributes, when the kind has them (`display name "ci"`). */
  what: string | undefined,
  /** The client's error message: method, path, 403 Forbidden, the API's detail and the request id. */
  answer: string,
): string {
  const roles = CREATE_ROLES[kind];
  return (
    `Cannot create ${noun}${what ? ` with ${what}` : ""}: ${answer}. ` +
    `The credentials in use lack the permission to create it; nothing was created. ` +
    (roles
      ? `Missing permission: grant the credentials' owner ${roles}, or run with credentials that have it.`
      : "Missing permission: run with credentials whose owner may create it.")
  );
}

/** An error's message, or the thrown value as text. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
