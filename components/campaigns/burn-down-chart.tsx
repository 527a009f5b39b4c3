"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatFen } from "@/lib/format/money";
import { useI18n } from "@/lib/i18n/client";

type Point = { at: number; remaining: number | null; alipayRemaining: number | null; ideal: number | null };

/**
 * Remaining budget over time: the console's own figure (budget − spent − reserved), Alipay's (budget −
 * send_amount), and the straight line an even pace over the campaign window would follow.
 */
export function BurnDownChart({
  budgetFen,
  startsAt,
  endsAt,
  snapshots,
}: {
  budgetFen: number;
  startsAt: string;
  endsAt: string;
  snapshots: Array<{ at: string; spentFen: number; reservedFen: number; alipaySentFen: number | null }>;
}) {
  const { t, formatDateTime } = useI18n();
  const start = new Date(startsAt).getTime();
  const end = new Date(endsAt).getTime();
  const points: Point[] = [
    { at: start, remaining: budgetFen, alipayRemaining: budgetFen, ideal: budgetFen },
    ...snapshots.map((s) => ({
      at: new Date(s.at).getTime(),
      remaining: budgetFen - s.spentFen - s.reservedFen,
      alipayRemaining: s.alipaySentFen === null ? null : budgetFen - s.alipaySentFen,
      ideal: null,
    })),
    { at: end, remaining: null, alipayRemaining: null, ideal: 0 },
  ].sort((a, b) => a.at - b.at);

  return (
    <figure aria-label={t("campaigns.detail.burnDown")} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#f3f4f6" />
          <XAxis
            dataKey="at"
            type="number"
            scale="time"
            domain={[start, end]}
            tickFormatter={(value: number) => formatDateTime(value).slice(5, 10)}
            tick={{ fontSize: 12, fill: "#6b7280" }}
          />
          <YAxis
            domain={[0, budgetFen]}
            tickFormatter={(value: number) => formatFen(Math.round(value))}
            tick={{ fontSize: 12, fill: "#6b7280" }}
            width={96}
          />
          <Tooltip
            labelFormatter={(value) => formatDateTime(Number(value))}
            formatter={(value) => formatFen(Math.round(Number(value)))}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line
            name={t("campaigns.detail.remaining")}
            dataKey="remaining"
            stroke="#d92d20"
            strokeWidth={2}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            name={t("campaigns.detail.alipaySent")}
            dataKey="alipayRemaining"
            stroke="#1677ff"
            strokeDasharray="4 3"
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            name="—"
            dataKey="ideal"
            stroke="#d1d5db"
            strokeDasharray="2 4"
            dot={false}
            connectNulls
            legendType="none"
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
