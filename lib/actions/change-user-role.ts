"use server";

import { changeUserRole } from "@/lib/users/service";
import { changeRoleSchema } from "@/lib/validation/users";
import { defineAction } from "./safe-action";

export const changeUserRoleAction = defineAction(
  { name: "changeUserRole", requires: "user:manage", schema: changeRoleSchema },
  (input, { actor }) => changeUserRole(actor, input),
);
