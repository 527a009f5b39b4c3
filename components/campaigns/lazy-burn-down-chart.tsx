"use client";

import dynamic from "next/dynamic";
import type { ComponentProps } from "react";
import type { BurnDownChart } from "./burn-down-chart";

/**
 * recharts is about 400 KiB of JavaScript (110 KiB gzipped) that only the campaign page uses, and the chart
 * draws nothing on the server anyway (ResponsiveContainer waits for the browser's width). So its code is fetched
 * after the page rather than with it, into a box of the chart's size so that nothing moves when it arrives.
 */
const Chart = dynamic(() => import("./burn-down-chart").then((m) => m.BurnDownChart), {
  ssr: false,
  loading: () => <div className="h-64 w-full" />,
});

export function LazyBurnDownChart(props: ComponentProps<typeof BurnDownChart>) {
  return <Chart {...props} />;
}
