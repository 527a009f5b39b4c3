import { test as setup } from "@playwright/test";
import { demoAccount, DEMO_PASSWORD, ROLES_UNDER_TEST, storageStateFor } from "./support/accounts";
import { expectSignedInAs, signIn, preferEnglish } from "./support/browser";

for (const role of ROLES_UNDER_TEST) {
  setup(`sign in as the demo ${role}`, async ({ page, context }) => {
    await preferEnglish(context);
    const { email } = demoAccount(role);
    await signIn(page, email, DEMO_PASSWORD);
    await expectSignedInAs(page, email);
    await context.storageState({ path: storageStateFor(role) });
  });
}
