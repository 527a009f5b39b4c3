/**
 * The "download the invalid rows" file of the batch preview: the uploaded header and the refused rows as they
 * were read, plus the original row number and the reasons in the reader's language, written by the export
 * writer (lib/csv/writer.ts: BOM, quoting, formula neutralising — uploaded cells are untrusted). The parser
 * ignores the two added columns and undoes the neutralising, so the fixed file can be uploaded again as is.
 */
import { csvStream, type CsvRow } from "@/lib/csv/writer";
import type { Locale } from "@/lib/i18n/locales";
import { translate } from "@/lib/i18n/messages";
import { batchColumn, INVALID_ROWS_HEADERS } from "./columns";
import type { ParsedBatch } from "./parse";
import type { BatchProblem } from "./validate";

/** "收款人：支付宝用户 ID 应为…" — a problem in words, naming its column. */
export function problemText(problem: BatchProblem, locale: Locale): string {
  const message = translate(locale, problem.key, problem.params);
  if (!problem.column) return message;
  return translate(locale, "batches.reason.withColumn", {
    column: translate(locale, batchColumn(problem.column).labelKey),
    message,
  });
}

export function invalidRowsCsv(
  batch: Pick<ParsedBatch, "header" | "rows">,
  problems: readonly BatchProblem[],
  locale: Locale,
): ReadableStream<Uint8Array> {
  const reasons = new Map<number, string[]>();
  for (const problem of problems) {
    const list = reasons.get(problem.row) ?? [];
    list.push(problemText(problem, locale));
    reasons.set(problem.row, list);
  }
  // Rows may be longer than the header (relaxed column count): keep every cell, under blank header cells.
  const width = batch.rows.reduce((most, row) => Math.max(most, row.raw.length), batch.header.length);
  const pad = (cells: readonly string[]) => [...cells, ...Array<string>(width - cells.length).fill("")];
  const header: CsvRow = [
    ...pad(batch.header),
    INVALID_ROWS_HEADERS.row[locale],
    INVALID_ROWS_HEADERS.reason[locale],
  ];
  const rows = batch.rows.flatMap((row): CsvRow[] => {
    const list = reasons.get(row.row);
    return list ? [[...pad(row.raw), row.row, list.join(locale === "zh-CN" ? "；" : "; ")]] : [];
  });
  return csvStream(header, rows);
}
