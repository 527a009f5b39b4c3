/**
 * Child process for the payout crash tests: runs one payout dispatcher configured from the environment
 * (dispatcherFromEnv: PAYOUT_*, the process's Alipay client and shared rate limit), exactly as the worker does,
 * without pg-boss. With HONGBAO_CRASH_AT set it dies there by SIGKILL; otherwise it stops by itself after
 * <maxMs> (exit code 3), so a crash point that is never reached fails the test instead of hanging it.
 * Usage: dispatch-child.ts [maxMs]
 */
import { dispatcherFromEnv } from "@/lib/payouts/dispatch";

const maxMs = Number(process.argv[2] ?? 30_000);
const dispatcher = dispatcherFromEnv();
dispatcher.start();
console.log(JSON.stringify({ worker: dispatcher.worker }));
setTimeout(() => {
  void dispatcher.stop().then(() => process.exit(3));
}, maxMs);
