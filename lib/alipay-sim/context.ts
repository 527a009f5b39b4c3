import type { KeyObject } from "node:crypto";
import type { Notifier } from "./notify";
import type { ApiResult, Biz, Params } from "./protocol";
import type { Store } from "./store";

/** What business handlers may touch: state, the clock reading for this request, and outgoing notifications. */
export type SimContext = {
  store: Store;
  /** The simulator's clock (base clock + advanceTime offset) when the request arrived. */
  nowMs: number;
  publicUrl: string;
  /** The merchant PID behind every configured app (one simulated merchant). */
  partnerId: string;
  /** The simulated person who pays cashier pages (campaign budgets, page/app pay). */
  cashierPayerId: string;
  alipayKey: KeyObject;
  notifier: Notifier;
  appGatewayUrl: string | undefined;
};

export type ApiCall = { sim: SimContext; appId: string; method: string; params: Params; biz: Biz };

export type ApiHandler = (call: ApiCall) => ApiResult;
