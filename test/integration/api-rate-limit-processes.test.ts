/**
 * The API's per-key rate limit holds across web processes: two child processes each serve the payout request
 * route over HTTP (test/support/api-server-child.ts) against the same database, and one key of 10 requests a
 * minute is used on both. The count lives in PostgreSQL, so the key gets 10 answers in all, not 10 per process.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AlipayClient } from "@/lib/alipay/client";
import { createApiKey } from "@/lib/api-keys/service";
import { db } from "@/lib/db";
import { startTestAlipay, type TestAlipay } from "../support/alipay";
import { consoleEnv, startConsoleScript, type ConsoleProcess } from "../support/child-process";
import { insertUser } from "../support/factories";
import { activeCampaign, userId } from "../support/payouts";

const SERVER = "test/support/api-server-child.ts";
const RATE = 10;

let alipay: TestAlipay;
let client: AlipayClient;
let admin: Awaited<ReturnType<typeof insertUser>>;
let marketer: Awaited<ReturnType<typeof insertUser>>;
const started: ConsoleProcess[] = [];

beforeAll(async () => {
  alipay = await startTestAlipay();
  client = alipay.client({ timeoutMs: 1500 });
  [admin, marketer] = await Promise.all([insertUser("admin"), insertUser("marketer")]);
});
afterAll(() => alipay.sim.stop());
afterEach(async () => {
  for (const running of started.splice(0)) {
    if (running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill("SIGTERM");
      await running.exited;
    }
  }
});

/** Starts one API process and resolves with its base URL once it listens. */
async function startApiProcess(): Promise<string> {
  const server = startConsoleScript(SERVER, ["120000"], consoleEnv(alipay));
  started.push(server);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const line = server
      .stdout()
      .split("\n")
      .find((l) => l.startsWith('{"port"'));
    if (line) return `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
    if (server.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`API process did not start:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Fixed one-minute rate windows: start a counted burst well inside one, not a moment before it ends. */
async function awayFromMinuteBoundary(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
}

describe("the API rate limit across processes", () => {
  it("one key of 10/min gets 10 answers in all from two web processes, then 429 from either", async () => {
    // Payouts wait for an approver, so nothing is sent to Alipay and nothing is left for a dispatcher.
    const campaign = await activeCampaign(alipay, client, marketer.actor, {
      budgetFen: 10_000,
      packetCount: 100,
      autoApproveMaxFen: 0,
      autoApproveDailyCapFen: 0,
    });
    const [sequentialKey, burstKey] = await Promise.all(
      ["sequential", "burst"].map((name) =>
        createApiKey(admin.actor, {
          name: `rate across processes (${name})`,
          permissions: ["payout:request"],
          campaignIds: [campaign.id],
          ratePerMinute: RATE,
        }),
      ),
    );
    const servers = await Promise.all([startApiProcess(), startApiProcess()]);

    let n = 0;
    const send = (secret: string, server: string) => {
      n += 1;
      return fetch(`${server}/api/v1/campaigns/${campaign.id}/payouts`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({
          outBizNo: `rate_processes_${n}`,
          recipient: { type: "USER_ID", id: userId(900_000 + n) },
        }),
      });
    };
    await awayFromMinuteBoundary();

    // One after the other, alternating: each process has seen only 5 requests when the 11th is refused.
    const answers: Array<{ server: number; status: number; retryAfter: string | null }> = [];
    for (let i = 0; i < 16; i += 1) {
      const response = await send(sequentialKey!.secret, servers[i % 2]!);
      answers.push({
        server: i % 2,
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
      });
      if (response.status === 429) {
        const json = (await response.json()) as { error: { code: string; message: string } };
        expect(json.error.code).toBe("RATE_LIMITED");
      } else await response.body?.cancel();
    }
    expect(answers.slice(0, 10).map((a) => a.status)).toEqual(Array<number>(10).fill(201));
    expect(answers.slice(10).map((a) => a.status)).toEqual(Array<number>(6).fill(429));
    expect(new Set(answers.slice(10).map((a) => a.server))).toEqual(new Set([0, 1]));
    for (const a of answers.slice(10)) {
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(a.retryAfter)).toBeLessThanOrEqual(60);
    }

    // All at once, alternating between the processes: still exactly 10 in all.
    await awayFromMinuteBoundary();
    const burst = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        send(burstKey!.secret, servers[i % 2]!).then(async (r) => {
          await r.body?.cancel();
          return r.status;
        }),
      ),
    );
    expect(burst.filter((s) => s !== 429)).toHaveLength(RATE);
    expect(burst.filter((s) => s === 429)).toHaveLength(24 - RATE);
    expect(burst.filter((s) => s !== 429 && (s < 200 || s >= 500))).toEqual([]);

    expect(await db.payout.count({ where: { campaignId: campaign.id } })).toBe(2 * RATE);
  });
});
