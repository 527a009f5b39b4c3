/**
 * Row validation for batches, with the single-send rules (lib/validation/payouts.ts: one set of rules for the
 * form, the API and batches), and the checks across the file that need no database: duplicate business
 * references, a recipient more often than the campaign allows, more rows than the budget covers. What the
 * database knows (references already used, recipients' earlier payouts, the available budget) is passed in by
 * the caller. Every problem names its row and column with an i18n key. Pure.
 */
import type { FrequencyPeriod, IdentityType, PayoutScene } from "@/lib/enums";
import type { MessageKey, MessageParams } from "@/lib/i18n/messages";
import { identityProblem, MEMO_MAX, OUT_BIZ_NO_PATTERN } from "@/lib/validation/payouts";
import { parseIdentityType, parseScene, type BatchField } from "./columns";
import type { ParsedRow } from "./parse";
import { TEMPLATE_EXAMPLE_IDENTITIES } from "./template";

/** As the single-send form limits them (payoutRequestSchema). */
export const IDENTITY_MAX = 128;
/** A person's name as Alipay's transfer takes it (payee_info.name); generous for transliterated names. */
export const NAME_MAX = 100;

export type BatchProblem = {
  row: number;
  /** The column at fault, or null for the row as a whole. */
  column: BatchField | null;
  key: MessageKey;
  params?: MessageParams;
};

/** A row ready for the request path: `PayoutRequestInput` without the campaign, scene null = its default. */
export type BatchRowInput = {
  row: number;
  identityType: IdentityType;
  identity: string;
  name: string | null;
  scene: PayoutScene | null;
  memo: string | null;
  outBizNo: string | null;
};

export type RowOutcome =
  { row: number; ok: true; value: BatchRowInput } | { row: number; ok: false; problems: BatchProblem[] };

/** Excel shows long digit strings as `2.08812E+15` and saves them so: the id is lost, say how to keep it. */
const SCIENTIFIC_NOTATION = /^\d(\.\d+)?E\+?\d+$/i;

const orNull = (text: string): string | null => (text === "" ? null : text);

/** One row on its own. `requireName`: the campaign's rail needs a name for login-id recipients. */
export function validateRow(parsed: ParsedRow, options: { requireName?: boolean } = {}): RowOutcome {
  const { row, cells } = parsed;
  const problems: BatchProblem[] = [];
  const problem = (column: BatchField, key: MessageKey, params?: MessageParams) =>
    problems.push(params ? { row, column, key, params } : { row, column, key });

  const identityType = cells.identityType === "" ? null : parseIdentityType(cells.identityType);
  if (cells.identityType === "") problem("identityType", "validation.required");
  else if (!identityType) problem("identityType", "batches.problem.identityType");

  const identity = cells.identity;
  if (identity === "") problem("identity", "validation.required");
  else if (identity.length > IDENTITY_MAX)
    problem("identity", "validation.tooLong", { maximum: IDENTITY_MAX });
  else if (SCIENTIFIC_NOTATION.test(identity)) problem("identity", "batches.problem.scientificNotation");
  else if (TEMPLATE_EXAMPLE_IDENTITIES.has(identity)) problem("identity", "batches.problem.templateExample");
  else if (identityType) {
    const key = identityProblem(identityType, identity);
    if (key) problem("identity", key as MessageKey);
  }

  if (cells.name.length > NAME_MAX) problem("name", "validation.tooLong", { maximum: NAME_MAX });
  else if (options.requireName && identityType === "LOGIN_ID" && cells.name === "")
    problem("name", "batches.problem.nameRequired");

  const scene = cells.scene === "" ? null : parseScene(cells.scene);
  if (cells.scene !== "" && !scene) problem("scene", "batches.problem.scene");

  if (cells.memo.length > MEMO_MAX) problem("memo", "validation.tooLong", { maximum: MEMO_MAX });

  if (cells.outBizNo !== "" && !OUT_BIZ_NO_PATTERN.test(cells.outBizNo))
    problem("outBizNo", "payouts.validation.outBizNo");

  if (problems.length > 0 || !identityType) return { row, ok: false, problems };
  return {
    row,
    ok: true,
    value: {
      row,
      identityType,
      identity,
      name: orNull(cells.name),
      scene,
      memo: orNull(cells.memo),
      outBizNo: orNull(cells.outBizNo),
    },
  };
}

/** The key a recipient is counted under, here and by the caller that counts earlier payouts. */
export function recipientKey(recipient: { identityType: IdentityType; identity: string }): string {
  return `${recipient.identityType}:${recipient.identity}`;
}

/**
 * Rows sharing a business reference: every one of them is refused (which one the uploader meant is theirs to
 * say), each naming another row with it.
 */
export function duplicateOutBizNoProblems(rows: readonly ParsedRow[]): BatchProblem[] {
  const rowsByRef = new Map<string, number[]>();
  for (const { row, cells } of rows) {
    if (cells.outBizNo === "" || !OUT_BIZ_NO_PATTERN.test(cells.outBizNo)) continue;
    const list = rowsByRef.get(cells.outBizNo);
    if (list) list.push(row);
    else rowsByRef.set(cells.outBizNo, [row]);
  }
  const problems: BatchProblem[] = [];
  for (const list of rowsByRef.values()) {
    if (list.length < 2) continue;
    const [first = 0, second = 0] = list;
    for (const row of list)
      problems.push({
        row,
        column: "outBizNo",
        key: "batches.problem.duplicateOutBizNo",
        params: { otherRow: row === first ? second : first },
      });
  }
  return problems;
}

/**
 * Rows that would take a recipient past the campaign's lifetime limit, counting the payouts they already
 * have (`used`, by `recipientKey`; missing = none): the first rows in file order fit, the rest are refused.
 * With `key`, the same count against a per-period limit (every row of a batch is requested now, so the
 * period is the current one and `used` counts its payouts).
 */
export function frequencyProblems(
  rows: readonly BatchRowInput[],
  lifetimeLimit: number,
  used: ReadonlyMap<string, number> = new Map(),
  key: MessageKey = "batches.problem.frequency",
): BatchProblem[] {
  const counts = new Map<string, { count: number; firstRow: number }>();
  const problems: BatchProblem[] = [];
  for (const input of rows) {
    const recipient = recipientKey(input);
    const seen = counts.get(recipient) ?? { count: used.get(recipient) ?? 0, firstRow: input.row };
    seen.count += 1;
    counts.set(recipient, seen);
    if (seen.count > lifetimeLimit)
      problems.push({
        row: input.row,
        column: "identity",
        key,
        params: { limit: lifetimeLimit, firstRow: seen.firstRow },
      });
  }
  return problems;
}

/** How many packets of `packetFen` the available budget pays for (integer fen). */
export function packetsCovered(packetFen: number, availableFen: number): number {
  if (packetFen <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.floor(availableFen / packetFen));
}

/** The valid rows past what the budget covers, in file order. */
export function budgetProblems(
  rows: readonly BatchRowInput[],
  packetFen: number,
  availableFen: number,
): BatchProblem[] {
  const covered = packetsCovered(packetFen, availableFen);
  return rows.slice(covered).map((input) => ({
    row: input.row,
    column: null,
    key: "batches.problem.overBudget",
    params: { count: covered },
  }));
}

export type BatchContext = {
  /** What one row holds of the budget: the fixed packet, or a random prize's largest packet. */
  packetFen: number;
  /** What the campaign can still pay out. */
  availableFen: number;
  /** The campaign's per-recipient lifetime limit, and what each recipient already has. */
  lifetimeLimit: number;
  usedByRecipient?: ReadonlyMap<string, number>;
  /** The campaign's optional per-period limit, and each recipient's payouts in the current period. */
  period?: { period: FrequencyPeriod; limit: number; usedByRecipient?: ReadonlyMap<string, number> };
  /** Business references the campaign already has payouts for. */
  existingOutBizNos?: ReadonlySet<string>;
  /** The rail needs a name for login-id recipients. */
  requireName?: boolean;
};

/**
 * Every row's outcome, in file order. The checks run from the row's own fields to the whole file: a row
 * refused for its own fields does not count against a recipient's limit or the budget, and the budget is
 * applied last, to the rows that are otherwise good.
 */
export function validateBatch(rows: readonly ParsedRow[], context: BatchContext): RowOutcome[] {
  const outcomes = rows.map((row) => validateRow(row, { requireName: context.requireName }));
  const byRow = new Map(outcomes.map((outcome) => [outcome.row, outcome]));

  const refuse = (problems: readonly BatchProblem[]) => {
    for (const problem of problems) {
      const outcome = byRow.get(problem.row);
      if (!outcome) continue;
      if (outcome.ok) byRow.set(problem.row, { row: problem.row, ok: false, problems: [problem] });
      else outcome.problems.push(problem);
    }
  };
  const validInputs = () =>
    rows.flatMap(({ row }) => {
      const outcome = byRow.get(row);
      return outcome?.ok ? [outcome.value] : [];
    });

  refuse(duplicateOutBizNoProblems(rows));
  if (context.existingOutBizNos?.size) {
    const existing = context.existingOutBizNos;
    refuse(
      validInputs()
        .filter((input) => input.outBizNo !== null && existing.has(input.outBizNo))
        .map((input) => ({
          row: input.row,
          column: "outBizNo" as const,
          key: "batches.problem.outBizNoExists" as const,
        })),
    );
  }
  refuse(frequencyProblems(validInputs(), context.lifetimeLimit, context.usedByRecipient));
  if (context.period) {
    const { period, limit, usedByRecipient } = context.period;
    refuse(
      frequencyProblems(validInputs(), limit, usedByRecipient, `batches.problem.frequencyPeriod.${period}`),
    );
  }
  refuse(budgetProblems(validInputs(), context.packetFen, context.availableFen));
  return rows.flatMap(({ row }) => {
    const outcome = byRow.get(row);
    return outcome ? [outcome] : [];
  });
}

export type BatchSummary = {
  rows: number;
  validRows: number;
  invalidRows: number;
  /** What the valid rows hold of the budget. */
  amountFen: number;
  /** The available budget after the valid rows (never below 0: rows past the budget are invalid). */
  budgetLeftFen: number;
};

export function summarise(
  rows: readonly RowOutcome[],
  packetFen: number,
  availableFen: number,
): BatchSummary {
  const validRows = rows.filter((row) => row.ok).length;
  const amountFen = validRows * packetFen;
  return {
    rows: rows.length,
    validRows,
    invalidRows: rows.length - validRows,
    amountFen,
    budgetLeftFen: availableFen - amountFen,
  };
}

/** All problems of the refused rows, in row order: what the preview lists and the download explains. */
export function problemsOf(rows: readonly RowOutcome[]): BatchProblem[] {
  return rows.flatMap((row) => (row.ok ? [] : row.problems));
}
