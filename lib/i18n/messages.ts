/**
 * The i18n layer: typed flat dictionaries (zh-CN defines the keys, English must match), one `translate`
 * function and a message reference type that servers return instead of text, so errors are shown in the
 * reader's language. Pure module: used by server and client code.
 *
 * Plurals: a numeric `count` parameter picks the form `key.one` (or `.two`, `.few`, … as the language's
 * plural rules say) when the dictionary has it; `key` itself is the general ("other") form. Chinese has no
 * plural forms, so zh-CN never needs variants; English adds `.one`.
 */
import { en } from "./en";
import { LOCALES, type Locale } from "./locales";
import { zhCN } from "./zh-CN";

export { LOCALES, type Locale };
export type MessageKey = keyof typeof zhCN;
type PluralCategory = Exclude<Intl.LDMLPluralRule, "other">;
/** `table.totalRows.one`: the form of `table.totalRows` for that plural category. */
export type PluralVariantKey = `${MessageKey}.${PluralCategory}`;
export type Messages = Record<MessageKey, string> & Partial<Record<PluralVariantKey, string>>;
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

const PLURAL_RULES: Readonly<Record<Locale, Intl.PluralRules>> = {
  "zh-CN": new Intl.PluralRules("zh-CN"),
  en: new Intl.PluralRules("en"),
};

function templateFor(locale: Locale, key: MessageKey, count: unknown): string {
  const messages = DICTIONARIES[locale];
  if (typeof count !== "number") return messages[key];
  const category = PLURAL_RULES[locale].select(count);
  return (category === "other" ? undefined : messages[`${key}.${category}`]) ?? messages[key];
}

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = templateFor(locale, key, params?.count);
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : match,
  );
}

export type Translator = (key: MessageKey, params?: MessageParams) => string;

export function translator(locale: Locale): Translator {
  return (key, params) => translate(locale, key, params);
}
