// Starts the pack as the Pulumi CLI does (node @pulumi/pulumi/cmd/run-policy-pack <engine> policy) through
// runner/analyzer.ts and drives it over gRPC.
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { startPolicyPack, type AnalyzerResource, type PolicyPackHandle } from "../../runner/analyzer";
import {
  apiKey,
  DELETE,
  ipGroup,
  ORG,
  roleBinding,
  TOPIC_CRN,
  UNKNOWN,
  typeOf,
  urnOf,
  type TestResource,
} from "./helpers";

const PACK_DIR = path.resolve(__dirname, "../../policy");
const CANARY = "CANARY-SECRET-5b1e9a44-not-a-real-secret";
const wireSecret = (value: string) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});

function resource(r: TestResource): AnalyzerResource {
  return { type: typeOf(r.cls), name: r.name, urn: urnOf(r), properties: r.props };
}

const ORG_ADMIN = {
  description: "OrganizationAdmin is bound only to principals on the policy's allow-list.",
  message: (p: string) =>
    "OrganizationAdmin is bound only to principals on the policy's allow-list.\n" +
    `OrganizationAdmin gives "${p}" full control of the whole organization, and "${p}" is not in allowedPrincipals; ` +
    "grant a narrower role (EnvironmentAdmin, CloudClusterAdmin, ...) or, if this principal must administer the " +
    "organization, add it to this policy's allowedPrincipals config.",
};

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("the policy pack over gRPC (started like the CLI, with the ts-register hook)", () => {
  let pack: PolicyPackHandle;
  let stderr = "";

  beforeAll(async () => {
    pack = await startPolicyPack(PACK_DIR, { onStderr: (t) => (stderr += t) });
  });

  afterAll(async () => {
    await pack?.close();
  });

  it("describes the pack and its policies (GetAnalyzerInfo)", async () => {
    const info = await pack.info();
    expect(info.name).toBe("confluent-iam");
    expect(info.version).toBe("0.1.0");
    expect(info.policies.map((p) => [p.name, p.enforcementLevel])).toEqual([
      ["role-binding-known-role", "mandatory"],
      ["role-binding-crn-well-formed", "mandatory"],
      ["role-binding-scope-fits-role", "mandatory"],
      ["role-binding-no-org-admin", "mandatory"],
      ["role-binding-no-privileged-role", "advisory"],
      ["role-binding-no-broad-write", "advisory"],
      ["role-binding-principal-format", "mandatory"],
      ["role-binding-no-duplicates", "mandatory"],
      ["environment-separation", "mandatory"],
      ["api-key-owned-by-service-account", "advisory"],
      ["api-key-described", "advisory"],
      ["ip-group-no-open-cidr", "mandatory"],
      ["ip-groups-no-open-union", "mandatory"],
      ["identity-pool-no-open-filter", "mandatory"],
      ["no-unlisted-dynamic-resource", "mandatory"],
    ]);
    expect(info.policies.find((p) => p.name === "role-binding-no-org-admin")?.configSchema).toEqual({
      properties: {
        allowedPrincipals: {
          type: "array",
          items: { type: "string" },
          default: [],
          description: 'Principals allowed to hold OrganizationAdmin, e.g. ["User:sa-platform"].',
        },
      },
      required: [],
    });
  });

  it("passes valid resources (Analyze)", async () => {
    for (const r of [roleBinding(), apiKey({ secret: wireSecret(CANARY) }), ipGroup()]) {
      expect(await pack.analyze(resource(r))).toEqual([]);
    }
  });

  it("reports every violation of a bad role binding, with the description prefixed by @pulumi/policy", async () => {
    const bad = roleBinding(
      { principal: "User:i-7od91", roleName: "OrganizationAdmin", crnPattern: TOPIC_CRN },
      "invite-admin",
    );
    expect(await pack.analyze(resource(bad))).toEqual([
      {
        policyName: "role-binding-scope-fits-role",
        policyPackName: "confluent-iam",
        description: "A role binding's crnPattern points at the kind of resource its role is granted on.",
        message:
          "A role binding's crnPattern points at the kind of resource its role is granted on.\n" +
          'OrganizationAdmin is granted on the organization, but crnPattern ends at a topic ("topic=orders"); ' +
          "point crnPattern at the organization instead.",
        enforcementLevel: "mandatory",
        urn: urnOf(bad),
      },
      {
        policyName: "role-binding-no-org-admin",
        policyPackName: "confluent-iam",
        description: ORG_ADMIN.description,
        message: ORG_ADMIN.message("User:i-7od91"),
        enforcementLevel: "mandatory",
        urn: urnOf(bad),
      },
      {
        policyName: "role-binding-principal-format",
        policyPackName: "confluent-iam",
        description: "A role binding's principal names a service account, user, identity pool or group.",
        message:
          "A role binding's principal names a service account, user, identity pool or group.\n" +
          'principal "User:i-7od91" is an invitation id, and a binding to an invitation never takes effect; ' +
          'bind the user id that the invitation created once it is accepted ("User:u-…", the Invitation\'s ' +
          "users[0].id output).",
        enforcementLevel: "mandatory",
        urn: urnOf(bad),
      },
    ]);
  });

  it("reports an open IP group and a typo'd role", async () => {
    const open = ipGroup({ cidrBlocks: ["0.0.0.0/0"] });
    expect((await pack.analyze(resource(open))).map((v) => [v.policyName, v.message])).toEqual([
      [
        "ip-group-no-open-cidr",
        "IP groups do not allow the whole internet and hold only valid CIDR blocks.\n" +
          'IP group cidrBlocks: "0.0.0.0/0" allows every IPv4 address. List only the networks that need access, ' +
          'as valid CIDR blocks such as "203.0.113.0/24".',
      ],
    ]);
    const typo = roleBinding({ roleName: "DeveloperReed" });
    expect(
      (await pack.analyze(resource(typo))).map((v) => [v.policyName, v.enforcementLevel, v.message]),
    ).toEqual([
      [
        "role-binding-known-role",
        "mandatory",
        "A role binding's roleName is one of Confluent Cloud's predefined RBAC roles.\n" +
          'roleName "DeveloperReed" is not a Confluent Cloud predefined role; did you mean "DeveloperRead"? ' +
          "Role names are case-sensitive.",
      ],
    ]);
  });

  it("fails closed on an OrganizationAdmin whose principal is unknown at preview (issue 18's held-out shape)", async () => {
    // `User:${sa.id}` of a service account the same program creates arrives as the unknown sentinel.
    const grant = roleBinding(
      {
        principal: UNKNOWN,
        roleName: "OrganizationAdmin",
        crnPattern: `crn://confluent.cloud/organization=${ORG}`,
      },
      "ci-admin",
    );
    const violations = await pack.analyze(resource(grant));
    expect(violations.map((v) => [v.policyName, v.enforcementLevel])).toEqual([
      ["role-binding-no-org-admin", "mandatory"],
    ]);
    expect(violations[0].message).toContain(
      "a principal that does not exist yet cannot be on allowedPrincipals",
    );
  });

  it("judges no style check on values unknown during preview (no 'can't run policy during preview' advisories)", async () => {
    const unknown = roleBinding({ principal: UNKNOWN, roleName: "DeveloperRead", crnPattern: UNKNOWN });
    expect(await pack.analyze(resource(unknown))).toEqual([]);
  });

  it("reports a zone-id block as a violation, not an analyzer error (issue 10 item 11)", async () => {
    const zoned = ipGroup({ cidrBlocks: ["fe80::%eth0/64"] });
    expect((await pack.analyze(resource(zoned))).map((v) => [v.policyName, v.enforcementLevel])).toEqual([
      ["ip-group-no-open-cidr", "mandatory"],
    ]);
  });

  it("reports issue 23's evasions at preview: a plain dynamic.Resource and the internet in pieces (AnalyzeStack)", async () => {
    const bypass: TestResource = {
      cls: "pulumi-nodejs:dynamic:Resource",
      name: "x",
      props: {
        principal: "User:sa-ci0001",
        roleName: "OrganizationAdmin",
        crnPattern: `crn://confluent.cloud/organization=${ORG}`,
      },
    };
    const pieces = ipGroup({ cidrBlocks: ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"] });
    const violations = await pack.analyzeStack([resource(bypass), resource(pieces)]);
    expect(violations.map((v) => [v.policyName, v.enforcementLevel, v.urn])).toEqual([
      ["ip-groups-no-open-union", "mandatory", undefined],
      ["no-unlisted-dynamic-resource", "mandatory", urnOf(bypass)],
    ]);
  });

  it("never returns a secret value in a message, though the key violates two policies", async () => {
    const key = apiKey({
      secret: wireSecret(CANARY),
      description: DELETE,
      owner: { id: "u-demo01", apiVersion: "iam/v2", kind: "User" },
    });
    const violations = await pack.analyze({
      ...resource(key),
      options: { additionalSecretOutputs: ["secret"] },
    });
    expect(violations.map((v) => v.policyName)).toEqual([
      "api-key-owned-by-service-account",
      "api-key-described",
    ]);
    expect(JSON.stringify(violations)).not.toContain(CANARY);
  });

  it("applies Configure: an allow-listed OrganizationAdmin passes, an enforcement level changes", async () => {
    const orgAdmin = (principal: string, name: string) =>
      roleBinding(
        { principal, roleName: "OrganizationAdmin", crnPattern: `crn://confluent.cloud/organization=${ORG}` },
        name,
      );
    const broad = roleBinding({
      roleName: "DeveloperWrite",
      crnPattern: TOPIC_CRN.replace("topic=orders", "topic=*"),
    });

    expect(
      (await pack.analyze(resource(orgAdmin("User:sa-platform1", "platform")))).map((v) => v.message),
    ).toEqual([ORG_ADMIN.message("User:sa-platform1")]);
    expect((await pack.analyze(resource(broad))).map((v) => v.enforcementLevel)).toEqual(["advisory"]);

    await pack.configure({
      "role-binding-no-org-admin": { allowedPrincipals: ["User:sa-platform1"] },
      "role-binding-no-broad-write": "mandatory",
    });
    try {
      expect(await pack.analyze(resource(orgAdmin("User:sa-platform1", "platform")))).toEqual([]);
      const other = orgAdmin("User:sa-ci0001", "ci");
      expect(await pack.analyze(resource(other))).toEqual([
        {
          policyName: "role-binding-no-org-admin",
          policyPackName: "confluent-iam",
          description: ORG_ADMIN.description,
          message: ORG_ADMIN.message("User:sa-ci0001"),
          // Settings without a level keep the policy's own level (the pack alone would read ADVISORY).
          enforcementLevel: "mandatory",
          urn: urnOf(other),
        },
      ]);
      expect((await pack.analyze(resource(broad))).map((v) => v.enforcementLevel)).toEqual(["mandatory"]);

      await pack.configure({ "role-binding-no-broad-write": "disabled" });
      expect(await pack.analyze(resource(broad))).toEqual([]);
    } finally {
      await pack.configure({});
    }
  });

  it("reports duplicate bindings across the stack (AnalyzeStack)", async () => {
    const first = roleBinding({}, "orders-reader");
    const second = roleBinding(
      { crnPattern: TOPIC_CRN.replace("/topic=", "/topic%3D") },
      "orders-reader-encoded",
    );
    const key = apiKey({ secret: wireSecret(CANARY) });
    expect(
      await pack.analyzeStack([resource(first), resource(key), resource(second), resource(ipGroup())]),
    ).toEqual([
      {
        policyName: "role-binding-no-duplicates",
        policyPackName: "confluent-iam",
        description: "No two role bindings grant the same role to the same principal on the same CRN.",
        message:
          "No two role bindings grant the same role to the same principal on the same CRN.\n" +
          'RoleBinding "orders-reader-encoded" duplicates RoleBinding "orders-reader": both grant DeveloperRead to ' +
          `"User:sa-abc123" on ${TOPIC_CRN}; keep one of them (deleting either would revoke the access the other declares).`,
        enforcementLevel: "mandatory",
        urn: urnOf(second),
      },
    ]);
    expect(await pack.analyzeStack([resource(first), resource(key)])).toEqual([]);
  });

  it("refuses NaN and Infinity before sending, naming where they are, as the provider host does", async () => {
    const rb = roleBinding();
    const urn = urnOf(rb);
    await expect(
      pack.analyze({ ...resource(rb), properties: { ...rb.props, weights: [1, Number.NaN] } }),
    ).rejects.toThrow(
      `${urn} properties.weights[1]: NaN cannot be sent over the wire (state is JSON, which has no NaN or ` +
        "Infinity); use a finite number, or a string",
    );
    await expect(
      pack.analyzeStack([{ ...resource(rb), properties: { ...rb.props, limit: -Infinity } }]),
    ).rejects.toThrow(`${urn} properties.limit: -Infinity cannot be sent over the wire`);
    await expect(
      pack.configure({ "api-key-described": { enforcementLevel: "advisory", n: Infinity } }),
    ).rejects.toThrow("config.api-key-described.n: Infinity cannot be sent over the wire");
    // Nothing was sent: the pack still answers.
    expect(await pack.analyze(resource(rb))).toEqual([]);
  });

  it("logs nothing to stderr while serving", () => {
    expect(stderr).toBe("");
  });
});

describe("the policy pack under the CLI's own TypeScript loading (vendored ts-node, type-checked)", () => {
  it("compiles with policy/tsconfig.json, serves, and stops on close", async () => {
    const pack = await startPolicyPack(PACK_DIR, { tsRegister: false, startTimeoutMs: 90_000 });
    try {
      expect((await pack.info()).policies).toHaveLength(15);
      expect(
        (await pack.analyze(resource(roleBinding({ roleName: "DevloperRead" })))).map((v) => v.policyName),
      ).toEqual(["role-binding-known-role"]);
    } finally {
      await pack.close();
    }
    expect(await portIsClosed(pack.port)).toBe(true);
  }, 120_000);

  it("rejects with the pack's error output when the pack fails to load", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broken-pack-"));
    try {
      fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "broken", version: "0.0.1" }));
      fs.writeFileSync(path.join(dir, "index.js"), 'throw new Error("boom from the pack");\n');
      await expect(startPolicyPack(dir)).rejects.toThrow(
        /^policy pack exited \(code \d+\) before serving:\n[\s\S]*boom from the pack/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a folder that is not a policy pack", async () => {
    const missing = path.join(__dirname, "no-such-pack");
    await expect(startPolicyPack(missing)).rejects.toThrow(
      `${missing} is not a policy pack folder (it has no PulumiPolicy.yaml)`,
    );
  });
});
