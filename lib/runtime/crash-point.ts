import "server-only";
import { env } from "@/lib/env";

/**
 * Named places where a process may die in the middle of an outbound operation (after its intent is stored,
 * after Alipay answered but before the answer is recorded, …). In production this does nothing. Tests start a
 * child process with HONGBAO_CRASH_AT=<name>, let it die there with SIGKILL (no cleanup, no finally blocks),
 * and prove that a sweeper resolves whatever it left in flight: every in-flight state has a way out.
 */
export type CrashPointName =
  | "campaign.create.before-alipay"
  | "campaign.create.after-alipay"
  | "payout.send.before-alipay"
  | "payout.send.after-alipay"
  | "fund_order.pay.before-alipay"
  | "fund_order.pay.after-alipay"
  | "webhook.relay.after-insert"
  | "webhook.deliver.before-post"
  | "webhook.deliver.after-post"
  | "webhook.deliver.after-record";

export function crashPoint(name: CrashPointName): void {
  if (env.HONGBAO_CRASH_AT === name) process.kill(process.pid, "SIGKILL");
}
