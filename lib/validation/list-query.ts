/**
 * The one shape of a server-side table request, read from the URL: `?page=2&pageSize=20&sort=createdAt.desc&q=…`.
 * Bad or missing values fall back to defaults (a mangled URL shows the first page, never an error page).
 */
import { z } from "zod";
import { startOfDayInZone } from "@/lib/format/date";

export const PAGE_SIZES = [10, 20, 50, 100] as const;

export type SortDirection = "asc" | "desc";
export type Sort<F extends string> = { field: F; direction: SortDirection };

export type ListQuery<F extends string> = {
  page: number;
  pageSize: number;
  sort: Sort<F>;
  q: string;
};

export function listQuerySchema<const F extends string>(
  sortFields: readonly [F, ...F[]],
  defaultSort: Sort<F>,
) {
  const sortPattern = z.string().transform((value, ctx): Sort<F> => {
    const [field, direction] = value.split(".");
    if (
      (sortFields as readonly string[]).includes(field ?? "") &&
      (direction === "asc" || direction === "desc")
    ) {
      return { field: field as F, direction };
    }
    ctx.addIssue({ code: "custom", message: "validation.invalidOption" });
    return z.NEVER;
  });
  return z.object({
    page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
    pageSize: z.coerce
      .number()
      .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
      .catch(20)
      .default(20),
    sort: sortPattern.catch(defaultSort).default(defaultSort),
    q: z.string().trim().max(200).catch("").default(""),
  });
}

/** URLSearchParams / Next's searchParams object → plain record of first values. */
export function firstValues(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[key] = first;
  }
  return result;
}

export function skipTake(query: { page: number; pageSize: number }): { skip: number; take: number } {
  return { skip: (query.page - 1) * query.pageSize, take: query.pageSize };
}

/** One page of a list as shown: its rows, the total across all pages, and the page they belong to. */
export type ListPage<Row> = { rows: Row[]; total: number; page: number };

/** The last page of a list of `total` rows; an empty list still has page 1. */
export function lastPage(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * Reads one page of a list. A page past the end (an old bookmark, rows deleted since) shows the last page
 * rather than an empty table, and `page` says which one it is. The rows and the count are read in parallel;
 * only a request past the end costs a second read.
 */
export async function findPage<Row>(
  query: { page: number; pageSize: number },
  read: {
    rows: (window: { skip: number; take: number }) => Promise<Row[]>;
    count: () => Promise<number>;
  },
): Promise<ListPage<Row>> {
  const [rows, total] = await Promise.all([read.rows(skipTake(query)), read.count()]);
  const page = Math.min(query.page, lastPage(total, query.pageSize));
  if (rows.length > 0 || page === query.page) return { rows, total, page: query.page };
  if (total === 0) return { rows, total, page };
  return { rows: await read.rows(skipTake({ page, pageSize: query.pageSize })), total, page };
}

/** A page of a list whose count is bounded: past the bound, `total` is the bound and `totalIsEstimate` is true. */
export type BoundedListPage<Row> = ListPage<Row> & { totalIsEstimate: boolean };

/**
 * `findPage` for lists that grow without limit (a million payouts or audit events): the count stops after
 * `bound` rows, or after the end of the page asked for if that is further, so a page view never counts the
 * whole table; a larger result is shown as "10,000+". `count(limit)` must count at most `limit` rows.
 */
export async function findBoundedPage<Row>(
  query: { page: number; pageSize: number },
  bound: number,
  read: {
    rows: (window: { skip: number; take: number }) => Promise<Row[]>;
    count: (limit: number) => Promise<number>;
  },
): Promise<BoundedListPage<Row>> {
  const window = skipTake(query);
  const limit = Math.max(bound, window.skip + window.take);
  const [rows, counted] = await Promise.all([read.rows(window), read.count(limit + 1)]);
  const totalIsEstimate = counted > limit;
  const total = totalIsEstimate ? limit : counted;
  if (rows.length > 0 || query.page === 1 || totalIsEstimate) {
    return { rows, total, totalIsEstimate, page: query.page };
  }
  const page = lastPage(total, query.pageSize);
  if (total === 0) return { rows, total, totalIsEstimate, page };
  return {
    rows: await read.rows(skipTake({ page, pageSize: query.pageSize })),
    total,
    totalIsEstimate,
    page,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A `YYYY-MM-DD` date filter read in the viewer's time zone: the instant that day starts, or (`endExclusive`, for
 * a "to" date) the instant the next one starts. Anything else is no filter.
 */
export function dayFilter(timeZone: string, endExclusive: boolean) {
  return z
    .string()
    .transform((value) => {
      const start = startOfDayInZone(value, timeZone);
      if (!start) return undefined;
      return endExclusive ? new Date(start.getTime() + DAY_MS) : start;
    })
    .optional()
    .catch(undefined);
}
