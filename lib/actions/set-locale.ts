"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { LOCALE_COOKIE, LOCALES } from "@/lib/i18n/messages";
import { LOCALE_COOKIE_MAX_AGE } from "@/lib/i18n/server";
import { setUserLocale } from "@/lib/users/service";
import { defineAction } from "./safe-action";

/** Remembers the language in a cookie, and for a signed-in user also on their account. */
export const setLocaleAction = defineAction(
  {
    name: "setLocale",
    schema: z.object({ locale: z.enum(LOCALES, "validation.invalidOption") }),
  },
  async ({ locale }, { actor }) => {
    (await cookies()).set(LOCALE_COOKIE, locale, {
      path: "/",
      maxAge: LOCALE_COOKIE_MAX_AGE,
      sameSite: "lax",
    });
    if (actor) await setUserLocale(actor, locale);
    return { locale };
  },
);
