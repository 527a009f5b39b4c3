"use server";

import { setUserActive } from "@/lib/users/service";
import { setUserActiveSchema } from "@/lib/validation/users";
import { defineAction } from "./safe-action";

export const setUserActiveAction = defineAction(
  { name: "setUserActive", schema: setUserActiveSchema },
  (input, { actor }) => setUserActive(actor, input),
);
