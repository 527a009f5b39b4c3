import "server-only";
import crypto from "node:crypto";

/**
 * Key handling for the Alipay client. Keys arrive through environment variables in many shapes: a PEM with
 * real newlines, a PEM on one line with literal `\n` escapes, a bare base64 body (what Alipay's key tool shows),
 * surrounded by quotes or whitespace. Everything is normalised to a standard PEM here, and mismatches between
 * the key and ALIPAY_KEY_TYPE are reported with the fix, instead of surfacing later as an OpenSSL decoder error
 * at the first payment.
 */

export type KeyType = "PKCS8" | "PKCS1";

export class AlipayKeyError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "AlipayKeyError";
  }
}

const LABELS = {
  PKCS8: "PRIVATE KEY",
  PKCS1: "RSA PRIVATE KEY",
  PUBLIC: "PUBLIC KEY",
  CERTIFICATE: "CERTIFICATE",
} as const;

function cleanText(value: string): string {
  return value
    .trim()
    .replace(/^["']|["']$/g, "")
    .replace(/\\r\\n|\\n|\\r/g, "\n")
    .replace(/\r\n?/g, "\n")
    .trim();
}

function wrapBase64(body: string): string {
  return (body.replace(/\s+/g, "").match(/.{1,64}/g) ?? []).join("\n");
}

function pem(label: string, body: string): string {
  return `-----BEGIN ${label}-----\n${wrapBase64(body)}\n-----END ${label}-----\n`;
}

/** The label of the first PEM block, e.g. "PRIVATE KEY", and its base64 body; null for a bare body. */
function readPem(text: string): { label: string; body: string } | null {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!match) return null;
  return { label: match[1] ?? "", body: (match[2] ?? "").replace(/\s+/g, "") };
}

function isBase64(text: string): boolean {
  return /^[A-Za-z0-9+/=\s]+$/.test(text);
}

/** A PEM private key of the declared type, from whatever shape the environment holds. */
export function normalizePrivateKey(
  value: string,
  keyType: KeyType,
  variable = "ALIPAY_PRIVATE_KEY",
): string {
  const text = cleanText(value);
  const block = readPem(text);
  if (block) {
    if (block.label === LABELS.PKCS1 && keyType === "PKCS8") {
      throw new AlipayKeyError(
        variable,
        "is a PKCS#1 key (BEGIN RSA PRIVATE KEY) but ALIPAY_KEY_TYPE is PKCS8. Set ALIPAY_KEY_TYPE=PKCS1.",
      );
    }
    if (block.label === LABELS.PKCS8 && keyType === "PKCS1") {
      throw new AlipayKeyError(
        variable,
        "is a PKCS#8 key (BEGIN PRIVATE KEY) but ALIPAY_KEY_TYPE is PKCS1. Set ALIPAY_KEY_TYPE=PKCS8 " +
          "(the default, and what Alipay's key tool produces).",
      );
    }
    if (block.label !== LABELS.PKCS1 && block.label !== LABELS.PKCS8) {
      throw new AlipayKeyError(variable, `holds a "${block.label}" block, not an RSA private key.`);
    }
    return checkedPrivateKey(pem(block.label, block.body), keyType, variable);
  }
  if (!isBase64(text)) {
    throw new AlipayKeyError(
      variable,
      "is neither a PEM block nor a base64 key body. Paste the key from Alipay's key tool.",
    );
  }
  return checkedPrivateKey(pem(LABELS[keyType], text), keyType, variable);
}

function checkedPrivateKey(pemText: string, keyType: KeyType, variable: string): string {
  try {
    const key = crypto.createPrivateKey(pemText);
    if (key.asymmetricKeyType !== "rsa") {
      throw new AlipayKeyError(variable, `is a ${key.asymmetricKeyType} key; Alipay RSA2 needs an RSA key.`);
    }
    return pemText;
  } catch (error) {
    if (error instanceof AlipayKeyError) throw error;
    const other: KeyType = keyType === "PKCS8" ? "PKCS1" : "PKCS8";
    try {
      crypto.createPrivateKey(pem(LABELS[other], readPem(pemText)?.body ?? ""));
    } catch {
      throw new AlipayKeyError(
        variable,
        "cannot be read as an RSA private key (is it complete, and the PRIVATE key?).",
      );
    }
    throw new AlipayKeyError(
      variable,
      `is a ${other} key but ALIPAY_KEY_TYPE is ${keyType}. Set ALIPAY_KEY_TYPE=${other}.`,
    );
  }
}

/** A PEM public key (SubjectPublicKeyInfo) from a PEM or a bare base64 body. */
export function normalizePublicKey(value: string, variable = "ALIPAY_PUBLIC_KEY"): string {
  const text = cleanText(value);
  const block = readPem(text);
  if (block && block.label !== LABELS.PUBLIC) {
    throw new AlipayKeyError(
      variable,
      `holds a "${block.label}" block; it must be Alipay's public key (支付宝公钥, BEGIN PUBLIC KEY).`,
    );
  }
  if (!block && !isBase64(text)) {
    throw new AlipayKeyError(variable, "is neither a PEM block nor a base64 key body.");
  }
  const pemText = pem(LABELS.PUBLIC, block?.body ?? text);
  try {
    crypto.createPublicKey(pemText);
  } catch {
    throw new AlipayKeyError(
      variable,
      "cannot be read as a public key. Copy 支付宝公钥 (not the app public key) again.",
    );
  }
  return pemText;
}

/** A certificate's PEM text; values that are not PEM are read as file paths (cert mode). */
export function loadCertificate(value: string, variable: string, readFile: (path: string) => string): string {
  const text = cleanText(value);
  if (text.includes("-----BEGIN CERTIFICATE-----")) return text;
  try {
    const content = readFile(text);
    if (!content.includes("-----BEGIN CERTIFICATE-----")) throw new Error("not a certificate");
    return content;
  } catch {
    throw new AlipayKeyError(
      variable,
      `must be certificate PEM text or the path of a .crt file (could not read "${text}").`,
    );
  }
}

/**
 * Start-up self-check: signs a probe with the private key and verifies it with the key's own public half,
 * which proves the key is complete and usable with RSA2 before any real call depends on it.
 */
export function selfCheckPrivateKey(privateKeyPem: string, variable = "ALIPAY_PRIVATE_KEY"): void {
  const probe = `hongbao-self-check-${Date.now()}`;
  try {
    const privateKey = crypto.createPrivateKey(privateKeyPem);
    const signature = crypto.createSign("RSA-SHA256").update(probe, "utf8").sign(privateKey, "base64");
    const publicKey = crypto.createPublicKey(privateKey);
    const ok = crypto.createVerify("RSA-SHA256").update(probe, "utf8").verify(publicKey, signature, "base64");
    if (!ok) throw new Error("verification failed");
    const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new AlipayKeyError(variable, `is ${bits}-bit; Alipay RSA2 needs a 2048-bit key.`);
  } catch (error) {
    if (error instanceof AlipayKeyError) throw error;
    throw new AlipayKeyError(variable, `failed the signing self-check (${(error as Error).message}).`);
  }
}
