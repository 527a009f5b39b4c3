import type { Metadata } from "next";
import { AuditTable } from "@/components/audit/audit-table";
import { PageHeader } from "@/components/ui/page-header";
import { auditFacets, listAuditEvents } from "@/lib/audit/service";
import { requirePagePermission } from "@/lib/auth/session";
import { getI18n } from "@/lib/i18n/server";
import { auditListQuerySchema } from "@/lib/validation/audit";
import { firstValues } from "@/lib/validation/list-query";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("audit.title") };
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const actor = await requirePagePermission("audit:read", "/audit");
  const { t, timeZone } = await getI18n();
  const query = auditListQuerySchema(timeZone).parse(firstValues(await searchParams));
  const [{ rows, total, totalIsEstimate, page }, facets] = await Promise.all([
    listAuditEvents(actor, query),
    auditFacets(actor),
  ]);
  return (
    <>
      <PageHeader title={t("audit.title")} />
      <AuditTable
        rows={rows}
        total={total}
        totalIsEstimate={totalIsEstimate}
        query={{ ...query, page }}
        facets={facets}
      />
    </>
  );
}
