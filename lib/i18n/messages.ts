/**
 * The i18n layer: typed flat dictionaries (zh-CN defines the keys, English must match), one `translate`
 * function and a message reference type that servers return instead of text, so errors are shown in the
 * reader's language. Pure module: used by server and client code.
 */
import { en } from "./en";
import { LOCALES, type Locale } from "./locales";
import { zhCN } from "./zh-CN";

export { LOCALES, type Locale };
export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;
export type MessageParams = Record<string, string | number>;
/** A message to show, in no language yet: what services and actions return. */
export type MessageRef = { key: MessageKey; params?: MessageParams };

export const DICTIONARIES: Readonly<Record<Locale, Messages>> = { "zh-CN": zhCN, en };

export const LOCALE_COOKIE = "hongbao-locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === "string" && Object.hasOwn(zhCN, value);
}

export function translate(messages: Messages, key: MessageKey, params?: MessageParams): string {
  const template = messages[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : match,
  );
}

export type Translator = (key: MessageKey, params?: MessageParams) => string;

export function translator(locale: Locale): Translator {
  const messages = DICTIONARIES[locale];
  return (key, params) => translate(messages, key, params);
}
