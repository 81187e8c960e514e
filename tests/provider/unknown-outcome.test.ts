/**
 * An API key has no unique attributes, so after a create whose outcome is unknown the provider cannot look
 * "it" up; it looks instead for a matching key created since the request reached the API (on the API's clock,
 * from its `Date` headers). None: the create did not happen and is sent again. One: its secret was in the
 * lost answer, so it cannot be used: it is deleted, then the create is sent again (never two keys alive). A
 * match it cannot show to be new (no creation time, or an API without `Date` headers) fails the create,
 * named, and is left alone.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { adapters, closeClients } from "pulumi-confluent-iam/provider";

type Step = (req: http.IncomingMessage, res: http.ServerResponse) => void;

let server: http.Server;
let url = "";
const seen: string[] = [];
/** Answers to POSTs and DELETEs, in order; every LIST answers `listed`. */
let posts: Step[] = [];
let listed: unknown[] = [];
/** Whether answers carry a `Date` header (Node's default). */
let sendDate = true;

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
    res.sendDate = sendDate;
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

beforeEach(async () => {
  // A fresh client per test: the server clock it learned stays with it.
  await closeClients();
  sendDate = true;
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

const STRAY_ADVICE =
  "Its secret was in the lost answer, so it was neither used nor sent again. Before " +
  "deleting it, make sure it is not one of the stack's own: a key the stack manages is the id of an ApiKey " +
  "resource in the stack's state (pulumi stack export), and keys this run created or read are already " +
  "left out of this list. If it is a stray, delete it " +
  "(confluent api-key delete <keyId>, or DELETE /iam/v2/api-keys/<keyId>) and run pulumi up again; to " +
  'keep it anyway, add the resource option { import: "STRAYKEY00000001" } to this resource (its secret ' +
  "stays empty).";
const UNKNOWN_503 =
  "The API key create request's outcome is unknown (POST /iam/v2/api-keys may have been applied by the " +
  "server (look the object up before sending it again): failed with 503 Service Unavailable: Service " +
  "Unavailable), and a matching API key appeared since it was sent: STRAYKEY00000001. ";

it("an API key create answered 503 whose key did appear (its secret lost with the answer) deletes that key, with a line saying so, and sends the create again", async () => {
  const stray = key("STRAYKEY00000001", new Date().toISOString());
  listed = [key("OLDKEY0000000001", "2020-01-01T00:00:00Z"), stray];
  posts = [
    unavailable,
    (_q, res) => {
      listed = [key("OLDKEY0000000001", "2020-01-01T00:00:00Z")];
      res.writeHead(204);
      res.end();
    },
    (_q, res) => json(res, 202, key("NEWKEY0000000002", new Date().toISOString(), "t".repeat(64))),
  ];
  const lines: string[] = [];
  const write = jest.spyOn(process.stderr, "write").mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const { id, outs } = await adapters.ApiKey!.create(inputs);
    expect(id).toBe("NEWKEY0000000002");
    expect(outs.secret).toBe("t".repeat(64));
  } finally {
    write.mockRestore();
  }
  expect(seen).toEqual([POST, LIST, "DELETE /iam/v2/api-keys/STRAYKEY00000001", POST]);
  expect(lines).toContain(
    "confluent-iam: ApiKey: STRAYKEY00000001 was made by the create request whose answer was lost, and its " +
      "secret was only in that answer, so it cannot be used; deleting it and creating the API key again\n",
  );
});

it("a matching key without a creation time cannot be shown to be new: the create fails naming it, and nothing is deleted", async () => {
  listed = [{ ...key("STRAYKEY00000001", ""), metadata: {} }];
  posts = [unavailable];
  await expect(adapters.ApiKey!.create(inputs)).rejects.toThrow(UNKNOWN_503 + STRAY_ADVICE);
  expect(seen).toEqual([POST, LIST]);
});

it("an API whose answers carry no Date header gives no clock to compare with: a match fails the create, named, and is not deleted", async () => {
  sendDate = false;
  listed = [key("STRAYKEY00000001", new Date().toISOString())];
  posts = [unavailable];
  await expect(adapters.ApiKey!.create(inputs)).rejects.toThrow(UNKNOWN_503 + STRAY_ADVICE);
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
