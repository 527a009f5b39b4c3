import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { cache } from "react";
import { loginSchema } from "@/lib/validation/users";
import { authConfig } from "./config";
import { attemptLogin } from "./login";
import { metaFromHeaders } from "./request-meta";

/** Thrown when the account or IP is locked out; the login form shows the remaining minutes. */
export class LoginThrottled extends CredentialsSignin {
  override code = "throttled";
}

const nextAuth = NextAuth({
  ...authConfig,
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const parsed = loginSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const result = await attemptLogin({
          email: parsed.data.email,
          password: parsed.data.password,
          meta: metaFromHeaders(request.headers),
        });
        if (result.kind === "locked") throw new LoginThrottled();
        if (result.kind === "invalid") return null;
        const { user } = result;
        return {
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          sessionVersion: user.sessionVersion,
        };
      },
    }),
  ],
});

export const { handlers, signIn, signOut } = nextAuth;

/** The decoded session cookie, once per request. It is NOT proof of access: see `requirePermission`. */
export const auth = cache(() => nextAuth.auth());
