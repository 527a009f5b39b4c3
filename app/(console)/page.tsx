import Link from "next/link";
import { StatCard } from "@/components/dashboard/stat-card";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { roleHasPermission } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { dashboardSummary } from "@/lib/campaigns/queries";
import type { DashboardCampaign } from "@/lib/campaigns/types";
import { formatDateTime } from "@/lib/format/date";
import { formatFen } from "@/lib/format/money";
import { getI18n } from "@/lib/i18n/server";

function CampaignList({
  items,
  empty,
  detail,
}: {
  items: DashboardCampaign[];
  empty: string;
  detail: (c: DashboardCampaign) => string;
}) {
  if (items.length === 0) return <p className="text-sm text-gray-500">{empty}</p>;
  return (
    <ul className="divide-y divide-gray-100">
      {items.map((c) => (
        <li key={c.id} className="flex items-center justify-between gap-3 py-2.5 text-sm">
          <Link
            href={`/campaigns/${c.id}`}
            className="font-medium text-gray-900 hover:text-brand-700 hover:underline"
          >
            {c.name}
          </Link>
          <span className="text-gray-500 tabular">{detail(c)}</span>
        </li>
      ))}
    </ul>
  );
}

/** A count that opens the list behind it. */
function CountLink({ href, count, testId }: { href: string; count: number; testId?: string }) {
  return (
    <Link href={href} className="hover:text-brand-700 hover:underline" data-testid={testId}>
      {count}
    </Link>
  );
}

export default async function DashboardPage() {
  const user = await requirePagePermission("dashboard:read", "/");
  const { t, timeZone } = await getI18n();
  const summary = await dashboardSummary(user);
  const canCreate = roleHasPermission(user.role, "campaign:create");
  return (
    <>
      <PageHeader
        title={t("dashboard.title")}
        description={t("dashboard.welcome", { name: user.name })}
        actions={canCreate ? <ButtonLink href="/campaigns/new">{t("campaigns.new")}</ButtonLink> : null}
      />
      {summary.activeCount === 0 && summary.awaitingFunding === 0 ? (
        <div className="mb-6">
          <EmptyState title={t("campaigns.empty")} description={t("dashboard.empty")} />
        </div>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard
          label={t("dashboard.activeBudget")}
          value={formatFen(summary.budgetFen)}
          hint={t("dashboard.activeCount", { count: summary.activeCount })}
          testId="stat-budget"
        />
        <StatCard
          label={t("dashboard.sentToday")}
          value={formatFen(summary.sentToday.amountFen)}
          hint={t("dashboard.sentTodayHint", { count: summary.sentToday.count })}
          testId="stat-today"
        />
        <StatCard
          label={t("dashboard.spentWeek")}
          value={formatFen(summary.spentWeekFen)}
          testId="stat-week"
        />
        <StatCard
          label={t("dashboard.available")}
          value={formatFen(summary.availableFen)}
          testId="stat-available"
        />
      </div>
      <div className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard
          label={t("dashboard.pendingApprovals")}
          value={<CountLink href="/approvals" count={summary.pendingApprovals} testId="stat-pending" />}
          hint={
            <Link href="/approvals" className="hover:text-brand-700 hover:underline">
              {t("dashboard.pendingApprovalsHint")}
            </Link>
          }
        />
        <StatCard
          label={t("dashboard.needsAttention")}
          value={
            <CountLink
              href="/payouts?status=NEEDS_ATTENTION"
              count={summary.needsAttention}
              testId="stat-attention"
            />
          }
          hint={
            <>
              <Link href="/payouts?status=UNKNOWN" className="hover:text-brand-700 hover:underline">
                {t("dashboard.beingConfirmed", { count: summary.beingConfirmed })}
              </Link>
              {summary.alarms > 0 ? (
                <Link
                  href="/payouts?status=NEEDS_ATTENTION"
                  className="mt-1 block font-medium text-red-700 hover:underline"
                  data-testid="stat-alarms"
                >
                  {t("dashboard.alarms", { count: summary.alarms })}
                </Link>
              ) : null}
            </>
          }
        />
        <StatCard
          label={t("dashboard.failedLast24h")}
          value={
            <CountLink href="/payouts?status=FAILED" count={summary.failedLast24h} testId="stat-failed" />
          }
          hint={
            <Link href="/payouts?status=FAILED" className="hover:text-brand-700 hover:underline">
              {t("dashboard.failedLast24hHint")}
            </Link>
          }
        />
        <StatCard
          label={t("dashboard.awaitingFunding")}
          value={
            <CountLink
              href="/campaigns?status=AWAITING_FUNDING"
              count={summary.awaitingFunding}
              testId="stat-awaiting-funding"
            />
          }
        />
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title={t("dashboard.endingSoon")} />
          <CardContent>
            <CampaignList
              items={summary.endingSoon}
              empty={t("dashboard.endingSoonEmpty")}
              detail={(c) => t("dashboard.endsAt", { time: formatDateTime(c.endsAt, timeZone) })}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader title={t("dashboard.lowBudget")} />
          <CardContent>
            <CampaignList
              items={summary.lowBudget}
              empty={t("dashboard.lowBudgetEmpty")}
              detail={(c) =>
                t("dashboard.lowBudgetItem", {
                  amount: formatFen(c.availableFen),
                  percent: Math.round((c.availableFen / c.budgetFen) * 100),
                })
              }
            />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
