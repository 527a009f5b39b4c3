"use server";

import { revokeApiKey } from "@/lib/api-keys/service";
import { apiKeyIdSchema } from "@/lib/validation/api-keys";
import { defineAction } from "./safe-action";

export const revokeApiKeyAction = defineAction(
  { name: "revokeApiKey", schema: apiKeyIdSchema },
  (input, { actor }) => revokeApiKey(actor, input.apiKeyId),
);
