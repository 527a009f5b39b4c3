/**
 * The simulator's population of Alipay users. Real Alipay knows who exists; the simulator uses conventions so
 * tests can reach the "payee does not exist" paths deliberately (docs/alipay-simulator.md, "Payees").
 */

/** Alipay UID: 2088 + 12 digits. */
export const USER_ID_PATTERN = /^2088\d{12}$/;

export function userIdExists(userId: string): boolean {
  return USER_ID_PATTERN.test(userId) && !userId.startsWith("20889999");
}

export function logonIdExists(logonId: string): boolean {
  return logonId.trim() !== "" && !logonId.toLowerCase().includes("unknown");
}

/** Alipay masks login ids in query answers: 138****5678, abc***@example.com. */
export function maskLogonId(logonId: string): string {
  const at = logonId.indexOf("@");
  if (at > 0) return `${logonId.slice(0, Math.min(3, at))}***${logonId.slice(at)}`;
  if (logonId.length >= 7) return `${logonId.slice(0, 3)}****${logonId.slice(-4)}`;
  return `${logonId.slice(0, 1)}***`;
}
