"use server";

import { createUser } from "@/lib/users/service";
import { createUserSchema } from "@/lib/validation/users";
import { defineAction } from "./safe-action";

export const createUserAction = defineAction(
  { name: "createUser", schema: createUserSchema },
  (input, { actor }) => createUser(actor, input),
);
