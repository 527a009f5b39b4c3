import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { env } from "@/lib/env";
import { isLocale, LOCALE_COOKIE, translator, type Locale, type Translator } from "./messages";

/** The reader's language: their choice (cookie, set on switch and at sign-in) or the configured default. */
export const getLocale = cache(async (): Promise<Locale> => {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  return isLocale(chosen) ? chosen : env.DEFAULT_LOCALE;
});

export async function getI18n(): Promise<{ locale: Locale; t: Translator; timeZone: string }> {
  const locale = await getLocale();
  return { locale, t: translator(locale), timeZone: env.DISPLAY_TIME_ZONE };
}

export const LOCALE_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;
