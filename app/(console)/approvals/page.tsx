import type { Metadata } from "next";
import { ApprovalsTable } from "@/components/approvals/approvals-table";
import { PendingBatches } from "@/components/approvals/pending-batches";
import { PageHeader } from "@/components/ui/page-header";
import { roleHasPermission } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { listPendingBatches } from "@/lib/batches/queries";
import { getI18n } from "@/lib/i18n/server";
import { listPendingApprovals } from "@/lib/payouts/approvals";
import { approvalListQuerySchema } from "@/lib/validation/approvals";
import { firstValues } from "@/lib/validation/list-query";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("approvals.title") };
}

export default async function ApprovalsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const actor = await requirePagePermission("approval:read", "/approvals");
  const { t } = await getI18n();
  const query = approvalListQuerySchema().parse(firstValues(await searchParams));
  const [{ rows, total, page }, batches] = await Promise.all([
    listPendingApprovals(actor, query),
    listPendingBatches(actor),
  ]);
  const canDecide = roleHasPermission(actor.role, "payout:approve");
  return (
    <>
      <PageHeader
        title={t("approvals.title")}
        description={canDecide ? t("approvals.description") : t("approvals.readOnly")}
      />
      <PendingBatches batches={batches} canDecide={canDecide} />
      {batches.length > 0 ? (
        <h2 className="mt-8 mb-3 text-lg font-semibold text-gray-900">
          {t("approvals.batches.payoutsTitle")}
        </h2>
      ) : null}
      {/* Always the table's component, even when the queue is empty: it holds the outcome of the decision that
          emptied it, which would vanish with it. */}
      <ApprovalsTable rows={rows} total={total} query={{ ...query, page }} canDecide={canDecide} />
    </>
  );
}
