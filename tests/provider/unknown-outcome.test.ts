/**
 * An API key has no unique attributes, so after a create whose outcome is unknown the provider cannot look
 * "it" up; it looks instead for a matching key created since the request was sent. None: the create did not
 * happen and is sent again. One: its secret was in the lost answer, so the create fails naming it, and never
 * sends a second POST (which would leave two keys).
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { adapters, closeClients } from "pulumi-confluent-iam/provider";

type Step = (req: http.IncomingMessage, res: http.ServerResponse) => void;

let server: http.Server;
let url = "";
const seen: string[] = [];
/** Answers to POSTs, in order; every LIST answers `listed`. */
let posts: Step[] = [];
let listed: unknown[] = [];

const json = (res: http.ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};
const unavailable: Step = (_q, res) =>
  json(res, 503, { errors: [{ status: "503", detail: "Service Unavailable" }] });

function key(id: string, createdAt: string, secret = "") {
  return {
    api_version: "iam/v2",
    kind: "ApiKey",
    id,
    metadata: { created_at: createdAt },
    spec: {
      secret,
      display_name: "ci",
      description: "CI key",
      owner: { id: "sa-1", api_version: "iam/v2", kind: "ServiceAccount" },
      resource: { id: "cloud", kind: "Cloud", api_version: "" },
    },
  };
}

const inputs = {
  displayName: "ci",
  description: "CI key",
  owner: { id: "sa-1", apiVersion: "iam/v2", kind: "ServiceAccount" },
  disableWaitForReady: true,
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => {
      if (req.method === "GET") {
        json(res, 200, { api_version: "iam/v2", kind: "ApiKeyList", metadata: {}, data: listed });
        return;
      }
      const step = posts.shift();
      if (step) step(req, res);
      else json(res, 500, { errors: [{ status: "500", detail: "the test scripted no answer" }] });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.CONFLUENT_CLOUD_ENDPOINT = url;
  process.env.CONFLUENT_CLOUD_API_KEY = "UNKNOWNOUTCOMEKEY";
  process.env.CONFLUENT_CLOUD_API_SECRET = "unknown-outcome-secret-not-real";
  process.env.CONFLUENT_IAM_RECONCILE_WAIT_MS = "60";
});

beforeEach(() => {
  seen.length = 0;
  posts = [];
  listed = [];
});

afterAll(async () => {
  await closeClients();
  await new Promise((r) => server.close(r));
  for (const v of [
    "CONFLUENT_CLOUD_ENDPOINT",
    "CONFLUENT_CLOUD_API_KEY",
    "CONFLUENT_CLOUD_API_SECRET",
    "CONFLUENT_IAM_RECONCILE_WAIT_MS",
  ]) {
    delete process.env[v];
  }
});

const POST = "POST /iam/v2/api-keys";
const LIST = "GET /iam/v2/api-keys?spec.owner=sa-1&page_size=100";

it("an API key create answered 503, with no matching key created since, is sent again and succeeds (POST, LIST until the reconcile window ends, POST)", async () => {
  listed = [key("OLDKEY0000000001", "2020-01-01T00:00:00Z")];
  posts = [
    unavailable,
    (_q, res) => json(res, 202, key("NEWKEY0000000001", new Date().toISOString(), "s".repeat(64))),
  ];
  const { id, outs } = await adapters.ApiKey!.create(inputs);
  expect(id).toBe("NEWKEY0000000001");
  expect(outs.secret).toBe("s".repeat(64));
  // The number of looks depends on the reconcile window (60 ms here): at least one, at most four.
  expect(seen[0]).toBe(POST);
  expect(seen[seen.length - 1]).toBe(POST);
  const looks = seen.slice(1, -1);
  expect(looks.length).toBeGreaterThanOrEqual(1);
  expect(looks.length).toBeLessThanOrEqual(4);
  expect(new Set(looks)).toEqual(new Set([LIST]));
});

it("an API key create answered 503 whose key did appear fails naming it, and sends no second POST", async () => {
  const stray = key("STRAYKEY00000001", new Date().toISOString());
  listed = [key("OLDKEY0000000001", "2020-01-01T00:00:00Z"), stray];
  posts = [unavailable];
  await expect(adapters.ApiKey!.create(inputs)).rejects.toThrow(
    "The API key create request's outcome is unknown (POST /iam/v2/api-keys may have been applied by the " +
      "server (look the object up before sending it again): failed with 503 Service Unavailable: Service " +
      "Unavailable), and a matching API key appeared since it was sent: " +
      "STRAYKEY00000001. Its secret was in the lost answer, so it was neither used nor sent again. Before " +
      "deleting it, make sure it is not one of the stack's own: a key the stack manages is the id of an ApiKey " +
      "resource in the stack's state (pulumi stack export), and keys this run created or read are already " +
      "left out of this list. If it is a stray, delete it " +
      "(confluent api-key delete <keyId>, or DELETE /iam/v2/api-keys/<keyId>) and run pulumi up again; to " +
      'keep it anyway, add the resource option { import: "STRAYKEY00000001" } to this resource (its secret ' +
      "stays empty).",
  );
  expect(seen).toEqual([POST, LIST]);
});

it("a key of the same owner with another name, or a Kafka key, is not taken for the lost one", async () => {
  const now = new Date().toISOString();
  const otherName = {
    ...key("OTHERNAME0000001", now),
    spec: { ...key("x", now).spec, display_name: "other" },
  };
  const kafka = {
    ...key("KAFKAKEY00000001", now),
    spec: { ...key("x", now).spec, resource: { id: "lkc-1", kind: "Cluster" } },
  };
  listed = [otherName, kafka];
  posts = [unavailable, (_q, res) => json(res, 202, key("NEWKEY0000000002", now, "t".repeat(64)))];
  const { id } = await adapters.ApiKey!.create(inputs);
  expect(id).toBe("NEWKEY0000000002");
  expect(seen.filter((s) => s === POST)).toHaveLength(2);
});

it("a service account found after an unknown outcome whose answer has no creation time is not taken over (it cannot be shown to be ours)", async () => {
  listed = [
    { api_version: "iam/v2", kind: "ServiceAccount", id: "sa-theirs", display_name: "payments-prod" },
  ];
  posts = [unavailable];
  await expect(adapters.ServiceAccount!.create({ displayName: "payments-prod" })).rejects.toThrow(
    'Cannot create service account with display name "payments-prod": it already exists as sa-theirs, and ' +
      "the API does not say when it was created, so it cannot be shown to be what this create request made " +
      "(the request's outcome is unknown: POST /iam/v2/service-accounts may have been applied by the server " +
      "(look the object up before sending it again): failed with 503 Service Unavailable: Service " +
      "Unavailable), so it was not taken over. If the program declares the same service account twice, " +
      'remove one of the two resources. Otherwise, to manage the existing one, add the resource option { import: "sa-theirs" } ' +
      "to this resource in the program and run pulumi up again (the Pulumi CLI's pulumi import command does " +
      "not work for dynamic providers: pulumi/pulumi#16175), or choose different values.",
  );
  expect(seen).toEqual([
    "POST /iam/v2/service-accounts",
    "GET /iam/v2/service-accounts?display_name=payments-prod&page_size=100",
  ]);
});
