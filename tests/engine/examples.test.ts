/**
 * Every example program through the real Pulumi CLI against a fresh emulator: preview, up, up
 * --expect-no-changes, an edit that updates in place and one that replaces (where the example has one), refresh
 * and destroy. The emulator's request log shows the calls each step made.
 */
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorControl, EngineStack, planOf, repoRoot } from "./support/engine";

interface Edit {
  config: string[];
  /** Expected `op name` of the edit's steps (sorted). */
  plan: string[];
}

interface ExampleCase {
  folder: string;
  /** Config the program needs besides its stack file's. */
  config?: string[];
  inPlace?: Edit;
  replace?: Edit;
  /** Why the example has no in-place edit. */
  noInPlace?: string;
}

const EXAMPLES: ExampleCase[] = [
  {
    folder: "quickstart",
    inPlace: { config: ["description=Runs orders v2"], plan: ["update app"] },
    replace: { config: ["environmentId=env-prod01"], plan: ["replace app-environment-admin"] },
  },
  {
    folder: "org-iam",
    inPlace: { config: ["ordersDescription=Orders service v2"], plan: ["update orders"] },
    replace: { config: ["inviteEmail=second.engineer@example.com"], plan: ["replace new-engineer"] },
  },
  {
    folder: "byok",
    inPlace: { config: ["awsDisplayName=orders-aws-key-v2"], plan: ["update aws-key"] },
    replace: {
      config: ["awsKeyArn=arn:aws:kms:us-east-1:123456789012:key/99999999-2222-3333-4444-555555555555"],
      plan: ["replace aws-key"],
    },
  },
  {
    folder: "mtls",
    inPlace: { config: ["certificateFile=ca-next.pem"], plan: ["update payments-ca"] },
  },
  {
    folder: "oidc",
    inPlace: { config: ["idpDescription=Workloads of the platform v2"], plan: ["update corporate-idp"] },
  },
  {
    folder: "sso",
    inPlace: {
      config: ["developersGroup=eng-developers"],
      plan: ["update developers", "update developers-workloads"],
    },
  },
  {
    folder: "provider-integration",
    noInPlace: "every field of a pim/v1 integration replaces it",
    replace: {
      config: ["customerRoleArn=arn:aws:iam::123456789012:role/confluent-s3-sink-v2"],
      plan: ["replace s3-sink-role"],
    },
  },
  {
    folder: "azure-integration",
    noInPlace: "pim/v2 makes display_name immutable",
    replace: {
      config: ["displayName=azure-integration-v2"],
      plan: ["replace azure", "replace azure-authorization"],
    },
  },
  {
    folder: "azure-marketplace-key",
    noInPlace: "an Azure Marketplace key has no field that updates",
    replace: { config: ["displayName=orders-kafka-key-2"], plan: ["replace orders-kafka-key"] },
  },
  {
    folder: "rotation",
    inPlace: { config: ["overlap=P5D"], plan: ["update orders-consumer-key"] },
  },
];

describe.each(EXAMPLES)("examples/$folder under the Pulumi CLI", (ex) => {
  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let stack: EngineStack;
  let created: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    control = new EmulatorControl(emulator.url, emulator.apiKey, emulator.apiSecret);
    stack = await EngineStack.create({
      source: path.join(repoRoot, "examples", ex.folder),
      mode: "repo",
      emulator,
      env: { AZURE_ACCESS_TOKEN: emulator.azureToken, AZURE_RESOURCE_MANAGER_ENDPOINT: emulator.url },
    });
    if (ex.config) await stack.setConfig(ex.config);
  });
  afterAll(async () => {
    stack?.close();
    await emulator?.close();
  });

  it("preview plans every object and sends no write", async () => {
    await control.clear();
    const r = await stack.json("preview");
    expect(r.code).toBe(0);
    created = planOf(r.steps);
    expect(created.length).toBeGreaterThan(0);
    expect(created.every((s) => s.startsWith("create "))).toBe(true);
    expect(await control.writes()).toEqual([]);
  });

  it("up creates what preview planned, one POST (or PUT of a new object) per object", async () => {
    await control.clear();
    const r = await stack.json("up");
    expect(r.output).not.toMatch(/error:/);
    expect(r.code).toBe(0);
    expect(planOf(r.steps)).toEqual(created);
    const writes = await control.writes();
    expect(writes.length).toBeGreaterThanOrEqual(created.length);
    expect(writes.filter((w) => w.startsWith("DELETE "))).toEqual([]);
  });

  it("up --expect-no-changes passes and sends no write", async () => {
    await control.clear();
    const r = await stack.pulumi(["up", "--yes", "--expect-no-changes", "--stack", stack.stack]);
    expect(r.output).not.toMatch(/error:/);
    expect(r.code).toBe(0);
    expect(await control.writes()).toEqual([]);
  });

  const inPlace = ex.inPlace;
  if (inPlace) {
    it("an edit that updates in place: the plan names only updates, and no object is created or deleted", async () => {
      await stack.setConfig(inPlace.config);
      await control.clear();
      const r = await stack.json("up");
      expect(r.code).toBe(0);
      expect(planOf(r.steps)).toEqual(inPlace.plan);
      expect((await control.writes()).filter((w) => w.startsWith("DELETE "))).toEqual([]);
    });
  } else {
    it(`has no in-place edit: ${ex.noInPlace ?? ""}`, () => {
      expect(ex.noInPlace).toBeTruthy();
    });
  }

  const replace = ex.replace;
  if (replace) {
    it("an edit that replaces: create the new object first, then delete the old one", async () => {
      await stack.setConfig(replace.config);
      await control.clear();
      const r = await stack.json("up");
      expect(r.code).toBe(0);
      expect(planOf(r.steps).filter((s) => s.startsWith("replace "))).toEqual(replace.plan);
      const writes = await control.requests();
      const firstPost = writes.findIndex((w) => w.method === "POST");
      const firstDelete = writes.findIndex((w) => w.method === "DELETE");
      expect(firstPost).toBeGreaterThanOrEqual(0);
      expect(firstDelete).toBeGreaterThan(firstPost);
    });
  }

  it("refresh finds no drift and sends no write", async () => {
    await control.clear();
    const r = await stack.json("refresh");
    expect(r.code).toBe(0);
    expect(r.summary.update ?? 0).toBe(0);
    expect(r.summary.delete ?? 0).toBe(0);
    expect(await control.writes()).toEqual([]);
  });

  it("destroy deletes every object and only deletes", async () => {
    await control.clear();
    const r = await stack.json("destroy");
    expect(r.code).toBe(0);
    const writes = await control.writes();
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.filter((w) => !w.startsWith("DELETE ") && !w.includes("apiKeys"))).toEqual([]);
    const exported = await stack.exportDeployment();
    expect(
      (exported.deployment.resources ?? []).filter((x) => x.custom && !x.type.startsWith("pulumi:")),
    ).toEqual([]);
  });
});
