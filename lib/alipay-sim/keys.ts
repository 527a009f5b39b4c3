import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Generates an RSA-2048 key pair as PEM: PKCS#8 private (what Alipay's key tool makes), SPKI public, and PKCS#1. */
export function generateKeyPair(): { privateKey: string; publicKey: string; privateKeyPkcs1: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const privateKeyPkcs1 = createPrivateKey(privateKey).export({ type: "pkcs1", format: "pem" }).toString();
  return { privateKey, publicKey, privateKeyPkcs1 };
}

function publicFromPrivate(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: "spki", format: "pem" }).toString();
}

function writeSecret(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
  // `mode` is ignored when the file already existed; the private keys must never be group/world readable.
  chmodSync(file, 0o600);
}

/**
 * Demo wiring: `<dir>/app-private.pem`, `app-public.pem`, `alipay-private.pem`, `alipay-public.pem`, created once
 * (0600) and reused on every later start so the console's configured keys keep matching the simulator's.
 * A missing public file is re-derived from its private key rather than regenerating the pair.
 */
export function ensureKeyFiles(dir: string): {
  appPrivateKey: string;
  appPublicKey: string;
  alipayPrivateKey: string;
  alipayPublicKey: string;
} {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pair = (name: "app" | "alipay") => {
    const privateFile = path.join(dir, `${name}-private.pem`);
    const publicFile = path.join(dir, `${name}-public.pem`);
    let privateKey: string;
    if (existsSync(privateFile)) {
      privateKey = readFileSync(privateFile, "utf8");
    } else {
      privateKey = generateKeyPair().privateKey;
      writeSecret(privateFile, privateKey);
    }
    const publicKey = publicFromPrivate(privateKey);
    if (!existsSync(publicFile) || readFileSync(publicFile, "utf8") !== publicKey) {
      writeSecret(publicFile, publicKey);
    }
    return { privateKey, publicKey };
  };
  const app = pair("app");
  const alipay = pair("alipay");
  return {
    appPrivateKey: app.privateKey,
    appPublicKey: app.publicKey,
    alipayPrivateKey: alipay.privateKey,
    alipayPublicKey: alipay.publicKey,
  };
}
