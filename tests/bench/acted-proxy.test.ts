/**
 * bench/acted-proxy.ts: passes requests on to the emulator and answers a seeded share of POSTs with a 502
 * after the emulator made the object. Against the emulator on loopback.
 */
import { ActedFaultProxy } from "../../bench/acted-proxy";
import { BenchEmulator } from "../../bench/support";

let emu: BenchEmulator;
let auth: string;

beforeAll(async () => {
  emu = await BenchEmulator.start({ rateLimit: 50 });
  const env = emu.env();
  auth = `Basic ${Buffer.from(`${env.CONFLUENT_CLOUD_API_KEY}:${env.CONFLUENT_CLOUD_API_SECRET}`).toString("base64")}`;
});

afterAll(async () => {
  await emu.close();
});

const post = (url: string, name: string): Promise<Response> =>
  fetch(`${url}/iam/v2/service-accounts`, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/json" },
    body: JSON.stringify({ display_name: name, description: "" }),
  });

it("every POST answered 502 at rate 1, yet made: the emulator holds the objects; a GET is not faulted", async () => {
  const proxy = await ActedFaultProxy.start(emu.url, 1, 7);
  try {
    const answers = [await post(proxy.url, "acted-a"), await post(proxy.url, "acted-b")];
    expect(answers.map((r) => r.status)).toEqual([502, 502]);
    expect(await answers[0]!.json()).toEqual({ errors: [{ status: "502", detail: "Bad Gateway" }] });
    const get = await fetch(`${proxy.url}/iam/v2/service-accounts?page_size=1`, {
      headers: { authorization: auth },
    });
    expect(get.status).toBe(200);
    expect(proxy.faulted).toBe(2);
    const dump = await emu.dump();
    const names = (dump.service_accounts ?? []).map((r) => r.display_name);
    expect(names).toEqual(expect.arrayContaining(["acted-a", "acted-b"]));
  } finally {
    await proxy.close();
  }
});

it("at rate 0 answers pass through with their status and headers", async () => {
  const proxy = await ActedFaultProxy.start(emu.url, 0, 7);
  try {
    const made = await post(proxy.url, "acted-c");
    expect(made.status).toBe(201);
    const conflict = await post(proxy.url, "acted-c");
    expect(conflict.status).toBe(409);
    const list = await fetch(`${proxy.url}/iam/v2/service-accounts?page_size=1`, {
      headers: { authorization: auth },
    });
    expect(list.status).toBe(200);
    expect(list.headers.get("x-ratelimit-limit")).toBe("50");
    expect(proxy.faulted).toBe(0);
  } finally {
    await proxy.close();
  }
});

it("the same seed answers the same POSTs 502", async () => {
  const pattern = async (): Promise<number[]> => {
    const proxy = await ActedFaultProxy.start(emu.url, 0.5, 11);
    try {
      const out: number[] = [];
      for (let i = 0; i < 6; i++) out.push((await post(proxy.url, `seeded-${Date.now()}-${i}`)).status);
      return out;
    } finally {
      await proxy.close();
    }
  };
  const first = await pattern();
  expect(first.every((s) => s === 201 || s === 502)).toBe(true);
  expect(await pattern()).toEqual(first);
});
