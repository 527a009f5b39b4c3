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

describe("runtimeProblems", () => {
  it("requires AUTH_SECRET with a production database", () => {
    const problems = runtimeProblems(parseEnv({ DATABASE_URL: "postgresql://localhost/db" }));
    expect(problems.map((p) => p.variable)).toEqual(["AUTH_SECRET"]);
  });

  it("needs nothing in demo mode", () => {
    expect(runtimeProblems(parseEnv({}))).toEqual([]);
  });
});
