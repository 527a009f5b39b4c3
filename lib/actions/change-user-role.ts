"use server";

import { changeUserRole } from "@/lib/users/service";
import { changeRoleSchema } from "@/lib/validation/users";
import { defineAction } from "./safe-action";

export const changeUserRoleAction = defineAction(
  { name: "changeUserRole", schema: changeRoleSchema },
  (input, { actor }) => changeUserRole(actor, input),
);
