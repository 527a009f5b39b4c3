"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/lib/auth";
import { currentLockout } from "@/lib/auth/login";
import { minutesUntil } from "@/lib/auth/throttle";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { isLocale, LOCALE_COOKIE } from "@/lib/i18n/messages";
import { LOCALE_COOKIE_MAX_AGE } from "@/lib/i18n/server";
import { loginSchema } from "@/lib/validation/users";
import { defineAction } from "./safe-action";

/** Only same-site paths: an open redirect after sign-in would be a phishing aid. */
function safeReturnPath(callbackUrl: string | undefined): string {
  if (
    !callbackUrl ||
    !callbackUrl.startsWith("/") ||
    callbackUrl.startsWith("//") ||
    callbackUrl.startsWith("/\\")
  ) {
    return "/";
  }
  return callbackUrl.startsWith("/login") ? "/" : callbackUrl;
}

export const signInAction = defineAction({ name: "signIn", schema: loginSchema }, async (input, { meta }) => {
  const returnTo = safeReturnPath(input.callbackUrl);
  try {
    await signIn("credentials", { email: input.email, password: input.password, redirect: false });
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === "throttled") {
      const until = await currentLockout(input.email, meta.ip ?? "unknown");
      const minutes = until ? minutesUntil(until, new Date()) : 15;
      throw new DomainError("RATE_LIMITED", { key: "login.throttled", params: { minutes } });
    }
    if (error instanceof AuthError) throw new DomainError("UNAUTHENTICATED", { key: "login.invalid" });
    throw error;
  }
  // Signed in: restore the language this person chose last time.
  const user = await db.user.findUnique({ where: { email: input.email }, select: { locale: true } });
  if (isLocale(user?.locale)) {
    (await cookies()).set(LOCALE_COOKIE, user.locale, {
      path: "/",
      maxAge: LOCALE_COOKIE_MAX_AGE,
      sameSite: "lax",
    });
  }
  redirect(returnTo);
});
