import { describe, expect, it } from "vitest";
import { findBoundedPage, findPage, lastPage } from "./list-query";

/** A list held in memory, recording the windows it was asked for. */
function listOf(length: number) {
  const items = Array.from({ length }, (_, i) => i + 1);
  const windows: Array<{ skip: number; take: number }> = [];
  const limits: number[] = [];
  return {
    windows,
    read: {
      rows: async (window: { skip: number; take: number }) => {
        windows.push(window);
        return items.slice(window.skip, window.skip + window.take);
      },
      count: async () => items.length,
      /** Counts at most `limit` items, recording the limits it was given. */
      countAtMost: async (limit: number) => {
        limits.push(limit);
        return Math.min(items.length, limit);
      },
    },
    limits,
  };
}

describe("lastPage", () => {
  it("rounds up, and an empty list has page 1", () => {
    expect(lastPage(0, 10)).toBe(1);
    expect(lastPage(1, 10)).toBe(1);
    expect(lastPage(10, 10)).toBe(1);
    expect(lastPage(11, 10)).toBe(2);
    expect(lastPage(25, 10)).toBe(3);
  });
});

describe("findPage", () => {
  it("returns the requested page with one read of rows", async () => {
    const list = listOf(25);
    expect(await findPage({ page: 2, pageSize: 10 }, list.read)).toEqual({
      rows: [11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
      total: 25,
      page: 2,
    });
    expect(list.windows).toEqual([{ skip: 10, take: 10 }]);
  });

  it("shows the last page for a page past the end, reading it once more", async () => {
    const list = listOf(25);
    expect(await findPage({ page: 9, pageSize: 10 }, list.read)).toEqual({
      rows: [21, 22, 23, 24, 25],
      total: 25,
      page: 3,
    });
    expect(list.windows).toEqual([
      { skip: 80, take: 10 },
      { skip: 20, take: 10 },
    ]);
  });

  it("answers page 1 of an empty list without a second read", async () => {
    const list = listOf(0);
    expect(await findPage({ page: 4, pageSize: 20 }, list.read)).toEqual({ rows: [], total: 0, page: 1 });
    expect(list.windows).toHaveLength(1);
  });

  it("keeps a full last page", async () => {
    const list = listOf(20);
    const result = await findPage({ page: 2, pageSize: 10 }, list.read);
    expect(result.page).toBe(2);
    expect(result.rows).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });
});

describe("findBoundedPage", () => {
  const bounded = (list: ReturnType<typeof listOf>) => ({
    rows: list.read.rows,
    count: list.read.countAtMost,
  });

  it("counts exactly up to the bound, asking for one row more than it", async () => {
    const list = listOf(25);
    expect(await findBoundedPage({ page: 2, pageSize: 10 }, 25, bounded(list))).toEqual({
      rows: [11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
      total: 25,
      totalIsEstimate: false,
      page: 2,
    });
    expect(list.limits).toEqual([26]);
  });

  it("reports a larger list as the bound, an estimate, without counting the rest", async () => {
    const list = listOf(1000);
    const result = await findBoundedPage({ page: 1, pageSize: 10 }, 30, bounded(list));
    expect(result).toMatchObject({ total: 30, totalIsEstimate: true, page: 1 });
    expect(list.limits).toEqual([31]);
  });

  it("counts past the bound to the end of a deep page, so that page stays reachable", async () => {
    const list = listOf(1000);
    const result = await findBoundedPage({ page: 9, pageSize: 10 }, 30, bounded(list));
    expect(result).toMatchObject({ total: 90, totalIsEstimate: true, page: 9 });
    expect(result.rows[0]).toBe(81);
    expect(list.limits).toEqual([91]);
  });

  it("shows the last page for a page past the end of a list under the bound", async () => {
    const list = listOf(25);
    const result = await findBoundedPage({ page: 9, pageSize: 10 }, 100, bounded(list));
    expect(result).toEqual({ rows: [21, 22, 23, 24, 25], total: 25, totalIsEstimate: false, page: 3 });
  });
});
