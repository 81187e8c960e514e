/**
 * The one PATCH that update and adoption share (provider/calls.ts `patchFields`), against a purpose-built
 * server on loopback that records every request: exactly the changed fields are sent, a field the program
 * left out goes back to its default, and a spec without a PATCH route sends nothing.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { patchFields } from "../../provider/calls";
import { ConfluentClient } from "../../provider/client";
import type { OperationContext } from "../../provider/spec";
import { serviceAccountSpec } from "../../provider/specs/service-account";

let server: http.Server;
let client: ConfluentClient;
const seen: { method: string; url: string; body: unknown }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      const body = text === "" ? undefined : (JSON.parse(text) as Record<string, unknown>);
      seen.push({ method: req.method ?? "", url: req.url ?? "", body });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "sa-1", display_name: "ci", description: "", api_version: "iam/v2" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  client = new ConfluentClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    auth: { kind: "basic", apiKey: "FAKEKEY", apiSecret: "fake-secret" },
    retry: { maxAttempts: 1 },
  });
});
afterAll(async () => {
  await client.close();
  await new Promise((r) => server.close(r));
});
beforeEach(() => (seen.length = 0));

const context = (): OperationContext => ({ client, log: () => undefined });

describe("patchFields", () => {
  it("sends one PATCH with the changed fields only, a left-out one at its default, and answers the outputs", async () => {
    const outs = await patchFields(serviceAccountSpec, context(), { id: "sa-1" }, ["description"], {
      displayName: "ci",
    });
    expect(seen).toEqual([
      { method: "PATCH", url: "/iam/v2/service-accounts/sa-1", body: { description: "" } },
    ]);
    expect(outs).toEqual({ displayName: "ci", description: "", apiVersion: "iam/v2", kind: undefined });
  });

  it("sends the program's values for the fields named", async () => {
    await patchFields(serviceAccountSpec, context(), { id: "sa-1" }, ["displayName", "description"], {
      displayName: "ci-2",
      description: "builds",
    });
    expect(seen).toEqual([
      {
        method: "PATCH",
        url: "/iam/v2/service-accounts/sa-1",
        body: { display_name: "ci-2", description: "builds" },
      },
    ]);
  });

  it("a spec without a PATCH route sends nothing and answers no outputs", async () => {
    const noPatch = { ...serviceAccountSpec, updateRequest: undefined };
    await expect(
      patchFields(noPatch, context(), { id: "sa-1" }, ["description"], { displayName: "ci" }),
    ).resolves.toEqual({});
    expect(seen).toEqual([]);
  });
});
