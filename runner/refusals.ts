/**
 * What the runner refuses, and how it says so: each refusal names the feature and the alternative (the
 * Pulumi CLI, or what to do instead), before any API call (up previews first).
 */
import type * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { DYNAMIC_PREFIX } from "../protocol";

/** The alternative named by every refusal. */
export const USE_CLI = "or run this program with the Pulumi CLI";

/** A program error in the words of this runner: the SDK's own refusal of transforms names the wrong fix. */
export function explainProgramError(text: string): string {
  if (text.includes("does not support transforms")) {
    return (
      "the transforms resource option is not supported by confluent-iam; use transformations (which " +
      `the SDK applies in the program), ${USE_CLI}`
    );
  }
  return text;
}

/** What a registration asks for that this runner does not do, as sentences naming the alternative. */
export function unsupportedOptions(req: resproto.RegisterResourceRequest): string[] {
  const out: string[] = [];
  const custom = req.getCustom();
  const type = req.getType();
  if (custom && !type.startsWith(`${DYNAMIC_PREFIX}/`)) {
    out.push(
      `resources of other providers (${type}) are not supported by confluent-iam, which drives only ` +
        `dynamic-provider resources such as this package's; remove it from this program, ${USE_CLI}`,
    );
  }
  const t = req.getCustomtimeouts();
  if (t && (t.getCreate() || t.getUpdate() || t.getDelete())) {
    out.push(
      `the customTimeouts option is not supported by confluent-iam (Pulumi's dynamic-provider host ignores ` +
        `it); remove it and bound the whole run with CONFLUENT_IAM_RUN_TIMEOUT_MS, ${USE_CLI}`,
    );
  }
  if (req.getDeletedwith()) {
    out.push(`the deletedWith option is not supported by confluent-iam; remove it, ${USE_CLI}`);
  }
  if (custom && req.getProvider()) {
    out.push(`the provider option is not supported by confluent-iam; remove it, ${USE_CLI}`);
  }
  const hooks = req.getHooks();
  if (
    hooks &&
    [
      hooks.getBeforeCreateList(),
      hooks.getAfterCreateList(),
      hooks.getBeforeUpdateList(),
      hooks.getAfterUpdateList(),
      hooks.getBeforeDeleteList(),
      hooks.getAfterDeleteList(),
    ].some((l) => l.length > 0)
  ) {
    out.push(`the hooks option is not supported by confluent-iam; remove it, ${USE_CLI}`);
  }
  return out;
}
