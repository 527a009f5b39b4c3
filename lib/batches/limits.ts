/**
 * The limits of an uploaded batch file, in one place: the decoder, the parser, the upload page and
 * docs/batches.md all state the same figures. Pure: the browser shows them before anyone uploads.
 */

/** 10 MiB: 50,000 rows of the template's columns take about 5 MB, so this leaves room without inviting abuse. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Data rows (the header not counted): what one batch may hold (issue 10). */
export const MAX_ROWS = 50_000;

/** The longest cell the parser reads in a known column; longer is a broken file (a quote left open), not data. */
export const MAX_FIELD_CHARS = 1_000;

/**
 * The longest record (all its cells) csv-parse reads before giving up: an unclosed quote would otherwise
 * swallow the rest of the file into one field before the field limit above could be checked.
 */
export const MAX_RECORD_CHARS = 64 * 1024;
