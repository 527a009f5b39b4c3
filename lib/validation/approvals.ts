/**
 * `/approvals?page=…&pageSize=…&sort=createdAt.asc|amountFen.desc&q=…`: the pending-approval queue, oldest first
 * by default (first come, first decided). Bad values fall back to defaults.
 */
import type { z } from "zod";
import { listQuerySchema } from "./list-query";

export function approvalListQuerySchema() {
  return listQuerySchema(["createdAt", "amountFen"], { field: "createdAt", direction: "asc" });
}

export type ApprovalListQuery = z.output<ReturnType<typeof approvalListQuerySchema>>;
