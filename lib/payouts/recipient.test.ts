import { describe, expect, it } from "vitest";
import { maskIdentity } from "./recipient";

describe("maskIdentity", () => {
  it("USER_ID keeps 2088 and the last four digits", () => {
    expect(maskIdentity("USER_ID", "2088123456781234")).toBe("2088********1234");
  });

  it("LOGIN_ID: a phone keeps three and four digits, an email its first letter and domain", () => {
    expect(maskIdentity("LOGIN_ID", "13812345678")).toBe("138****5678");
    expect(maskIdentity("LOGIN_ID", "alice@example.com")).toBe("a***@example.com");
    expect(maskIdentity("LOGIN_ID", "bo@example.cn")).toBe("b***@example.cn");
  });

  it("OPEN_ID keeps four characters and three at the end", () => {
    expect(maskIdentity("OPEN_ID", "abcdefghijklmnop")).toBe("abcd*********nop");
  });

  it("never shows a short identity whole: only its first character", () => {
    expect(maskIdentity("USER_ID", "20881234")).toBe("2*******");
    expect(maskIdentity("OPEN_ID", "abcdefg")).toBe("a******");
    expect(maskIdentity("LOGIN_ID", "1381234")).toBe("1******");
  });

  it("keeps the length of what it hides (except an email's local part)", () => {
    for (const [type, identity] of [
      ["USER_ID", "2088000000000001"],
      ["OPEN_ID", "abcdefghijklmnopqrstuvwxyz"],
      ["LOGIN_ID", "13900001111"],
    ] as const) {
      const masked = maskIdentity(type, identity);
      expect(masked).toHaveLength(identity.length);
      expect(masked).not.toBe(identity);
      expect(masked).toContain("*");
    }
  });
});
