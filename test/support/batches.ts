/**
 * Batch test helpers: recipient files built in memory (as an uploader's spreadsheet would save them), refusals
 * caught as DomainErrors, CSV downloads read back as text and parsed, and a campaign's payouts counted by status.
 * Nothing here stands in for the code under test: files go through the real decoder, parser and services.
 */
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { expect } from "vitest";
import type { BatchFile } from "@/lib/batches/service";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { userId } from "./payouts";

/** The Chinese template's header, in its columns' order. */
export const BATCH_HEADER = "收款人类型,收款人,场景,备注,业务单号";

/** A CSV file of `lines` under the template's header (CRLF, as Excel saves it). */
export function batchFile(
  lines: readonly string[],
  options: { encoding?: "utf-8" | "gbk"; name?: string; header?: string } = {},
): BatchFile {
  const text = [options.header ?? BATCH_HEADER, ...lines].join("\r\n");
  const bytes =
    options.encoding === "gbk" ? new Uint8Array(iconv.encode(text, "gbk")) : new TextEncoder().encode(text);
  return { name: options.name ?? "名单.csv", bytes };
}

/** One good row for recipient `userId(n)` under business reference `<prefix>_<n>`. */
export function batchLine(n: number, prefix: string, memo = "感谢参与"): string {
  return `用户ID,${userId(n)},积分兑换,${memo},${prefix}_${n}`;
}

/** Good rows for recipients `userId(first) … userId(first + count - 1)`. */
export function batchLines(first: number, count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, i) => batchLine(first + i, prefix));
}

/** A business-reference prefix no other test run used (references are unique per campaign anyway). */
export function uniquePrefix(label: string): string {
  return `${label}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** The DomainError `promise` was refused with (the test fails if it resolved or threw anything else). */
export async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

/** A download's bytes as text, its byte-order mark kept (it is part of what the export writes). */
export async function streamText(stream: ReadableStream<Uint8Array>): Promise<string> {
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return new TextDecoder("utf-8", { ignoreBOM: true, fatal: true }).decode(bytes);
}

/** CSV text (BOM or not) as records of cells, read by the same library the upload uses. */
export function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true }) as string[][];
}

/** The campaign's payouts (or the batch's) counted by status. */
export async function statusCounts(where: { campaignId?: string; batchId?: string }) {
  const groups = await db.payout.groupBy({ by: ["status"], where, _count: true });
  return Object.fromEntries(groups.map((g) => [g.status, g._count])) as Record<string, number>;
}
