import "server-only";
import { checkBudgets } from "@/lib/budget/service";

/** `campaign.budget-check` (hourly): stored budget figures against the payouts and refunds they summarise. */
export async function runBudgetCheck(): Promise<void> {
  const mismatches = await checkBudgets();
  if (mismatches.length > 0)
    console.warn(`[jobs] budget check: ${mismatches.length} campaigns disagree with their payouts`);
}
