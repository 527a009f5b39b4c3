-- CreateIndex
CREATE INDEX "Payout_amountFen_createdAt_id_idx" ON "Payout"("amountFen", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Payout_campaignId_amountFen_createdAt_id_idx" ON "Payout"("campaignId", "amountFen", "createdAt", "id");

