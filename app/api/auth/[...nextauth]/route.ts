import { handlers } from "@/lib/auth";

// Auth.js endpoints (credentials callback, session, CSRF token, sign-out): public by design.
export const { GET, POST } = handlers;
