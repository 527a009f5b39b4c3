/**
 * Server-rendered cashier pages standing in for Alipay's: no scripts, no external assets, plain forms, so they
 * work in any browser and in Playwright without network access.
 */
import { formatYuanForPeople } from "./money";

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const STYLE = `
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f7fa;color:#1f2328}
main{max-width:28rem;margin:3rem auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:1.25rem;margin:0 0 1rem}
.badge{display:inline-block;font-size:.75rem;background:#fff4e5;color:#8a4b00;border-radius:4px;padding:.1rem .4rem;margin-bottom:1rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.5rem 1rem;margin:0 0 1.5rem}
dt{color:#57606a}dd{margin:0;font-weight:600}
.amount{font-size:2rem;font-weight:700;margin:0 0 1.5rem}
button{width:100%;font-size:1rem;padding:.75rem;border:0;border-radius:8px;background:#1677ff;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #0b3d91;outline-offset:2px}
p[role=alert]{color:#a40e26}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<span class="badge">模拟器 · Simulator — 不会产生真实扣款 / no real money moves</span>
${body}
</main>
</body>
</html>`;
}

export type CashierView = {
  heading: string;
  /** What is being paid for (campaign or red-packet order name). */
  subject: string;
  details: Array<[string, string]>;
  amountFen: number;
  /** Where the form posts; the page posts to itself. */
  action: string;
};

export function cashierPage(view: CashierView): string {
  const amount = formatYuanForPeople(view.amountFen);
  const details = view.details
    .map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join("");
  return page(
    `${view.heading} – ${amount}`,
    `<h1>${escapeHtml(view.heading)}</h1>
<p>${escapeHtml(view.subject)}</p>
<p class="amount" aria-label="金额 Amount">${escapeHtml(amount)}</p>
<dl>${details}</dl>
<form method="post" action="${escapeHtml(view.action)}">
<button type="submit">确认付款 Pay ${escapeHtml(amount)}</button>
</form>`,
  );
}

export function messagePage(
  heading: string,
  message: string,
  options: { alert?: boolean; link?: string } = {},
): string {
  const link = options.link
    ? `<p><a href="${escapeHtml(options.link)}">返回商户 / Back to the merchant</a></p>`
    : "";
  return page(
    heading,
    `<h1>${escapeHtml(heading)}</h1>
<p${options.alert ? ' role="alert"' : ""}>${escapeHtml(message)}</p>${link}`,
  );
}

export const MERCHANT_LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64" role="img" aria-label="merchant logo"><rect width="64" height="64" rx="12" fill="#e8322d"/><text x="32" y="42" font-size="28" text-anchor="middle" fill="#ffd66b" font-family="sans-serif">红</text></svg>`;
