-- Operations: worker heartbeats (/api/health), the request id on payouts (log correlation), the Alipay method
-- on payout attempts, and the indexes /api/metrics reads through.

-- AlterTable
ALTER TABLE "Payout" ADD COLUMN "requestId" TEXT;

-- AlterTable
ALTER TABLE "PayoutAttempt" ADD COLUMN "method" TEXT;

-- CreateTable
CREATE TABLE "WorkerHeartbeat" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "beatAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkerHeartbeat_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WorkerHeartbeat_beatAt_idx" ON "WorkerHeartbeat"("beatAt");

-- CreateIndex
CREATE INDEX "PayoutAttempt_outcome_startedAt_idx" ON "PayoutAttempt"("outcome", "startedAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_createdAt_idx" ON "WebhookDelivery"("status", "createdAt");
