-- CreateEnum
CREATE TYPE "CampaignRail" AS ENUM ('CASH_CAMPAIGN', 'FUND_COUPON', 'TRANSFER');

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('DRAFT', 'CREATING', 'AWAITING_FUNDING', 'ACTIVE', 'PAUSED', 'CLOSED', 'SETTLED', 'FAILED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "PrizeType" AS ENUM ('FIXED', 'RANDOM');

-- CreateEnum
CREATE TYPE "FrequencyPeriod" AS ENUM ('DAY', 'WEEK', 'MONTH');

-- CreateEnum
CREATE TYPE "PayoutScene" AS ENUM ('POINTS_REDEMPTION', 'INVITE_REWARD', 'MANUAL', 'OTHER');

-- CreateEnum
CREATE TYPE "PayoutStatus" AS ENUM ('PENDING_APPROVAL', 'APPROVED', 'SENDING', 'SUCCEEDED', 'FAILED', 'UNKNOWN', 'NEEDS_ATTENTION', 'REJECTED', 'CANCELED');

-- CreateEnum
CREATE TYPE "IdentityType" AS ENUM ('USER_ID', 'OPEN_ID', 'LOGIN_ID');

-- CreateEnum
CREATE TYPE "PayoutSource" AS ENUM ('CONSOLE', 'BATCH', 'API');

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prizeMessage" TEXT NOT NULL,
    "prizeType" "PrizeType" NOT NULL,
    "rail" "CampaignRail" NOT NULL,
    "status" "CampaignStatus" NOT NULL,
    "budgetFen" INTEGER NOT NULL,
    "packetCount" INTEGER NOT NULL,
    "reservedFen" INTEGER NOT NULL DEFAULT 0,
    "spentFen" INTEGER NOT NULL DEFAULT 0,
    "refundedFen" INTEGER NOT NULL DEFAULT 0,
    "sentCount" INTEGER NOT NULL DEFAULT 0,
    "startsAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3) NOT NULL,
    "frequencyLifetime" INTEGER NOT NULL DEFAULT 1,
    "frequencyPeriod" "FrequencyPeriod",
    "frequencyPeriodLimit" INTEGER,
    "merchantLink" TEXT,
    "defaultScene" "PayoutScene" NOT NULL,
    "autoApproveMaxFen" INTEGER NOT NULL DEFAULT 0,
    "autoApproveDailyCapFen" INTEGER NOT NULL DEFAULT 0,
    "crowdNo" TEXT,
    "originCrowdNo" TEXT,
    "payUrl" TEXT,
    "payUrlExpiresAt" TIMESTAMP(3),
    "alipayStatus" TEXT,
    "alipaySentFen" INTEGER,
    "alipayTotalFen" INTEGER,
    "lastSyncedAt" TIMESTAMP(3),
    "lastSyncError" TEXT,
    "createAttemptedAt" TIMESTAMP(3),
    "unknownLookups" INTEGER NOT NULL DEFAULT 0,
    "failureCode" TEXT,
    "failureMessage" TEXT,
    "closedAt" TIMESTAMP(3),
    "budgetMismatchAt" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignSnapshot" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "spentFen" INTEGER NOT NULL,
    "reservedFen" INTEGER NOT NULL,
    "alipaySentFen" INTEGER,

    CONSTRAINT "CampaignSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Payout" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "outBizNo" TEXT NOT NULL,
    "identityType" "IdentityType" NOT NULL,
    "identity" TEXT NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "scene" "PayoutScene" NOT NULL,
    "source" "PayoutSource" NOT NULL,
    "memo" TEXT,
    "status" "PayoutStatus" NOT NULL,
    "succeededAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Payout_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_crowdNo_key" ON "Campaign"("crowdNo");

-- CreateIndex
CREATE INDEX "Campaign_status_idx" ON "Campaign"("status");

-- CreateIndex
CREATE INDEX "Campaign_createdAt_idx" ON "Campaign"("createdAt");

-- CreateIndex
CREATE INDEX "Campaign_endsAt_idx" ON "Campaign"("endsAt");

-- CreateIndex
CREATE INDEX "CampaignSnapshot_campaignId_at_idx" ON "CampaignSnapshot"("campaignId", "at");

-- CreateIndex
CREATE INDEX "Payout_campaignId_status_idx" ON "Payout"("campaignId", "status");

-- CreateIndex
CREATE INDEX "Payout_status_updatedAt_idx" ON "Payout"("status", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Payout_campaignId_outBizNo_key" ON "Payout"("campaignId", "outBizNo");

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignSnapshot" ADD CONSTRAINT "CampaignSnapshot_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The budget invariant, enforced by the database as a last line of defence behind the guarded updates:
-- available = budget − reserved − spent − refunded never goes below zero, and no figure is negative.
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_available_not_negative"
  CHECK ("budgetFen" - "reservedFen" - "spentFen" - "refundedFen" >= 0);
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_figures_not_negative"
  CHECK ("budgetFen" > 0 AND "packetCount" > 0 AND "reservedFen" >= 0 AND "spentFen" >= 0 AND "refundedFen" >= 0 AND "sentCount" >= 0);
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_amount_positive" CHECK ("amountFen" > 0);
