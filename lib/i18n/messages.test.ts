import { describe, expect, it } from "vitest";
import {
  DICTIONARIES,
  isMessageKey,
  LOCALES,
  translate,
  translator,
  type PluralVariantKey,
} from "./messages";

const PLURAL_SUFFIX = /\.(zero|one|two|few|many)$/;

describe("plural forms", () => {
  it("picks the English singular for a count of 1 and the general form otherwise", () => {
    expect(translate("en", "table.totalRows", { count: 1 })).toBe("1 row");
    expect(translate("en", "table.totalRows", { count: 0 })).toBe("0 rows");
    expect(translate("en", "table.totalRows", { count: 2 })).toBe("2 rows");
    expect(translate("en", "table.totalRows", { count: 1.5 })).toBe("1.5 rows");
    expect(translator("en")("dashboard.activeCount", { count: 1 })).toBe("1 active campaign");
  });

  it("uses the one Chinese form for every count", () => {
    expect(translate("zh-CN", "table.totalRows", { count: 1 })).toBe("共 1 条");
    expect(translate("zh-CN", "table.totalRows", { count: 7 })).toBe("共 7 条");
  });

  it("has variants only for keys that show a {count}", () => {
    for (const locale of LOCALES) {
      const variants = Object.keys(DICTIONARIES[locale]).filter((key) => PLURAL_SUFFIX.test(key));
      for (const variant of variants) {
        const base = variant.replace(PLURAL_SUFFIX, "");
        // A variant in zh-CN would itself become a key that every language must define.
        expect(locale, variant).not.toBe("zh-CN");
        expect(isMessageKey(base), `${locale} ${variant}`).toBe(true);
        if (!isMessageKey(base)) continue;
        expect(DICTIONARIES[locale][base], `${locale} ${base}`).toContain("{count}");
        expect(DICTIONARIES[locale][variant as PluralVariantKey], `${locale} ${variant}`).toContain(
          "{count}",
        );
      }
    }
  });
});

describe("translate", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("en", "table.pageOf", { page: 3, pages: 3 })).toBe("Page 3 of 3");
    expect(translate("en", "table.pageOf", { page: 3 })).toBe("Page 3 of {pages}");
  });
});
