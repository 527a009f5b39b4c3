-- The dashboard's payout figures at a million payouts: "sent today / this week" read a range of succeededAt from
-- the index alone, "failed in the last 24 hours" a range of updatedAt; both were scans of the whole table.
-- CreateIndex
CREATE INDEX "Payout_status_succeededAt_awardedFen_idx" ON "Payout"("status", "succeededAt", "awardedFen");

-- CreateIndex
CREATE INDEX "Payout_status_updatedAt_idx" ON "Payout"("status", "updatedAt");
