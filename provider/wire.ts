/**
 * Pulumi's wire conventions now live in protocol/ (one module for the provider, SDK, runner and policy
 * pack). This re-export keeps code written against `provider/wire` compiling; new code imports ../protocol.
 */
export * from "../protocol";
