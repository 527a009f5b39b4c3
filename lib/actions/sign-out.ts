"use server";

import { z } from "zod";
import { signOut } from "@/lib/auth";
import { defineAction } from "./safe-action";

/** Public on purpose: a user whose session was just invalidated must still be able to clear the cookie. */
export const signOutAction = defineAction({ name: "signOut", schema: z.object({}) }, async () => {
  await signOut({ redirectTo: "/login?signedOut=1" });
});
