import { describe, expect, it } from "vitest";
import { IDENTITY_TYPES } from "@/lib/enums";
import { BATCH_COLUMNS } from "./columns";
import { parseBatchCsv } from "./parse";
import { batchTemplateCsv } from "./template";
import { validateBatch, validateRow } from "./validate";

describe("batchTemplateCsv", () => {
  it.each(["zh-CN", "en"] as const)(
    "(%s) starts with a BOM and the header in the reader's language",
    (locale) => {
      const text = batchTemplateCsv(locale);
      expect(text.startsWith("\uFEFF")).toBe(true);
      const [header] = text.slice(1).split("\r\n");
      expect(header).toBe(BATCH_COLUMNS.map((c) => c.header[locale]).join(","));
    },
  );

  it.each(["zh-CN", "en"] as const)(
    "(%s) parses back: one example per recipient type, each otherwise valid",
    (locale) => {
      const parsed = parseBatchCsv(batchTemplateCsv(locale));
      if (!parsed.ok) throw new Error(parsed.error.key);
      expect(parsed.warnings).toEqual([]);
      expect(parsed.rows).toHaveLength(IDENTITY_TYPES.length);
      const outcomes = validateBatch(parsed.rows, { packetFen: 100, availableFen: 10_000, lifetimeLimit: 1 });
      // Uploaded unchanged, the template pays nobody: only because its recipients are the examples.
      for (const outcome of outcomes) {
        expect(outcome.ok ? [] : outcome.problems.map((p) => p.key)).toEqual([
          "batches.problem.templateExample",
        ]);
      }
      const types = parsed.rows.map((row) => {
        const outcome = validateRow({ ...row, cells: { ...row.cells, identity: "x" } });
        return outcome.ok ? null : outcome.problems.some((p) => p.column === "identityType");
      });
      expect(types).toEqual(IDENTITY_TYPES.map(() => false));
    },
  );
});
