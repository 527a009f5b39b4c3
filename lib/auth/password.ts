import "server-only";
import { hash, verify } from "@node-rs/argon2";

/**
 * Argon2id with the library defaults (m = 19 MiB, t = 2, p = 1: OWASP's minimum recommendation).
 * @node-rs/argon2 ships its native binary as an npm optional dependency, so nothing is downloaded at install.
 */
export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // malformed hash: treat as a mismatch, never as a server error
  }
}

// Verified against when the account does not exist, so a wrong email costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;
export async function spendVerificationTime(password: string): Promise<void> {
  dummyHash ??= hash("not-a-real-password-but-hashed-the-same-way");
  await verifyPassword(await dummyHash, password);
}
