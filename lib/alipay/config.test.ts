import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { AlipayClient } from "./client";
import { alipayConfigFromEnv, PRODUCTION_GATEWAY } from "./config";
import { AlipayKeyError, loadCertificate } from "./keys";

const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const PRIVATE = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const PUBLIC = publicKey.export({ type: "spki", format: "pem" }).toString();
const CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

describe("alipayConfigFromEnv", () => {
  it("builds a working client configuration with the production gateway by default", () => {
    const config = alipayConfigFromEnv(
      parseEnv({ ALIPAY_APP_ID: "2021000122671080", ALIPAY_PRIVATE_KEY: PRIVATE, ALIPAY_PUBLIC_KEY: PUBLIC }),
    );
    expect(config).toMatchObject({
      gateway: PRODUCTION_GATEWAY,
      keyType: "PKCS8",
      timeoutMs: 5000,
      maxQps: 10,
    });
    expect(() => new AlipayClient(config)).not.toThrow();
  });

  it.each([
    [{ ALIPAY_PRIVATE_KEY: PRIVATE, ALIPAY_PUBLIC_KEY: PUBLIC }, "ALIPAY_APP_ID"],
    [{ ALIPAY_APP_ID: "2021000122671080", ALIPAY_PUBLIC_KEY: PUBLIC }, "ALIPAY_PRIVATE_KEY"],
    [{ ALIPAY_APP_ID: "2021000122671080", ALIPAY_PRIVATE_KEY: PRIVATE }, "ALIPAY_PUBLIC_KEY"],
  ])("names the missing variable (%j)", (source, variable) => {
    expect(() => alipayConfigFromEnv(parseEnv(source))).toThrow(AlipayKeyError);
    expect(() => alipayConfigFromEnv(parseEnv(source))).toThrow(variable);
  });

  it("stops a client whose key and ALIPAY_KEY_TYPE disagree, saying what to set", () => {
    const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const config = alipayConfigFromEnv(
      parseEnv({ ALIPAY_APP_ID: "2021000122671080", ALIPAY_PRIVATE_KEY: pkcs1, ALIPAY_PUBLIC_KEY: PUBLIC }),
    );
    expect(() => new AlipayClient(config)).toThrow("Set ALIPAY_KEY_TYPE=PKCS1");
  });
});

describe("certificate mode", () => {
  it("reads certificates given as PEM text or as file paths", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hongbao-cert-"));
    const file = path.join(dir, "alipayRootCert.crt");
    fs.writeFileSync(file, CERT);
    const read = (p: string) => fs.readFileSync(p, "utf8");
    expect(loadCertificate(CERT, "ALIPAY_ROOT_CERT", read)).toBe(CERT.trim());
    expect(loadCertificate(file, "ALIPAY_ROOT_CERT", read)).toBe(CERT);
    expect(() => loadCertificate(path.join(dir, "missing.crt"), "ALIPAY_APP_CERT", read)).toThrow(
      /ALIPAY_APP_CERT: must be certificate PEM text or the path of a \.crt file/,
    );
  });
});
