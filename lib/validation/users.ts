import { z } from "zod";
import { recordIdSchema, storableText } from "./text";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/auth/password-rules";
import { ROLES } from "@/lib/auth/permissions";
import { listQuerySchema } from "./list-query";

export const emailSchema = z
  .string("validation.required")
  .trim()
  .toLowerCase()
  .min(1, "validation.required")
  .max(254, "validation.tooLong")
  .pipe(z.email("validation.invalidEmail"));

export const roleSchema = z.enum(ROLES, "validation.invalidOption");

export const createUserSchema = z.object({
  email: emailSchema,
  name: storableText(
    z.string("validation.required").trim().min(1, "validation.required").max(100, "validation.tooLong"),
  ),
  role: roleSchema,
  password: z
    .string("validation.required")
    .min(PASSWORD_MIN_LENGTH, "validation.tooShort")
    .max(PASSWORD_MAX_LENGTH, "validation.tooLong"),
});
export type CreateUserInput = z.output<typeof createUserSchema>;

export const userIdSchema = recordIdSchema;

export const changeRoleSchema = z.object({ userId: userIdSchema, role: roleSchema });
export type ChangeRoleInput = z.output<typeof changeRoleSchema>;

export const setUserActiveSchema = z.object({
  userId: userIdSchema,
  active: z.preprocess(
    (v) => (v === "true" ? true : v === "false" ? false : v),
    z.boolean("validation.invalid"),
  ),
});
export type SetUserActiveInput = z.output<typeof setUserActiveSchema>;

export const USER_STATUSES = ["active", "disabled"] as const;

export const usersListQuerySchema = listQuerySchema(["email", "name", "role", "createdAt", "lastLoginAt"], {
  field: "createdAt",
  direction: "desc",
}).extend({
  role: roleSchema.optional().catch(undefined),
  status: z.enum(USER_STATUSES).optional().catch(undefined),
});
export type UsersListQuery = z.output<typeof usersListQuerySchema>;

export const loginSchema = z.object({
  email: emailSchema,
  password: z.string("validation.required").min(1, "validation.required").max(PASSWORD_MAX_LENGTH),
  callbackUrl: z.string().max(2000).optional(),
});
