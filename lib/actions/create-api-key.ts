"use server";

import { createApiKey } from "@/lib/api-keys/service";
import { createApiKeySchema } from "@/lib/validation/api-keys";
import { defineAction } from "./safe-action";

/** Returns the new key's row and its secret: the caller shows the secret once, it is never readable again. */
export const createApiKeyAction = defineAction(
  { name: "createApiKey", schema: createApiKeySchema },
  (input, { actor }) => createApiKey(actor, input),
);
