import "server-only";
import { alipay } from "@/lib/alipay";
import { inApiTerms } from "@/lib/api/payouts";
import { toApiPayout, type ApiPayout } from "@/lib/api/resources";
import type {
  ApiAppPayOrder,
  ApiAppPayOrderRequest,
  ApiRedPacket,
  ApiRedPacketClaimRequest,
  ApiRedPacketDetail,
} from "@/lib/api/schemas/red-packets";
import type { Actor } from "@/lib/auth/actor";
import { getUserPacket, userPacketDetail } from "@/lib/user-packets/queries";
import { claimUserPacket, confirmAppPayResult, createAppPayOrder } from "@/lib/user-packets/service";
import type { UserPacketRow } from "@/lib/user-packets/types";

/**
 * The machine API's user-funded red packets (the C2C flow on the FUND_COUPON rail): the API's shapes mapped onto
 * lib/user-packets. A claim answers with the payouts endpoint's own mapping (toApiPayout).
 */

function toApiRedPacket(row: UserPacketRow): ApiRedPacket {
  const { endsAt, ...rest } = row;
  return { ...rest, expiresAt: endsAt };
}

export async function createApiAppPayOrder(
  actor: Actor,
  body: ApiAppPayOrderRequest,
): Promise<{ order: ApiAppPayOrder; replayed: boolean }> {
  const created = await createAppPayOrder(alipay(), actor, body);
  return {
    replayed: created.replayed,
    order: {
      id: created.campaign.id,
      orderNo: created.order.outOrderNo,
      orderString: created.orderString,
      status: created.campaign.status,
      expiresAt: created.campaign.endsAt.toISOString(),
    },
  };
}

/** The payment's own permission (campaign:fund) is what the answer needs: the packet is read without another check. */
export async function confirmApiRedPacketPayment(
  actor: Actor,
  packetId: string,
  result: string,
): Promise<ApiRedPacket> {
  await confirmAppPayResult(alipay(), actor, packetId, result);
  return toApiRedPacket((await userPacketDetail(packetId)).packet);
}

export async function claimApiRedPacket(
  actor: Actor,
  packetId: string,
  body: ApiRedPacketClaimRequest,
): Promise<{ payout: ApiPayout; replayed: boolean }> {
  try {
    const requested = await claimUserPacket(actor, packetId, {
      outBizNo: body.outBizNo,
      recipientUserId: body.recipient.id,
      amountFen: body.amountFen,
    });
    return { payout: toApiPayout(requested.payout), replayed: requested.replayed };
  } catch (error) {
    throw inApiTerms(error);
  }
}

export async function getApiRedPacket(actor: Actor, packetId: string): Promise<ApiRedPacketDetail> {
  const detail = await getUserPacket(actor, packetId);
  return {
    packet: toApiRedPacket(detail.packet),
    claims: detail.claims.map(toApiPayout),
    refunds: detail.refunds,
  };
}
