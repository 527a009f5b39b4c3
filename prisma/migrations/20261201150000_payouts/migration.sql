-- CreateEnum
CREATE TYPE "AttemptOutcome" AS ENUM ('OK', 'REJECTED', 'UNKNOWN');

-- DropIndex
DROP INDEX "Payout_campaignId_status_idx";

-- DropIndex
DROP INDEX "Payout_status_updatedAt_idx";

-- AlterTable
ALTER TABLE "Payout" ADD COLUMN     "alipayReference" TEXT,
ADD COLUMN     "attemptCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "attentionReason" TEXT,
ADD COLUMN     "autoApproved" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "awardedFen" INTEGER,
ADD COLUMN     "decidedAt" TIMESTAMP(3),
ADD COLUMN     "decidedById" TEXT,
ADD COLUMN     "decidedByLabel" TEXT,
ADD COLUMN     "decisionReason" TEXT,
ADD COLUMN     "failureCode" TEXT,
ADD COLUMN     "failureMessage" TEXT,
ADD COLUMN     "failureRetryable" BOOLEAN,
ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "requestIp" TEXT,
ADD COLUMN     "requestedById" TEXT,
ADD COLUMN     "requestedByLabel" TEXT NOT NULL,
ADD COLUMN     "requestedByType" "ActorType" NOT NULL;

-- CreateTable
CREATE TABLE "PayoutAttempt" (
    "id" TEXT NOT NULL,
    "payoutId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "outcome" "AttemptOutcome" NOT NULL,
    "code" TEXT,
    "subCode" TEXT,
    "subMsg" TEXT,
    "reason" TEXT,
    "traceId" TEXT,
    "awardedFen" INTEGER,
    "repeat" BOOLEAN NOT NULL DEFAULT false,
    "worker" TEXT NOT NULL,
    "rawReply" JSONB,

    CONSTRAINT "PayoutAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignDailyUsage" (
    "campaignId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "autoApprovedFen" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CampaignDailyUsage_pkey" PRIMARY KEY ("campaignId","day")
);

-- CreateTable
CREATE TABLE "RateWindow" (
    "key" TEXT NOT NULL,
    "windowStart" BIGINT NOT NULL,
    "used" INTEGER NOT NULL,

    CONSTRAINT "RateWindow_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "PayoutAttempt_payoutId_number_idx" ON "PayoutAttempt"("payoutId", "number");

-- CreateIndex
CREATE INDEX "Payout_createdAt_id_idx" ON "Payout"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Payout_campaignId_createdAt_idx" ON "Payout"("campaignId", "createdAt");

-- CreateIndex
CREATE INDEX "Payout_status_createdAt_idx" ON "Payout"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Payout_status_nextAttemptAt_idx" ON "Payout"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Payout_status_leaseExpiresAt_idx" ON "Payout"("status", "leaseExpiresAt");

-- CreateIndex
CREATE INDEX "Payout_identity_idx" ON "Payout"("identity");

-- CreateIndex
CREATE INDEX "Payout_outBizNo_idx" ON "Payout"("outBizNo");

-- CreateIndex
CREATE INDEX "Payout_campaignId_identityType_identity_createdAt_idx" ON "Payout"("campaignId", "identityType", "identity", "createdAt");

-- AddForeignKey
ALTER TABLE "PayoutAttempt" ADD CONSTRAINT "PayoutAttempt_payoutId_fkey" FOREIGN KEY ("payoutId") REFERENCES "Payout"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: what the schema language cannot say.
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_awarded_positive" CHECK ("awardedFen" IS NULL OR "awardedFen" > 0);
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_outBizNo_format" CHECK ("outBizNo" ~ '^[A-Za-z0-9_]{1,64}$');
ALTER TABLE "PayoutAttempt" ADD CONSTRAINT "PayoutAttempt_latency_nonnegative" CHECK ("latencyMs" >= 0);
ALTER TABLE "CampaignDailyUsage" ADD CONSTRAINT "CampaignDailyUsage_nonnegative" CHECK ("autoApprovedFen" >= 0);
