import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createUserSchema } from "./users";
import { fieldErrorsFromZod } from "./errors";

function errorsFor(input: unknown) {
  const result = createUserSchema.safeParse(input);
  if (result.success) throw new Error("expected a validation error");
  return fieldErrorsFromZod(result.error);
}

describe("fieldErrorsFromZod", () => {
  it("names each bad field with a translatable message", () => {
    const errors = errorsFor({ email: "not-an-email", name: "", role: "boss", password: "short" });
    expect(errors.email).toEqual([{ key: "validation.invalidEmail", params: {} }]);
    expect(errors.name).toEqual([{ key: "validation.required", params: { minimum: 1 } }]);
    expect(errors.role).toEqual([{ key: "validation.invalidOption", params: {} }]);
    expect(errors.password).toEqual([{ key: "validation.tooShort", params: { minimum: 10 } }]);
  });

  it("reports missing fields as required", () => {
    const errors = errorsFor({});
    expect(Object.keys(errors).sort()).toEqual(["email", "name", "password", "role"]);
    expect(errors.email?.[0]?.key).toBe("validation.required");
  });

  it("normalises good input", () => {
    const parsed = createUserSchema.parse({
      email: "  New.Person@Example.COM ",
      name: " New Person ",
      role: "viewer",
      password: "long-enough-password",
    });
    expect(parsed.email).toBe("new.person@example.com");
    expect(parsed.name).toBe("New Person");
  });
});

describe("custom issues", () => {
  it("carry their message's parameters, and only strings and numbers", () => {
    const schema = z.string().superRefine((_, ctx) => {
      ctx.addIssue({
        code: "custom",
        message: "validation.tooSmall",
        params: { minimum: "¥1.00", ignored: { nested: true } },
      });
    });
    const result = schema.safeParse("x");
    if (result.success) throw new Error("expected a validation error");
    expect(fieldErrorsFromZod(result.error)).toEqual({
      _form: [{ key: "validation.tooSmall", params: { minimum: "¥1.00" } }],
    });
  });
});
