import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { AlipayKeyError, normalizePrivateKey, normalizePublicKey, selfCheckPrivateKey } from "./keys";

const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const pkcs8 = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const spki = publicKey.export({ type: "spki", format: "pem" }).toString();
const body = (pem: string) =>
  pem
    .split("\n")
    .filter((l) => l && !l.startsWith("-----"))
    .join("");

function sameKey(a: string, b: string): boolean {
  return crypto
    .createPrivateKey(a)
    .export({ type: "pkcs8", format: "der" })
    .equals(crypto.createPrivateKey(b).export({ type: "pkcs8", format: "der" }));
}

describe("normalizePrivateKey", () => {
  it("accepts a PKCS#8 PEM", () => {
    expect(sameKey(normalizePrivateKey(pkcs8, "PKCS8"), pkcs8)).toBe(true);
  });

  it("accepts a PKCS#1 PEM with ALIPAY_KEY_TYPE=PKCS1", () => {
    expect(normalizePrivateKey(pkcs1, "PKCS1")).toContain("BEGIN RSA PRIVATE KEY");
  });

  it("accepts a one-line PEM with literal \\n escapes, quoted, as env files hold it", () => {
    const oneLine = `"${pkcs8.trim().replace(/\n/g, "\\n")}"`;
    expect(oneLine).not.toContain("\n");
    expect(sameKey(normalizePrivateKey(oneLine, "PKCS8"), pkcs8)).toBe(true);
  });

  it("accepts the bare base64 body Alipay's key tool shows", () => {
    expect(sameKey(normalizePrivateKey(body(pkcs8), "PKCS8"), pkcs8)).toBe(true);
    expect(sameKey(normalizePrivateKey(` ${body(pkcs1)}\n`, "PKCS1"), pkcs8)).toBe(true);
  });

  it("names the fix when the PEM and ALIPAY_KEY_TYPE disagree", () => {
    expect(() => normalizePrivateKey(pkcs1, "PKCS8")).toThrow(
      /ALIPAY_PRIVATE_KEY.*Set ALIPAY_KEY_TYPE=PKCS1/,
    );
    expect(() => normalizePrivateKey(pkcs8, "PKCS1")).toThrow(/Set ALIPAY_KEY_TYPE=PKCS8/);
  });

  it("names the fix when a bare body is of the other type", () => {
    expect(() => normalizePrivateKey(body(pkcs1), "PKCS8")).toThrow(
      /is a PKCS1 key but ALIPAY_KEY_TYPE is PKCS8/,
    );
  });

  it("refuses garbage and public keys with the variable's name", () => {
    expect(() => normalizePrivateKey("not a key at all!", "PKCS8")).toThrow(AlipayKeyError);
    expect(() => normalizePrivateKey(spki, "PKCS8")).toThrow(
      /ALIPAY_PRIVATE_KEY: holds a "PUBLIC KEY" block/,
    );
    expect(() => normalizePrivateKey(body(pkcs8).slice(0, 400), "PKCS8")).toThrow(/cannot be read/);
  });
});

describe("normalizePublicKey", () => {
  it("accepts PEM, one-line and bare base64 forms", () => {
    for (const form of [spki, spki.replace(/\n/g, "\\n"), body(spki)]) {
      const key = crypto.createPublicKey(normalizePublicKey(form));
      expect(key.export({ type: "spki", format: "pem" })).toBe(spki);
    }
  });

  it("explains when a private key was pasted instead", () => {
    expect(() => normalizePublicKey(pkcs8)).toThrow(/ALIPAY_PUBLIC_KEY.*支付宝公钥/);
  });
});

describe("selfCheckPrivateKey", () => {
  it("passes a usable 2048-bit key", () => {
    expect(() => selfCheckPrivateKey(pkcs8)).not.toThrow();
  });

  it("refuses keys shorter than 2048 bits", () => {
    const small = crypto
      .generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ type: "pkcs8", format: "pem" });
    expect(() => selfCheckPrivateKey(small.toString())).toThrow(/1024-bit/);
  });
});
