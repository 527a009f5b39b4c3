/**
 * Sessions and server actions against the production server: a disabled user's session, valid a moment ago, is
 * refused on its next request of every kind (page, server action, route handler) and stays refused when the
 * account is enabled again; and a server action posted from another origin with an administrator's cookie is
 * refused by Next's origin check (serverActions.allowedOrigins is not set) and changes nothing.
 * (users.spec.ts shows the disabled user's page navigation in the browser; revoked API keys are in
 * security-api-keys.spec.ts.)
 */
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { storageStateFor } from "./support/accounts";
import { preferEnglish, signIn, expectSignedInAs } from "./support/browser";
import { actionOutcome, postAction, serverAction } from "./support/build";
import { BASE_URL } from "./support/server";

const stamp = Date.now();
const password = "a-strong-initial-password";
let admin: APIRequestContext;

test.beforeAll(async () => {
  admin = await request.newContext({ baseURL: BASE_URL, storageState: storageStateFor("admin") });
});
test.afterAll(() => admin.dispose());

async function createUser(email: string, extraHeaders: Record<string, string> = {}) {
  return postAction(
    admin,
    serverAction("createUserAction"),
    [{ email, name: "Security check", role: "marketer", password }],
    extraHeaders,
  );
}

test("a disabled user's open session is refused on its next page, action and route call, for good", async ({
  browser,
}) => {
  const email = `disabled-${stamp}@example.com`;
  const created = await createUser(email);
  expect(await actionOutcome(created)).toBe("OK");
  const userId = /"id":"([^"]+)","email":"/.exec(await created.text())?.[1] ?? "";
  expect(userId).not.toBe("");

  const context = await browser.newContext();
  await preferEnglish(context);
  const page = await context.newPage();
  await signIn(page, email, password);
  await expectSignedInAs(page, email);
  await page.close();
  // The browser's cookies, sent without following redirects.
  const session = await request.newContext({
    baseURL: BASE_URL,
    storageState: await context.storageState(),
    maxRedirects: 0,
  });
  const requestPayout = serverAction("requestPayoutAction");
  const calls = {
    page: async () => (await session.get("/payouts")).status(),
    action: async () => actionOutcome(await postAction(session, requestPayout, [{}])),
    route: async () => (await session.get("/api/batches/template")).status(),
  };
  expect([await calls.page(), await calls.action(), await calls.route()]).toEqual([200, "VALIDATION", 200]);

  const setActive = serverAction("setUserActiveAction");
  expect(await actionOutcome(await postAction(admin, setActive, [{ userId, active: false }]))).toBe("OK");
  const refusedPage = await session.get("/payouts");
  expect(refusedPage.status()).toBe(307);
  expect(refusedPage.headers()["location"]).toContain("/login?");
  expect(refusedPage.headers()["location"]).toContain("reason=session-ended");
  expect([await calls.action(), await calls.route()]).toEqual(["UNAUTHENTICATED", 401]);

  // Enabled again, the account signs in afresh; the old session stays ended.
  expect(await actionOutcome(await postAction(admin, setActive, [{ userId, active: true }]))).toBe("OK");
  expect([await calls.page(), await calls.action(), await calls.route()]).toEqual([
    307,
    "UNAUTHENTICATED",
    401,
  ]);
  await session.dispose();
  await context.close();
});

test.describe("server actions posted from another origin", () => {
  const host = new URL(BASE_URL).host;
  const forged: Record<string, Record<string, string>> = {
    "another site": { origin: "https://evil.example" },
    "a sandboxed page (Origin: null)": { origin: "null" },
    "another site behind a proxy that forwards the console's host": {
      origin: "https://evil.example",
      "x-forwarded-host": host,
    },
    "the console's origin, but a forwarded host that is not the console's": {
      origin: BASE_URL,
      "x-forwarded-host": "evil.example",
    },
  };

  for (const [label, headers] of Object.entries(forged)) {
    test(`are refused and change nothing: ${label}`, async () => {
      const email = `csrf-${Object.keys(forged).indexOf(label)}-${stamp}@example.com`;
      const refused = await createUser(email, headers);
      expect(refused.status()).toBe(500);
      expect(await actionOutcome(refused)).not.toBe("OK");
      expect(await refused.text()).not.toContain(email);

      // The same request from the console's own origin creates the user: the refusal was the origin, and the
      // refused call created nothing (the email would now be taken).
      const sameOrigin = await createUser(email, { origin: BASE_URL });
      expect(await actionOutcome(sameOrigin)).toBe("OK");
    });
  }

  test("are refused as a plain cross-site form post (no JavaScript, no custom header) too", async () => {
    const action = serverAction("createUserAction");
    const localPart = `csrf-form-${stamp}`;
    const email = `${localPart}@example.com`;
    const form = (origin: string) =>
      admin.post(action.page, {
        headers: { origin },
        multipart: {
          [`$ACTION_ID_${action.id}`]: "",
          email,
          name: "Cross-site form",
          role: "viewer",
          password,
        },
        maxRedirects: 0,
      });
    /** Whether the users table lists the email (the search box holds only the part searched for). */
    const listed = async () =>
      (await (await admin.get(`/settings/users?q=${localPart}`)).text()).includes(email);

    expect((await form("https://evil.example")).status()).toBe(500);
    expect(await listed()).toBe(false);
    // The same form from the console's own origin does create the user.
    expect((await form(BASE_URL)).status()).toBeLessThan(400);
    expect(await listed()).toBe(true);
  });
});
