-- CreateEnum
CREATE TYPE "RefundStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "FundOrderMethod" AS ENUM ('AGREEMENT', 'PAGE', 'APP');

-- CreateEnum
CREATE TYPE "FundOrderStatus" AS ENUM ('CREATING', 'AWAITING_PAYMENT', 'PAID', 'CLOSED', 'FAILED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "NotificationChannel" AS ENUM ('NOTIFY', 'GATEWAY');

-- CreateEnum
CREATE TYPE "NotificationOutcome" AS ENUM ('APPLIED', 'DUPLICATE', 'IGNORED', 'REFUSED', 'DEFERRED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "RefundKind" ADD VALUE 'RETURNED';
ALTER TYPE "RefundKind" ADD VALUE 'CLOSING';
ALTER TYPE "RefundKind" ADD VALUE 'EXPIRED';

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "dailyAmountPerUserFen" INTEGER,
ADD COLUMN     "payerUserId" TEXT,
ADD COLUMN     "maxPacketFen" INTEGER;

-- AlterTable
ALTER TABLE "CampaignRefund" ADD COLUMN     "attemptedAt" TIMESTAMP(3),
ADD COLUMN     "failureCode" TEXT,
ADD COLUMN     "fundOrderId" TEXT,
ADD COLUMN     "operationId" TEXT,
ADD COLUMN     "outRequestNo" TEXT,
ADD COLUMN     "requestedByLabel" TEXT,
ADD COLUMN     "status" "RefundStatus" NOT NULL DEFAULT 'SUCCEEDED',
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "Payout" ADD COLUMN     "fundOrderId" TEXT,
ADD COLUMN     "merchantKey" TEXT,
ADD COLUMN     "payeeName" TEXT;

-- CreateTable
CREATE TABLE "FundOrder" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "method" "FundOrderMethod" NOT NULL,
    "status" "FundOrderStatus" NOT NULL,
    "outOrderNo" TEXT NOT NULL,
    "outRequestNo" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "refundedFen" INTEGER NOT NULL DEFAULT 0,
    "authNo" TEXT,
    "operationId" TEXT,
    "expiresAt" TIMESTAMP(3),
    "payTimeoutAt" TIMESTAMP(3),
    "paidAt" TIMESTAMP(3),
    "failureCode" TEXT,
    "failureMessage" TEXT,
    "attemptedAt" TIMESTAMP(3),
    "unknownLookups" INTEGER NOT NULL DEFAULT 0,
    "requestedById" TEXT,
    "requestedByLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FundOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlipayNotification" (
    "id" TEXT NOT NULL,
    "channel" "NotificationChannel" NOT NULL,
    "type" TEXT NOT NULL,
    "notifyId" TEXT,
    "appId" TEXT,
    "fields" JSONB NOT NULL,
    "signatureValid" BOOLEAN NOT NULL,
    "outcome" "NotificationOutcome" NOT NULL,
    "reason" TEXT,
    "entityType" TEXT,
    "entityId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AlipayNotification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "FundOrder_outOrderNo_key" ON "FundOrder"("outOrderNo");

-- CreateIndex
CREATE UNIQUE INDEX "FundOrder_authNo_key" ON "FundOrder"("authNo");

-- CreateIndex
CREATE INDEX "FundOrder_campaignId_createdAt_idx" ON "FundOrder"("campaignId", "createdAt");

-- CreateIndex
CREATE INDEX "FundOrder_status_attemptedAt_idx" ON "FundOrder"("status", "attemptedAt");

-- CreateIndex
CREATE INDEX "AlipayNotification_receivedAt_id_idx" ON "AlipayNotification"("receivedAt", "id");

-- CreateIndex
CREATE INDEX "AlipayNotification_notifyId_idx" ON "AlipayNotification"("notifyId");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignRefund_outRequestNo_key" ON "CampaignRefund"("outRequestNo");

-- CreateIndex
CREATE INDEX "CampaignRefund_status_attemptedAt_idx" ON "CampaignRefund"("status", "attemptedAt");

-- CreateIndex
CREATE INDEX "Payout_fundOrderId_status_idx" ON "Payout"("fundOrderId", "status");

-- AddForeignKey
ALTER TABLE "CampaignRefund" ADD CONSTRAINT "CampaignRefund_fundOrderId_fkey" FOREIGN KEY ("fundOrderId") REFERENCES "FundOrder"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FundOrder" ADD CONSTRAINT "FundOrder_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_fundOrderId_fkey" FOREIGN KEY ("fundOrderId") REFERENCES "FundOrder"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- FUND_COUPON campaigns start with no budget (budget = what their paid orders brought); FUND_COUPON and TRANSFER
-- size each packet per request (maxPacketFen), so they have no packet count (0).
ALTER TABLE "Campaign" DROP CONSTRAINT "Campaign_figures_not_negative";
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_figures_not_negative"
  CHECK ("budgetFen" >= 0 AND "packetCount" >= 0 AND "reservedFen" >= 0 AND "spentFen" >= 0 AND "refundedFen" >= 0 AND "sentCount" >= 0);
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_rail_figures"
  CHECK (CASE WHEN "rail" = 'CASH_CAMPAIGN' THEN "budgetFen" > 0 AND "packetCount" > 0
              ELSE "maxPacketFen" IS NOT NULL AND "maxPacketFen" > 0 END);
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_daily_amount_positive"
  CHECK ("dailyAmountPerUserFen" IS NULL OR "dailyAmountPerUserFen" > 0);

-- An order never returns more than it holds; what it disbursed is read from its payouts.
ALTER TABLE "FundOrder" ADD CONSTRAINT "FundOrder_amounts"
  CHECK ("amountFen" > 0 AND "refundedFen" >= 0 AND "refundedFen" <= "amountFen");
ALTER TABLE "FundOrder" ADD CONSTRAINT "FundOrder_keys_format"
  CHECK ("outOrderNo" ~ '^[A-Za-z0-9_]{1,64}$' AND "outRequestNo" ~ '^[A-Za-z0-9_]{1,64}$');

-- A notify_id is applied at most once: a redelivery (or a replay) finds the applied row and changes nothing.
CREATE UNIQUE INDEX "AlipayNotification_notifyId_applied" ON "AlipayNotification"("notifyId") WHERE "outcome" = 'APPLIED';

-- Transfer and fund-coupon keys are unique per merchant at Alipay: one payout per key across all campaigns.
CREATE UNIQUE INDEX "Payout_merchantKey_key" ON "Payout"("merchantKey") WHERE "merchantKey" IS NOT NULL;
