/**
 * A 409 on an object whose import ID names its parent: the message must give the whole import ID in the
 * resource option, or the option it tells users to write would not find the object. The emulator has no
 * uniqueness rule for identity pools, so a loopback server that answers like the API would plays the part.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { adapters, closeClients } from "../../provider";
import { ENV_KEYS } from "../../provider/runtime";

let server: http.Server;
const seen: string[] = [];
const saved: Record<string, string | undefined> = {};

const pool = {
  id: "pool-Ab12",
  display_name: "release-engineering",
  description: "",
  identity_claim: "claims.sub",
  filter: "true",
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url?.replace(/\?.*$/, "")}`);
    res.setHeader("content-type", "application/json");
    if (req.method === "POST") {
      res.statusCode = 409;
      res.end(JSON.stringify({ error_code: 409, message: "identity pool name already in use" }));
      return;
    }
    res.end(JSON.stringify({ data: [pool], metadata: {} }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  for (const k of Object.values(ENV_KEYS)) saved[k] = process.env[k];
  process.env[ENV_KEYS.endpoint] = `http://127.0.0.1:${port}`;
  process.env[ENV_KEYS.cloudApiKey] = "FAKEKEY";
  process.env[ENV_KEYS.cloudApiSecret] = "fake-secret-for-tests";
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await closeClients();
  await new Promise<void>((r) => server.close(() => r()));
});

it("an identity pool whose name is taken (409) names the import option with its provider: op-…/pool-…", async () => {
  await expect(
    adapters.IdentityPool!.create({
      identityProvider: { id: "op-9z" },
      displayName: "release-engineering",
      identityClaim: "claims.sub",
      filter: "true",
    }),
  ).rejects.toThrow(
    'Cannot create identity pool with display name "release-engineering" under op-9z: it already exists as ' +
      "pool-Ab12. If the program declares the same identity pool twice, remove one of the two resources. " +
      'Otherwise, to manage the existing one, add the resource option { import: "op-9z/pool-Ab12" } to this ' +
      "resource in the program and run pulumi up again (the Pulumi CLI's pulumi import command does not work " +
      "for dynamic providers: pulumi/pulumi#16175), or choose different values.",
  );
  expect(seen).toEqual([
    "POST /iam/v2/identity-providers/op-9z/identity-pools",
    "GET /iam/v2/identity-providers/op-9z/identity-pools",
  ]);
});
