/**
 * The serialized provider (`__provider`) of an SDK class, exactly as the engine would store it. The capture
 * itself (the class registered under `pulumi.runtime.setMocks`, the registration read back) is the one the
 * provider tests use, so the benchmark measures the same text the tests check.
 */
import { captureRegistration } from "../testing/capture";

/** Registers one resource with `make()` and returns its serialized provider text. */
export async function providerTextOf(make: () => unknown): Promise<string> {
  const reg = await captureRegistration(make);
  if (!reg.providerText.startsWith("exports.handler")) {
    throw new Error(`the registration of ${reg.type} has no serialized provider`);
  }
  return reg.providerText;
}
