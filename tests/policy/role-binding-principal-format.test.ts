import { roleBindingPrincipalFormat as policy } from "pulumi-confluent-iam/policy";
import { roleBinding, runResource, UNKNOWN } from "./helpers";

describe("role-binding-principal-format", () => {
  it("is mandatory", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  // User:group-… is an SSO group mapping (the registry's GroupMapping example binds User:${groupMapping.id}).
  it.each(["User:sa-abc123", "User:u-demo01", "User:pool-Ab12", "User:group-Ab12", "Group:group-abc1"])(
    "passes %s",
    async (principal) => {
      expect(await runResource(policy, roleBinding({ principal }))).toEqual([]);
    },
  );

  it("passes the principal of a certificate pool as the emulator makes it (User:pool-…)", async () => {
    expect(await runResource(policy, roleBinding({ principal: "User:pool-00000a" }))).toEqual([]);
  });

  it("explains that a binding to an invitation id never takes effect", async () => {
    expect(await runResource(policy, roleBinding({ principal: "User:i-7od91" }))).toEqual([
      'principal "User:i-7od91" is an invitation id, and a binding to an invitation never takes effect; ' +
        'bind the user id that the invitation created once it is accepted ("User:u-…", the Invitation\'s ' +
        "users[0].id output).",
    ]);
  });

  it("suggests the User: prefix for a bare id", async () => {
    expect(await runResource(policy, roleBinding({ principal: "sa-abc123" }))).toEqual([
      'principal "sa-abc123" lacks the "User:" prefix; use "User:sa-abc123".',
    ]);
  });

  it.each(["ServiceAccount:sa-abc123", "User:", "User:lkc-abc123", "Group:", "user:sa-abc123"])(
    "reports %s",
    async (principal) => {
      expect(await runResource(policy, roleBinding({ principal }))).toEqual([
        `principal "${principal}" is not a valid principal; use "User:sa-…" (service account), "User:u-…" (user), ` +
          '"User:pool-…" (identity pool or certificate pool), "User:group-…" (SSO group mapping) or "Group:…" (SSO group).',
      ]);
    },
  );

  it("suggests the User: prefix for a bare group mapping id", async () => {
    expect(await runResource(policy, roleBinding({ principal: "group-Ab12" }))).toEqual([
      'principal "group-Ab12" lacks the "User:" prefix; use "User:group-Ab12".',
    ]);
  });

  it("reports a principal that is not a string, and skips an unknown one (a style check)", async () => {
    expect(await runResource(policy, roleBinding({ principal: { id: "sa-1" } }))).toEqual([
      'principal must be a string such as "User:sa-…".',
    ]);
    expect(await runResource(policy, roleBinding({ principal: UNKNOWN }))).toEqual([]);
  });
});
