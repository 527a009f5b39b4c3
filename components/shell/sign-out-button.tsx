"use client";

import { useTransition } from "react";
import { Button } from "@/components/ui/button";
import { signOutAction } from "@/lib/actions/sign-out";
import { useI18n } from "@/lib/i18n/client";

export function SignOutButton() {
  const { t } = useI18n();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="ghost"
      size="sm"
      loading={pending}
      onClick={() => startTransition(async () => void (await signOutAction({})))}
    >
      {t("shell.signOut")}
    </Button>
  );
}
