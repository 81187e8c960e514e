/**
 * Issue 30, defect 8: after a create whose answer is lost, an object with the same unique name is taken as
 * ours only if the API stamped it as created after our request reached the API, measured on the API's own
 * clock (the `Date` headers of its answers), not ours. Before the fix the window was our clock's send time
 * less a minute: with our clock 10 minutes slow, another team's service account made 3 s earlier was
 * taken over (and the next destroy would delete it); with our clock 10 minutes fast, our own object was not
 * recognised after a lost answer.
 *
 * The client's clock is injected (`now`), skewed by ±10 minutes; the emulator's clock is the machine's (set
 * back 3 s only while the other team's object is made, so nobody waits). A loopback proxy loses the answer.
 */
import { ConfluentClient } from "../../provider/client";
import { postOnce } from "../../provider/create";
import { serviceAccountSpec } from "../../provider/specs/service-account";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorApi } from "../../testing/emulator-api";
import { LostAnswerProxy } from "./support/lost-answer-proxy";

const TEN_MINUTES = 10 * 60_000;
const PATH = "/iam/v2/service-accounts";

let emu: RunningEmulator;
let api: EmulatorApi;
let proxy: LostAnswerProxy;
/** Milliseconds added to the emulator's clock. */
let emulatorShift = 0;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, now: () => Date.now() + emulatorShift });
  api = new EmulatorApi(emu);
  proxy = await LostAnswerProxy.start(emu.url);
  process.env.CONFLUENT_IAM_RECONCILE_WAIT_MS = "60";
});

beforeEach(async () => {
  emulatorShift = 0;
  proxy.seen.length = 0;
  await api.reset();
});

afterAll(async () => {
  await proxy.close();
  await emu.close();
  delete process.env.CONFLUENT_IAM_RECONCILE_WAIT_MS;
});

/** A client whose clock is `skewMs` off the machine's. */
function skewedClient(skewMs: number): ConfluentClient {
  return new ConfluentClient({
    endpoint: proxy.url,
    auth: { kind: "basic", apiKey: emu.apiKey, apiSecret: emu.apiSecret },
    retry: { baseDelayMs: 1 },
    now: () => Date.now() + skewMs,
  });
}

/** Makes a service account as another team would have, `ageMs` before now (the emulator's clock set back). */
async function madeByAnotherTeam(displayName: string, ageMs: number): Promise<string> {
  emulatorShift = -ageMs;
  try {
    return (
      (await api.ok("POST", PATH, { display_name: displayName, description: "team b" })) as { id: string }
    ).id;
  } finally {
    emulatorShift = 0;
  }
}

describe.each([
  ["10 minutes slow", -TEN_MINUTES],
  ["10 minutes fast", TEN_MINUTES],
])("the client's clock %s", (_label, skew) => {
  it("another team's service account made 3 s before our request is not taken over after a lost answer (502 before the API acted)", async () => {
    const theirs = await madeByAnotherTeam("payments-ci", 3000);
    const client = skewedClient(skew);
    try {
      proxy.failNextPost(PATH, "drop");
      const err = (await postOnce(serviceAccountSpec, new Set(), client, { displayName: "payments-ci" }).then(
        () => undefined,
        (e: unknown) => e,
      )) as Error;
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toBe(
        `Cannot create service account with display name "payments-ci": it already exists as ${theirs}, and ` +
          `it was created before this create request reached the API (by the API's clock) (the request's ` +
          `outcome is unknown: POST ${PATH} may have been applied by the server (look the object up before ` +
          `sending it again): failed with 502 Bad Gateway: Bad Gateway), so it was not taken over. If the ` +
          `program declares the same service account twice, remove one of the two resources. Otherwise, to ` +
          `manage the existing one, add the resource option { import: "${theirs}" } to this resource in the ` +
          `program and run pulumi up again (the Pulumi CLI's pulumi import command does not work for dynamic ` +
          `providers: pulumi/pulumi#16175), or choose different values.`,
      );
      // One POST (lost before the API), then the look-up: nothing sent again, nothing changed.
      expect(proxy.seen).toEqual([`POST ${PATH}`, `GET ${PATH}`]);
      expect((await api.dump()).service_accounts).toEqual([
        expect.objectContaining({ id: theirs, display_name: "payments-ci", description: "team b" }),
      ]);
    } finally {
      await client.close();
    }
  });

  it("our own service account, made by a request whose answer was lost (502 after the API acted), is recovered with one POST", async () => {
    await madeByAnotherTeam("someone-else", 3000);
    const client = skewedClient(skew);
    try {
      proxy.failNextPost(PATH, "after");
      const body = await postOnce(serviceAccountSpec, new Set(), client, { displayName: "payments-ci" });
      const ours = (await api.dump()).service_accounts!.filter((s) => s.display_name === "payments-ci");
      expect(ours.map((s) => s.id)).toEqual([body.id]);
      expect(proxy.seen.filter((s) => s.startsWith("POST"))).toEqual([`POST ${PATH}`]);
    } finally {
      await client.close();
    }
  });
});
