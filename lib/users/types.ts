import type { Role } from "@/lib/auth/permissions";

/** A user as the console shows it (dates as ISO strings; never the password hash). */
export type UserRow = {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  createdAt: string;
  lastLoginAt: string | null;
};
