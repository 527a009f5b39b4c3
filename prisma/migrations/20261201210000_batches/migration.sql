-- CreateEnum
CREATE TYPE "BatchStatus" AS ENUM ('PENDING_APPROVAL', 'APPROVED', 'PAUSED', 'REJECTED', 'CANCELED');

-- AlterTable
ALTER TABLE "Payout" ADD COLUMN     "batchId" TEXT;

-- CreateTable
CREATE TABLE "Batch" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "encoding" TEXT NOT NULL,
    "rowCount" INTEGER NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "status" "BatchStatus" NOT NULL,
    "requestedByType" "ActorType" NOT NULL,
    "requestedById" TEXT,
    "requestedByLabel" TEXT NOT NULL,
    "decidedById" TEXT,
    "decidedByLabel" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Batch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Batch_createdAt_id_idx" ON "Batch"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Batch_status_createdAt_idx" ON "Batch"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Batch_campaignId_createdAt_idx" ON "Batch"("campaignId", "createdAt");

-- CreateIndex
CREATE INDEX "Payout_batchId_status_nextAttemptAt_idx" ON "Payout"("batchId", "status", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Batch" ADD CONSTRAINT "Batch_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


ALTER TABLE "Batch" ADD CONSTRAINT "Batch_rowCount_positive" CHECK ("rowCount" > 0);
ALTER TABLE "Batch" ADD CONSTRAINT "Batch_amountFen_positive" CHECK ("amountFen" > 0);
