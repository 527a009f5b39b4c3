/**
 * Child process for the fund-order crash test: funds one campaign by agreement pay exactly as the console does
 * (record → Alipay → record the answer), as the user whose id and email are given. With HONGBAO_CRASH_AT set it
 * dies there. Usage: fund-order-child.ts <userId> <email> <campaignId> <amountFen>
 */
import { alipay } from "@/lib/alipay";
import type { UserActor } from "@/lib/auth/actor";
import { fundByAgreement } from "@/lib/fund-coupon/orders";

const [userId, email, campaignId, amount] = process.argv.slice(2);
if (!userId || !email || !campaignId || !amount)
  throw new Error("usage: fund-order-child.ts <userId> <email> <campaignId> <amountFen>");
const actor: UserActor = {
  type: "USER",
  userId,
  email,
  name: email,
  role: "marketer",
  ip: "203.0.113.9",
  userAgent: "crash-test",
};
const order = await fundByAgreement(alipay(), actor, {
  campaignId,
  amountFen: Number(amount),
  title: "Crash test funding",
  expiresInMinutes: 24 * 60,
});
console.log(JSON.stringify({ id: order.id, status: order.status }));
process.exit(0);
