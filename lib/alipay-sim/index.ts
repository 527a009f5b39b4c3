/**
 * Local Alipay v2 gateway simulator: a standalone HTTP server speaking Alipay's real protocol (RSA2 both ways),
 * so dev, demo and tests use the official alipay-sdk over HTTP exactly as against Alipay. See
 * docs/alipay-simulator.md. Configured only through options: no environment, no Next.js, no database.
 */
export {
  startSimulator,
  PARTNER_ID as SIMULATOR_PARTNER_ID,
  type Simulator,
  type SimulatorOptions,
} from "./server";
export { generateKeyPair, ensureKeyFiles } from "./keys";
export type { FaultConfig, FaultRule } from "./faults";
export type { LedgerEntry } from "./store";
