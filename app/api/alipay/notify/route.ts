import { defineRoute } from "@/lib/http/route";
import { readBodyCapped } from "@/lib/http/body";
import { log } from "@/lib/log";
import { receiveAlipayNotificationBody } from "@/lib/notifications/receive";

/** Real notifications are a few hundred bytes; anything near this is not from Alipay. */
const MAX_BODY_BYTES = 64 * 1024;

function answer(text: "success" | "fail", status = 200): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * Alipay's notify_url and 应用网关 (REFERENCE.md §1.9): public, since Alipay has no session; trust comes from the
 * signature, checked in lib/notifications/receive.ts. The answer is always 200 with `success` (stop
 * redelivering) or `fail` (redeliver), as Alipay reads only the body; a failure here is logged and answered
 * `fail`, never a 500, so hostile input cannot tell more than a refusal.
 */
export const POST = defineRoute("/api/alipay/notify", async (request, { meta }) => {
  try {
    const body = await readBodyCapped(request, MAX_BODY_BYTES);
    if (body === null) return answer("fail", 413);
    const received = await receiveAlipayNotificationBody(body, meta);
    return answer(received.answer);
  } catch (error) {
    log.error("alipay.notify_failed", { error: error instanceof Error ? error.message : String(error) });
    return answer("fail");
  }
});
