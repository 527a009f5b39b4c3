-- Money returned to the company out of a campaign's budget (Campaign.refundedFen is their sum).

-- CreateEnum
CREATE TYPE "RefundKind" AS ENUM ('SETTLEMENT');

-- CreateTable
CREATE TABLE "CampaignRefund" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "kind" "RefundKind" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignRefund_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CampaignRefund_campaignId_idx" ON "CampaignRefund"("campaignId");

-- AddForeignKey
ALTER TABLE "CampaignRefund" ADD CONSTRAINT "CampaignRefund_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "CampaignRefund" ADD CONSTRAINT "CampaignRefund_amount_positive" CHECK ("amountFen" > 0);
