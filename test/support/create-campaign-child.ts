/**
 * Child process for the crash tests: creates one campaign exactly as the create action does (record → Alipay →
 * record the answer), as the user whose id and email are given. With HONGBAO_CRASH_AT set it dies there.
 * Usage: create-campaign-child.ts <userId> <email> <campaign input as JSON>
 */
import { alipay } from "@/lib/alipay";
import type { UserActor } from "@/lib/auth/actor";
import { createCampaign } from "@/lib/campaigns/service";
import type { CampaignInput } from "@/lib/validation/campaigns";

const [userId, email, inputJson] = process.argv.slice(2);
if (!userId || !email || !inputJson)
  throw new Error("usage: create-campaign-child.ts <userId> <email> <json>");
const raw = JSON.parse(inputJson) as CampaignInput;
const input: CampaignInput = {
  ...raw,
  startsAt: raw.startsAt ? new Date(raw.startsAt) : null,
  endsAt: new Date(raw.endsAt),
};
const actor: UserActor = {
  type: "USER",
  userId,
  email,
  name: email,
  role: "marketer",
  ip: "203.0.113.9",
  userAgent: "crash-test",
};
const campaign = await createCampaign(alipay(), actor, input);
console.log(JSON.stringify({ id: campaign.id, status: campaign.status }));
process.exit(0);
