-- Campaigns created through the machine API have no user: the label names whoever created one.
ALTER TABLE "Campaign" DROP CONSTRAINT "Campaign_createdById_fkey";
ALTER TABLE "Campaign" ADD COLUMN     "createdByLabel" TEXT NOT NULL DEFAULT '',
ALTER COLUMN "createdById" DROP NOT NULL;
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
UPDATE "Campaign" c SET "createdByLabel" = u.email FROM "User" u WHERE u.id = c."createdById";

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "permissions" TEXT[],
    "campaignIds" TEXT[],
    "allCampaigns" BOOLEAN NOT NULL DEFAULT false,
    "ratePerMinute" INTEGER NOT NULL,
    "createdById" TEXT,
    "createdByLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedByLabel" TEXT,
    "lastUsedAt" TIMESTAMP(3),
    "lastUsedIp" TEXT,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT,
    "events" TEXT[],
    "secret" TEXT NOT NULL,
    "createdById" TEXT,
    "createdByLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMP(3),

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL DEFAULT gen_random_uuid()::text,
    "type" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL DEFAULT gen_random_uuid()::text,
    "eventId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attemptCount" INTEGER NOT NULL DEFAULT 0,
    "enqueuedAt" TIMESTAMP(3),
    "lastAttemptAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookAttempt" (
    "id" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT,
    "responseExcerpt" TEXT,

    CONSTRAINT "WebhookAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_secretHash_key" ON "ApiKey"("secretHash");

-- CreateIndex
CREATE INDEX "ApiKey_createdAt_idx" ON "ApiKey"("createdAt");

-- CreateIndex
CREATE INDEX "WebhookEndpoint_createdAt_idx" ON "WebhookEndpoint"("createdAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_createdAt_idx" ON "WebhookEvent"("createdAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_entityType_entityId_idx" ON "WebhookEvent"("entityType", "entityId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_enqueuedAt_idx" ON "WebhookDelivery"("enqueuedAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_createdAt_idx" ON "WebhookDelivery"("endpointId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_eventId_idx" ON "WebhookDelivery"("eventId");

-- CreateIndex
CREATE INDEX "WebhookAttempt_deliveryId_number_idx" ON "WebhookAttempt"("deliveryId", "number");

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "WebhookEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookAttempt" ADD CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;


ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_ratePerMinute_positive" CHECK ("ratePerMinute" > 0);

-- Webhook events are written by the database itself, in the transaction of the audit event of the change they
-- report (every payout and campaign change writes one, including the dispatcher's batched SQL), so no change
-- can commit without its event and no event exists for a change that rolled back. The payload is the payout or
-- campaign as the API shows it (lib/api/resources.ts; a test compares the two). See
-- docs/decisions/019-webhook-events-from-the-audit-log.md.
CREATE FUNCTION hongbao_webhook_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  event_type text;
  payload jsonb;
  event_id text;
  to_status text := NEW.after ->> 'status';
  from_status text := NEW.before ->> 'status';
BEGIN
  IF NEW."entityType" = 'Payout' AND to_status IS DISTINCT FROM from_status THEN
    event_type := CASE to_status
      WHEN 'SUCCEEDED' THEN 'payout.succeeded'
      WHEN 'FAILED' THEN 'payout.failed'
      WHEN 'NEEDS_ATTENTION' THEN 'payout.needs_attention'
      WHEN 'REJECTED' THEN 'payout.rejected'
    END;
  ELSIF NEW."entityType" = 'Campaign' THEN
    IF NEW.action = 'campaign.budget_low' THEN
      event_type := 'campaign.budget_low';
    ELSIF to_status = 'ACTIVE' AND from_status IN ('CREATING', 'UNKNOWN', 'AWAITING_FUNDING') THEN
      event_type := 'campaign.active';
    ELSIF to_status = 'SETTLED' AND from_status IS DISTINCT FROM 'SETTLED' THEN
      event_type := 'campaign.settled';
    END IF;
  END IF;
  IF event_type IS NULL OR NOT EXISTS (
    SELECT 1 FROM "WebhookEndpoint" e WHERE e."disabledAt" IS NULL AND event_type = ANY (e.events)
  ) THEN
    RETURN NEW;
  END IF;

  IF NEW."entityType" = 'Payout' THEN
    SELECT jsonb_build_object(
             'id', p.id, 'campaignId', p."campaignId", 'outBizNo', p."outBizNo", 'status', p.status,
             'amountFen', p."amountFen", 'awardedFen', p."awardedFen",
             'recipient', jsonb_build_object('type', p."identityType", 'id', p.identity),
             'scene', p.scene, 'memo', p.memo, 'source', p.source, 'autoApproved', p."autoApproved",
             'failureCode', p."failureCode", 'failureMessage', p."failureMessage",
             'attentionReason', p."attentionReason", 'decisionReason', p."decisionReason",
             'createdAt', to_char(p."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'updatedAt', to_char(p."updatedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'succeededAt', to_char(p."succeededAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
      INTO payload FROM "Payout" p WHERE p.id = NEW."entityId";
  ELSE
    SELECT jsonb_build_object(
             'id', c.id, 'name', c.name, 'status', c.status, 'rail', c.rail, 'prizeType', c."prizeType",
             'budgetFen', c."budgetFen", 'packetCount', c."packetCount", 'reservedFen', c."reservedFen",
             'spentFen', c."spentFen", 'refundedFen', c."refundedFen",
             -- lib/budget/figures.ts spendableFen: nothing is available before Alipay has the money.
             'availableFen', CASE WHEN c.rail = 'CASH_CAMPAIGN'
                                   AND c."alipayStatus" IN ('PAID', 'READY', 'PAUSE', 'CLOSED', 'SETTLE', 'SETTLED')
                                  THEN c."budgetFen" - c."reservedFen" - c."spentFen" - c."refundedFen" ELSE 0 END,
             'sentCount', c."sentCount", 'payUrl', c."payUrl",
             'startsAt', to_char(c."startsAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'endsAt', to_char(c."endsAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'createdAt', to_char(c."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'updatedAt', to_char(c."updatedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
      INTO payload FROM "Campaign" c WHERE c.id = NEW."entityId";
  END IF;
  IF payload IS NULL THEN
    RETURN NEW;
  END IF;

  INSERT INTO "WebhookEvent" (id, type, "entityType", "entityId", data, "createdAt")
  VALUES (gen_random_uuid()::text, event_type, NEW."entityType", NEW."entityId", payload, NEW."createdAt")
  RETURNING id INTO event_id;
  INSERT INTO "WebhookDelivery" (id, "eventId", "endpointId", status, "createdAt")
  SELECT gen_random_uuid()::text, event_id, e.id, 'PENDING', NEW."createdAt"
    FROM "WebhookEndpoint" e
   WHERE e."disabledAt" IS NULL AND event_type = ANY (e.events);
  RETURN NEW;
END $$;

-- Deferred to the commit, so the payload is the entity as the transaction leaves it: a change may write its
-- audit event before it is complete (a settling campaign's refund is recorded after its status move), and a
-- snapshot taken at the audit insert would then disagree with the row everyone reads afterwards. Still in the
-- same transaction: a failure here fails the commit, and a transaction that rolls back fires nothing.
CREATE CONSTRAINT TRIGGER "AuditEvent_webhook_event" AFTER INSERT ON "AuditEvent"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION hongbao_webhook_event();

-- The relay's outbox: deliveries not yet handed to pg-boss.
CREATE INDEX "WebhookDelivery_outbox" ON "WebhookDelivery" ("createdAt") WHERE "enqueuedAt" IS NULL;
