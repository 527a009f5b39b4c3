/**
 * CSV writing for exports: RFC 4180 quoting, CRLF line ends, a UTF-8 byte-order mark so Excel reads Chinese
 * correctly, and formula neutralising so a spreadsheet never executes a cell. Rows go in (from any async
 * source, e.g. keyset-paginated queries), encoded chunks come out of a pull-based stream: nothing is read
 * ahead of what the reader has taken, so memory stays flat however many rows there are.
 */

export type CsvCell = string | number | null | undefined;
export type CsvRow = readonly CsvCell[];

export const CSV_BOM = "\uFEFF";
export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";

/** Rows are gathered into chunks of about this many characters before being encoded and handed on. */
const CHUNK_CHARS = 16 * 1024;

/**
 * Characters with which a spreadsheet starts a formula (=, +, -, @) or which it strips before looking for one
 * (tab, carriage return): OWASP's list for CSV injection.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell's text. Text starting like a formula gets a leading `'` (shown, never evaluated); numbers are left
 * alone, so a negative amount stays a number.
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "number" ? String(value) : value;
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvLine(row: CsvRow): string {
  return `${row.map(csvCell).join(",")}\r\n`;
}

/**
 * A byte stream of the header and rows, starting with the BOM. The source is pulled only when the reader
 * wants more; cancelling the stream (a closed download) stops the source too.
 */
export function csvStream(
  header: CsvRow,
  rows: AsyncIterable<CsvRow> | Iterable<CsvRow>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator =
    Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : toAsync(rows[Symbol.iterator]());
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let text = started ? "" : CSV_BOM + csvLine(header);
        started = true;
        while (text.length < CHUNK_CHARS) {
          const next = await iterator.next();
          if (next.done) {
            if (text) controller.enqueue(encoder.encode(text));
            controller.close();
            return;
          }
          text += csvLine(next.value);
        }
        controller.enqueue(encoder.encode(text));
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    // One chunk buffered ahead at most.
    { highWaterMark: 1 },
  );
}

function toAsync<T>(iterator: Iterator<T>): AsyncIterator<T> {
  return {
    next: async () => iterator.next(),
    return: async () => iterator.return?.() ?? { done: true, value: undefined },
  };
}
