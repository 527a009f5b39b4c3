import "server-only";
import { db } from "@/lib/db";

/** Whether the database answers: what load balancers and the launcher's start-up wait ask about. */
export async function databaseReachable(): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
