import "server-only";
import type { Payout, PayoutStatus, Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/service";
import type { Tx } from "@/lib/db";
import { assertTransition, type PayoutEvent } from "./transitions";

/** What the audit log keeps of a payout. */
export function payoutSnapshot(p: Payout) {
  return {
    status: p.status,
    campaignId: p.campaignId,
    outBizNo: p.outBizNo,
    amountFen: p.amountFen,
    awardedFen: p.awardedFen,
    scene: p.scene,
    source: p.source,
    autoApproved: p.autoApproved,
    attemptCount: p.attemptCount,
    failureCode: p.failureCode,
    attentionReason: p.attentionReason,
  };
}

/**
 * Moves a payout from its status as read to `to` along the transition table, with a guarded update (and any
 * extra `guard`, such as the lease owner), and writes `payout.<event>` to the audit log, in the caller's
 * transaction. Returns null, changing nothing, when someone else moved it first.
 */
export async function movePayout(
  tx: Tx,
  actor: Actor,
  payout: Pick<Payout, "id" | "status">,
  to: PayoutStatus,
  event: PayoutEvent,
  data: Prisma.PayoutUncheckedUpdateManyInput = {},
  guard: Prisma.PayoutWhereInput = {},
): Promise<Payout | null> {
  assertTransition(payout.status, to);
  const changed = await tx.payout.updateMany({
    where: { ...guard, id: payout.id, status: payout.status },
    data: { ...data, status: to },
  });
  if (changed.count !== 1) return null;
  const updated = await tx.payout.findUniqueOrThrow({ where: { id: payout.id } });
  await recordAudit(tx, actor, {
    action: `payout.${event}`,
    entityType: "Payout",
    entityId: payout.id,
    before: { status: payout.status },
    after: payoutSnapshot(updated),
  });
  return updated;
}
