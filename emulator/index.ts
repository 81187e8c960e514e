import type { EmulatorOptions } from "./options";
import { Emulator } from "./server";

export type { EmulatorOptions, FaultRates } from "./options";
export { DEFAULT_API_KEY, DEFAULT_API_SECRET, DEFAULT_AZURE_TOKEN } from "./options";
export type { LogEntry } from "./server";
export { defaultSeed, parseSeed, type Seed } from "./seed";
export { DEFAULT_STS_AUDIENCE, MAX_EXPIRES_IN, STS_PATH } from "./sts";
export {
  DEFAULT_GITHUB_CLAIMS,
  DEFAULT_GITHUB_REQUEST_TOKEN,
  DEFAULT_IDP_CLIENT_ID,
  DEFAULT_IDP_CLIENT_SECRET,
  startTestIdentityProvider,
  type RunningTestIdp,
  type TestIdpClient,
  type TestIdpOptions,
} from "./test-idp";

/** A running emulator. */
export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** The admin credential's key. */
  apiKey: string;
  /** The admin credential's secret. */
  apiSecret: string;
  /** Bearer token accepted on the Azure routes. */
  azureToken: string;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/**
 * Starts the emulator on 127.0.0.1 (docs/CONTRACTS.md "Emulator").
 *
 * @example
 * const emu = await startEmulator({ port: 0 });
 * await fetch(`${emu.url}/iam/v2/users`, { headers: { authorization: basic(emu.apiKey, emu.apiSecret) } });
 * await emu.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emu = new Emulator(options);
  const host = options.host ?? "127.0.0.1";
  const port = await emu.listen(options.port ?? 0, host);
  return {
    url: `http://${host}:${port}`,
    port,
    apiKey: emu.apiKey,
    apiSecret: emu.apiSecret,
    azureToken: emu.azureToken,
    close: () => emu.close(),
  };
}
