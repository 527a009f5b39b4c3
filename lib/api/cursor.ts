/**
 * The machine API's opaque page cursors: a row's (createdAt, id) keyset position (lib/validation/keyset.ts) as
 * base64url text. Opaque so clients pass `nextCursor` back as it is and the position's form can change without
 * breaking them. Pure and free of Node's Buffer: the schemas that validate a cursor are read by the browser too.
 */
import type { TimeKey } from "@/lib/validation/keyset";

/** Longest cursor accepted: an ISO time and a payout id encode to about 70 characters. */
export const CURSOR_MAX_LENGTH = 200;

function toBase64Url(text: string): string {
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    return atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return null;
  }
}

export function encodeCursor(key: TimeKey): string {
  return toBase64Url(JSON.stringify([key.createdAt.toISOString(), key.id]));
}

/** The position a cursor stands for, or null when it is not one this API made. */
export function decodeCursor(cursor: string): TimeKey | null {
  if (cursor.length === 0 || cursor.length > CURSOR_MAX_LENGTH) return null;
  const text = fromBase64Url(cursor);
  if (text === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [time, id] = parsed as unknown[];
  if (typeof time !== "string" || typeof id !== "string" || id.length === 0 || id.length > 64) return null;
  const createdAt = new Date(time);
  // Only the exact form encodeCursor writes: anything else was edited by hand.
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== time) return null;
  return { createdAt, id };
}
