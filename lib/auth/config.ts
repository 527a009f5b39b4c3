/**
 * The edge-safe part of the Auth.js configuration (no database, no password hashing), shared by `proxy.ts`
 * and the full configuration in `lib/auth/index.ts`.
 */
import type { NextAuthConfig } from "next-auth";
import { env } from "@/lib/env";
import { isRole, type Role } from "./permissions";

declare module "next-auth" {
  interface User {
    role?: Role;
    sessionVersion?: number;
  }
  interface Session {
    user: { id: string; email: string; name: string; role: Role; sessionVersion: number };
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    role?: Role;
    sv?: number;
  }
}

export const authConfig = {
  pages: { signIn: "/login" },
  session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE_HOURS * 60 * 60 },
  trustHost: env.AUTH_TRUST_HOST,
  secret: env.AUTH_SECRET,
  providers: [],
  logger: {
    // A wrong password is not a server error: keep such sign-in failures out of the error log.
    error(error) {
      // Class names are minified in production builds; Auth.js errors carry a stable `type`.
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      console.error("[auth]", error);
    },
  },
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.role = user.role;
        token.sv = user.sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      // The role here is only what it was at sign-in; requirePermission reads the current one from the database.
      if (token.sub && isRole(token.role) && typeof token.sv === "number") {
        session.user = { ...session.user, id: token.sub, role: token.role, sessionVersion: token.sv };
      }
      return session;
    },
  },
} satisfies NextAuthConfig;
