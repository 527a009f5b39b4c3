/**
 * Everything the simulator remembers, as plain JSON-serialisable data so a demo can persist it to a file and
 * survive restarts. Amounts are integer fen; instants are epoch milliseconds of the simulator's clock.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { compactBeijing } from "./time";

export type LedgerKind = "CAMPAIGN_TRIGGER" | "FUND_COUPON_DISBURSE" | "TRANSFER" | "REFUND" | "FUNDING";

/** One movement of money that actually happened (never written for repeats, failures or unprocessed faults). */
export type LedgerEntry = {
  id: string;
  /** ISO-8601 instant on the simulator's clock. */
  at: string;
  /** The API (or simulator-internal step, see docs/alipay-simulator.md) that moved the money. */
  method: string;
  /** The idempotency key of the movement, e.g. `crowd_no/out_biz_no` or the transfer's `out_biz_no`. */
  key: string;
  /** Who received (or, for FUNDING, who paid) the money. */
  user: string;
  amountFen: number;
  kind: LedgerKind;
};

export type CampaignStatus = "CREATED" | "PAID" | "READY" | "PAUSE" | "CLOSED" | "SETTLE";

export type FrequencyLimits = { lifetime: number; period: { unit: "D" | "W" | "M"; count: number } | null };

export type TriggerRecord = {
  outBizNo: string;
  userKey: string;
  amountFen: number;
  bizNo: string;
  at: number;
  ledgerId: string;
};

export type Campaign = {
  crowdNo: string;
  originCrowdNo: string;
  appId: string;
  couponName: string;
  prizeMsg: string;
  prizeType: "fixed" | "random";
  totalFen: number;
  totalNum: number;
  startMode: "NowTime" | "scheduled";
  /** For NowTime: the creation time until paid, then the payment time. */
  startAt: number;
  endAt: number;
  merchantLink: string | null;
  sendFrequency: string;
  limits: FrequencyLimits;
  status: CampaignStatus;
  createdAt: number;
  payUrlExpiresAt: number;
  paidAt: number | null;
  closedAt: number | null;
  settledAt: number | null;
  /** Alipay's own figure (what detail.query reports); tests may make it drift from the trigger sum. */
  sendAmountFen: number;
  sentCount: number;
  /** PRNG state for random packet amounts, kept per campaign so a persisted campaign continues deterministically. */
  randomState: number;
  /** Keyed by out_biz_no, or `default_out_biz_no#<userKey>` when the caller sent none. */
  triggers: Record<string, TriggerRecord>;
  /** userKey → instants of successful receipts, for send_freqency limits. */
  receipts: Record<string, number[]>;
};

export type FundOrderKind = "AGREEMENT" | "PAGE" | "APP" | "DISBURSE";

export type FundOrder = {
  authNo: string;
  outOrderNo: string;
  appId: string;
  kind: FundOrderKind;
  orderTitle: string;
  amountFen: number;
  status: "INIT" | "SUCCESS" | "CLOSED";
  payerUserId: string | null;
  payeeUserId: string | null;
  payeeLogonId: string | null;
  notifyUrl: string | null;
  returnUrl: string | null;
  extraParam: string | null;
  orderExpiresAt: number | null;
  payTimeoutAt: number | null;
  createdAt: number;
  gmtTrans: number | null;
  disbursedFen: number;
  refundedFen: number;
  /** Set once the orderExpiredTime auto-refund ran; the order cannot be disbursed any more. */
  expired: boolean;
  /** For DISBURSE orders: the funded order the money came from. */
  sourceAuthNo: string | null;
  /** Canonical request text; a repeat with different parameters is PAYMENT_INFO_INCONSISTENCY. */
  fingerprint: string;
  operationIds: string[];
};

export type FundOperation = {
  operationId: string;
  authNo: string;
  outOrderNo: string;
  outRequestNo: string;
  type: "PAY" | "REFUND";
  amountFen: number;
  status: "INIT" | "SUCCESS" | "CLOSED";
  createdAt: number;
  transAt: number | null;
  orderTitle: string;
  remark: string | null;
  payerUserId: string | null;
  payeeUserId: string | null;
  payeeLogonId: string | null;
  fingerprint: string;
};

export type Transfer = {
  appId: string;
  outBizNo: string;
  orderId: string;
  payFundOrderId: string;
  productCode: string;
  bizScene: string;
  transAmountFen: number;
  payeeType: string;
  payeeIdentity: string;
  payeeName: string | null;
  orderTitle: string | null;
  passbackParams: string | null;
  status: "SUCCESS";
  transAt: number;
  /** Beijing day of the transfer, for the per-payee daily count. */
  payeeDay: string;
  fingerprint: string;
};

export type OutboxEntry = {
  id: string;
  kind: "notify_url" | "app_gateway";
  url: string;
  fields: Record<string, string>;
  attempts: number;
  delivered: boolean;
  gaveUp: boolean;
  lastError: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
};

export type SimState = {
  version: 1;
  /** What advanceTime added to the base clock; persisted so time-driven state stays coherent across restarts. */
  clockOffsetMs: number;
  balanceFen: number;
  seq: number;
  campaigns: Record<string, Campaign>;
  fundOrders: Record<string, FundOrder>;
  fundOperations: Record<string, FundOperation>;
  /** Keyed by `<app_id>/<out_biz_no>`. */
  transfers: Record<string, Transfer>;
  ledger: LedgerEntry[];
  outbox: OutboxEntry[];
};

export function emptyState(balanceFen: number): SimState {
  return {
    version: 1,
    clockOffsetMs: 0,
    balanceFen,
    seq: 0,
    campaigns: {},
    fundOrders: {},
    fundOperations: {},
    transfers: {},
    ledger: [],
    outbox: [],
  };
}

function randomDigits(count: number): string {
  let digits = "";
  for (const byte of randomBytes(count)) digits += String(byte % 10);
  return digits;
}

export class Store {
  state: SimState;
  private dirty = false;

  constructor(
    private readonly initialBalanceFen: number,
    private readonly file: string | undefined,
    private readonly log: (line: string) => void,
  ) {
    this.state = this.load() ?? emptyState(initialBalanceFen);
  }

  private load(): SimState | null {
    if (!this.file || !existsSync(this.file)) return null;
    try {
      const parsed = JSON.parse(readFileSync(this.file, "utf8")) as Partial<SimState>;
      if (parsed.version !== 1) {
        this.log(`[alipay-sim] ignoring ${this.file}: unknown state version ${String(parsed.version)}`);
        return null;
      }
      return { ...emptyState(this.initialBalanceFen), ...parsed } as SimState;
    } catch (error) {
      // A corrupt demo state file must not keep the simulator from starting; say so and start fresh.
      this.log(`[alipay-sim] ignoring unreadable ${this.file}: ${(error as Error).message}`);
      return null;
    }
  }

  reset(): void {
    this.state = emptyState(this.initialBalanceFen);
    this.touch();
  }

  touch(): void {
    this.dirty = true;
  }

  /** Atomic write (temp file + rename) so a crash mid-write never leaves half a state file. */
  flush(): void {
    if (!this.dirty || !this.file) return;
    this.dirty = false;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.state), { mode: 0o600 });
    renameSync(temp, this.file);
  }

  nextSeq(): number {
    this.state.seq += 1;
    this.touch();
    return this.state.seq;
  }

  /** Alipay-looking numeric id: Beijing date-time, a sequence that guarantees uniqueness, random filler. */
  numericId(nowMs: number, length: number): string {
    const seq = String(this.nextSeq()).padStart(8, "0");
    const head = compactBeijing(nowMs).slice(0, 8) + seq;
    return (head + randomDigits(Math.max(0, length - head.length))).slice(0, length);
  }

  addLedger(nowMs: number, entry: Omit<LedgerEntry, "id" | "at">): LedgerEntry {
    const full: LedgerEntry = {
      id: `L${String(this.nextSeq()).padStart(8, "0")}`,
      at: new Date(nowMs).toISOString(),
      ...entry,
    };
    this.state.ledger.push(full);
    this.touch();
    return full;
  }
}
