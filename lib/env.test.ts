import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, runtimeProblems } from "./env";

function problemsOf(
  source: Record<string, string | undefined>,
): Array<{ variable: string; message: string }> {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseEnv", () => {
  it("fills every default from an empty environment (demo mode)", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
    expect(env.DATA_DIR).toBe(".data");
    expect(env.DEFAULT_LOCALE).toBe("zh-CN");
    expect(env.DISPLAY_TIME_ZONE).toBe("Asia/Shanghai");
    expect(env.AUTH_TRUST_HOST).toBe(true);
    expect(env.SESSION_MAX_AGE_HOURS).toBe(12);
  });

  it("accepts good values and converts them", () => {
    const env = parseEnv({
      DATABASE_URL: "postgresql://user:pw@db.internal:5432/hongbao",
      PORT: "8080",
      AUTH_SECRET: "x".repeat(32),
      AUTH_TRUST_HOST: "false",
      DEFAULT_LOCALE: "en",
      DISPLAY_TIME_ZONE: "Europe/Berlin",
      DATABASE_POOL_SIZE: "25",
    });
    expect(env.DATABASE_URL).toBe("postgresql://user:pw@db.internal:5432/hongbao");
    expect(env.PORT).toBe(8080);
    expect(env.AUTH_TRUST_HOST).toBe(false);
    expect(env.DEFAULT_LOCALE).toBe("en");
    expect(env.DATABASE_POOL_SIZE).toBe(25);
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PORT: " " }).DATABASE_URL).toBeUndefined();
    expect(parseEnv({ PORT: "" }).PORT).toBe(3000);
  });

  it.each([
    ["DATABASE_URL", "mysql://localhost/db"],
    ["PORT", "70000"],
    ["PORT", "abc"],
    ["AUTH_SECRET", "too-short"],
    ["AUTH_URL", "not a url"],
    ["DEFAULT_LOCALE", "fr"],
    ["DISPLAY_TIME_ZONE", "Mars/Olympus_Mons"],
    ["AUTH_TRUST_HOST", "maybe"],
    ["DATABASE_POOL_SIZE", "0"],
    ["ALIPAY_APP_ID", "12345"],
    ["ALIPAY_KEY_TYPE", "PEM"],
    ["ALIPAY_GATEWAY", "openapi.alipay.com"],
    ["ALIPAY_TIMEOUT_MS", "10"],
    ["ALIPAY_MAX_QPS", "0"],
    ["SIM_PORT", "99999"],
  ])("rejects a bad %s and names it", (variable, value) => {
    const problems = problemsOf({ [variable]: value });
    expect(problems.map((p) => p.variable)).toEqual([variable]);
  });

  it("reports every bad variable at once, in a message that names them", () => {
    try {
      parseEnv({ PORT: "-1", DATABASE_URL: "nope" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      expect((error as Error).message).toContain("PORT");
      expect((error as Error).message).toContain("DATABASE_URL");
      expect((error as Error).message).toContain(".env.example");
    }
  });
});

const KEY = "k".repeat(120);
const alipayKeys = { ALIPAY_APP_ID: "2021000122671080", ALIPAY_PRIVATE_KEY: KEY, ALIPAY_PUBLIC_KEY: KEY };

describe("runtimeProblems", () => {
  it("requires AUTH_SECRET and the Alipay keys with a production database", () => {
    const problems = runtimeProblems(parseEnv({ DATABASE_URL: "postgresql://localhost/db" }));
    expect(problems.map((p) => p.variable)).toEqual([
      "ALIPAY_APP_ID",
      "ALIPAY_PRIVATE_KEY",
      "ALIPAY_PUBLIC_KEY",
      "AUTH_SECRET",
    ]);
    const configured = runtimeProblems(
      parseEnv({ DATABASE_URL: "postgresql://localhost/db", ...alipayKeys }),
    );
    expect(configured.map((p) => p.variable)).toEqual(["AUTH_SECRET"]);
  });

  it("requires the keys whenever a gateway is configured, even with the embedded database", () => {
    const problems = runtimeProblems(
      parseEnv({ ALIPAY_GATEWAY: "https://openapi-sandbox.dl.alipaydev.com/gateway.do" }),
    );
    expect(problems.map((p) => p.variable)).toEqual([
      "ALIPAY_APP_ID",
      "ALIPAY_PRIVATE_KEY",
      "ALIPAY_PUBLIC_KEY",
    ]);
  });

  it("asks for all three certificates in certificate mode", () => {
    const problems = runtimeProblems(
      parseEnv({
        ALIPAY_GATEWAY: "https://openapi.alipay.com/gateway.do",
        ...alipayKeys,
        ALIPAY_APP_CERT: "/etc/app.crt",
      }),
    );
    expect(problems.map((p) => p.variable)).toEqual(["ALIPAY_PUBLIC_CERT", "ALIPAY_ROOT_CERT"]);
  });

  it("needs nothing in demo mode", () => {
    expect(runtimeProblems(parseEnv({}))).toEqual([]);
  });
});
