"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { refreshCampaignAction } from "@/lib/actions/refresh-campaign";
import { useAction } from "@/lib/actions/use-action";

/**
 * Back from Alipay's cashier: asks Alipay for the campaign's new status once, as a POST (a server action), so
 * the GET that brought the payer here stays read-only and prefetching it changes nothing.
 */
export function RefreshOnArrival({ campaignId }: { campaignId: string }) {
  const router = useRouter();
  const { run } = useAction(refreshCampaignAction);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    run({ campaignId }, () => router.refresh());
  }, [campaignId, run, router]);
  return null;
}
