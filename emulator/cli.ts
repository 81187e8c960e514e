#!/usr/bin/env node
import { startEmulator } from "./index";
import { DEFAULT_API_SECRET, DEFAULT_AZURE_TOKEN, parseCli, USAGE } from "./options";
import { startTestIdentityProvider, type RunningTestIdp } from "./test-idp";

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return;
  }
  const options = parseCli(argv, process.env);
  const emu = await startEmulator({ port: 8089, ...options });
  // Tools wait for this exact first line.
  console.log(`listening on ${emu.url}`);
  console.log(`api key: ${emu.apiKey}`);
  console.log(
    emu.apiSecret === DEFAULT_API_SECRET
      ? `api secret: ${emu.apiSecret} (built-in demo default)`
      : "api secret: the value given with --api-secret / CONFLUENT_EMULATOR_API_SECRET (not printed)",
  );
  console.log(
    emu.azureToken === DEFAULT_AZURE_TOKEN
      ? `azure bearer token: ${emu.azureToken} (built-in demo default)`
      : "azure bearer token: the value given with --azure-token / CONFLUENT_EMULATOR_AZURE_TOKEN (not printed)",
  );
  if (options.dataFile) console.log(`data file: ${options.dataFile}`);
  let idp: RunningTestIdp | undefined;
  if (options.testIdp) {
    idp = await startTestIdentityProvider();
    // Obviously fake, made for local runs: the README's OAuth example reads these lines.
    console.log(`test identity provider: issuer ${idp.issuer}`);
    console.log(`test identity provider: jwks uri ${idp.jwksUri}`);
    console.log(`test identity provider: token url ${idp.tokenUrl}`);
    console.log(`test identity provider: client id ${idp.clientId}`);
    console.log(`test identity provider: client secret ${idp.clientSecret} (built-in demo default)`);
  }

  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void Promise.all([emu.close(), idp?.close()]).then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(`confluent-emulator: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
});
