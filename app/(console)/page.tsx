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

export default async function DashboardPage() {
  const user = await requirePagePermission("dashboard:read", "/");
  const { t, timeZone } = await getI18n();
  const summary = await dashboardSummary(user, timeZone);
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
          label={t("dashboard.spentToday")}
          value={formatFen(summary.spentTodayFen)}
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
      <div className="mt-6 grid gap-6 lg:grid-cols-3">
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
        <Card>
          <CardHeader title={t("dashboard.toDo")} />
          <CardContent>
            <dl className="space-y-3 text-sm">
              {(
                [
                  [
                    t("dashboard.awaitingFunding"),
                    summary.awaitingFunding,
                    "/campaigns?status=AWAITING_FUNDING",
                  ],
                  [t("dashboard.pendingApprovals"), summary.pendingApprovals, "/approvals"],
                  [t("dashboard.recentFailures"), summary.recentFailures, "/payouts"],
                ] as const
              ).map(([label, count, href]) => (
                <div key={label} className="flex items-center justify-between">
                  <dt className="text-gray-600">{label}</dt>
                  <dd>
                    <Link href={href} className="font-semibold text-gray-900 tabular hover:text-brand-700">
                      {count}
                    </Link>
                  </dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
