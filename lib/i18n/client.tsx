"use client";

import { createContext, useContext, useMemo, type ReactNode } from "react";
import { formatDateTime } from "@/lib/format/date";
import { translate, type Locale, type MessageKey, type MessageParams, type MessageRef } from "./messages";

type I18nValue = {
  locale: Locale;
  timeZone: string;
  t: (key: MessageKey, params?: MessageParams) => string;
  /** Translates a message reference returned by the server. */
  tr: (ref: MessageRef) => string;
  formatDateTime: (value: Date | string | number, options?: { seconds?: boolean }) => string;
};

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({
  locale,
  timeZone,
  children,
}: {
  locale: Locale;
  timeZone: string;
  children: ReactNode;
}) {
  const value = useMemo<I18nValue>(
    () => ({
      locale,
      timeZone,
      t: (key, params) => translate(locale, key, params),
      tr: (ref) => translate(locale, ref.key, ref.params),
      formatDateTime: (date, options) => formatDateTime(date, timeZone, options),
    }),
    [locale, timeZone],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n must be used inside <I18nProvider>");
  return value;
}
