/**
 * How a recipient is shown to people who do not need to see all of it (approvals, history, exports): enough to
 * recognise, not enough to copy. Pure.
 */
import type { IdentityType } from "@/lib/enums";

function keepEnds(text: string, head: number, tail: number): string {
  if (text.length <= head + tail) return `${text.slice(0, 1)}${"*".repeat(Math.max(0, text.length - 1))}`;
  return `${text.slice(0, head)}${"*".repeat(text.length - head - tail)}${text.slice(-tail)}`;
}

/** `2088********1234`, `138****5678`, `a***@example.com`, `074a…Yo5` style masks. */
export function maskIdentity(identityType: IdentityType, identity: string): string {
  if (identityType === "USER_ID") return keepEnds(identity, 4, 4);
  if (identityType === "LOGIN_ID") {
    const at = identity.indexOf("@");
    if (at > 0) return `${identity.slice(0, 1)}***${identity.slice(at)}`;
    return keepEnds(identity, 3, 4);
  }
  return keepEnds(identity, 4, 3);
}
