/**
 * The per-user frequency mirror for a campaign with a period limit (Alipay's send_freqency `D1|L5`): refused by
 * the console at request time, before any budget is held, counted per Beijing day and over the lifetime, and
 * only over payouts that may still be or were paid. Real database and simulator; nothing is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlipayClient } from "@/lib/alipay/client";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { cancelPayout, decidePayouts } from "@/lib/payouts/decisions";
import { requestPayout } from "@/lib/payouts/request";
import { beijingPeriodStart } from "@/lib/time/beijing";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { insertUser } from "../support/factories";
import { activeCampaign, userId, payoutRequest } from "../support/payouts";

let alipay: TestAlipay;
let client: AlipayClient;
let marketer: Awaited<ReturnType<typeof insertUser>>;
let approver: Awaited<ReturnType<typeof insertUser>>;

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client();
  [marketer, approver] = await Promise.all([insertUser("marketer"), insertUser("approver")]);
});
afterAll(() => alipay.sim.stop());

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

/** One day before the start of today in Beijing: the payout counts for its lifetime, not for today. */
async function moveToYesterday(payoutId: string): Promise<void> {
  const yesterday = new Date(beijingPeriodStart(new Date(), "DAY").getTime() - 60 * 60 * 1000);
  await db.payout.update({ where: { id: payoutId }, data: { createdAt: yesterday } });
}

function dailyCampaign(overrides: { autoApproveMaxFen?: number } = {}) {
  return activeCampaign(alipay, client, marketer.actor, {
    budgetFen: 10_000,
    packetCount: 100,
    frequencyLifetime: 5,
    frequencyPeriod: "DAY",
    frequencyPeriodLimit: 1,
    ...overrides,
  });
}

describe("a per-day frequency limit (1 a day, 5 in all)", () => {
  it("refuses a second payout to the same person the same Beijing day, naming identity, holding nothing", async () => {
    const campaign = await dailyCampaign();
    const first = await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(900) }));
    expect(first.payout.status).toBe("APPROVED");

    const second = await refusal(
      requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(900) })),
    );
    expect(second.code).toBe("CONFLICT");
    expect(second.ref).toEqual({
      key: "payouts.errors.frequencyLimitPeriod.DAY",
      params: { limit: 1, period: "DAY" },
    });
    expect(Object.keys(second.fieldErrors ?? {})).toEqual(["identity"]);
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(1);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reservedFen).toBe(100);

    // The limit is per person: someone else is paid the same day.
    expect(
      (await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(901) }))).payout
        .status,
    ).toBe("APPROVED");
  });

  it("a cancelled payout no longer counts; a pending one does", async () => {
    const campaign = await dailyCampaign();
    const first = await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(910) }));
    await cancelPayout(marketer.actor, first.payout.id);
    const again = await requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(910) }));
    expect(again.payout).toMatchObject({ status: "APPROVED" });
    expect(again.payout.outBizNo).not.toBe(first.payout.outBizNo);
    expect(
      (await refusal(requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(910) }))))
        .ref.key,
    ).toBe("payouts.errors.frequencyLimitPeriod.DAY");

    // Waiting for an approver counts too (it may still be paid); rejected, it no longer does.
    const waiting = await dailyCampaign({ autoApproveMaxFen: 0 });
    const pending = await requestPayout(marketer.actor, payoutRequest(waiting.id, { identity: userId(911) }));
    expect(pending.payout.status).toBe("PENDING_APPROVAL");
    expect(
      (await refusal(requestPayout(marketer.actor, payoutRequest(waiting.id, { identity: userId(911) })))).ref
        .key,
    ).toBe("payouts.errors.frequencyLimitPeriod.DAY");
    const rejected = await decidePayouts(approver.actor, {
      payoutIds: [pending.payout.id],
      decision: "reject",
      reason: "duplicate",
    });
    expect(rejected.done).toEqual([pending.payout.id]);
    expect(
      (await requestPayout(marketer.actor, payoutRequest(waiting.id, { identity: userId(911) }))).payout
        .status,
    ).toBe("PENDING_APPROVAL");
  });

  it("counts the day on Beijing's calendar, and the lifetime over every day", async () => {
    const campaign = await dailyCampaign();
    for (let day = 1; day <= 5; day++) {
      const { payout } = await requestPayout(
        marketer.actor,
        payoutRequest(campaign.id, { identity: userId(920) }),
      );
      expect(payout.status).toBe("APPROVED");
      if (day < 5) await moveToYesterday(payout.id); // yesterday's payout leaves today's allowance free
    }
    // Five in all (four on earlier days, one today): both the day's and the lifetime's limit are reached.
    const sixth = await refusal(
      requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(920) })),
    );
    expect(sixth.ref).toEqual({
      key: "payouts.errors.frequencyLimit",
      params: { limit: 5, period: "LIFETIME" },
    });
    expect(sixth.fieldErrors).toHaveProperty("identity");

    const today = await db.payout.findFirstOrThrow({
      where: { campaignId: campaign.id, createdAt: { gte: beijingPeriodStart(new Date(), "DAY") } },
    });
    await moveToYesterday(today.id);
    const stillLifetime = await refusal(
      requestPayout(marketer.actor, payoutRequest(campaign.id, { identity: userId(920) })),
    );
    expect(stillLifetime.ref.params).toEqual({ limit: 5, period: "LIFETIME" });
    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(5);
  });
});
