/**
 * The user-funded packets list's URL query (the console's one list shape, lib/validation/list-query.ts). Pure:
 * the page parses with it and the table reads its filters.
 */
import { z } from "zod";
import { CAMPAIGN_STATUSES } from "@/lib/enums";
import { listQuerySchema } from "./list-query";

export function userPacketListQuerySchema() {
  return listQuerySchema(["createdAt", "endsAt", "status"], { field: "createdAt", direction: "desc" }).extend(
    {
      status: z.enum(CAMPAIGN_STATUSES).optional().catch(undefined),
    },
  );
}
export type UserPacketListQuery = z.output<ReturnType<typeof userPacketListQuerySchema>>;
