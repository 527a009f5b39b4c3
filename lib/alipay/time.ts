import "server-only";

/**
 * Alipay reads and writes local Beijing time whatever the server's time zone. alipay-sdk formats the request
 * `timestamp` in the process's zone, so the client sends its own (docs/decisions/010-alipay-client-and-simulator.md).
 * The functions live in the pure lib/time/beijing.ts, shared with the campaign form; this module keeps the
 * Alipay client's imports where they were.
 */
export { beijingTime, parseBeijingTime } from "@/lib/time/beijing";
