"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { changeUserRoleAction } from "@/lib/actions/change-user-role";
import { setUserActiveAction } from "@/lib/actions/set-user-active";
import { useAction } from "@/lib/actions/use-action";
import { ROLES, type Role } from "@/lib/auth/permissions";
import { useI18n } from "@/lib/i18n/client";
import type { UserRow } from "@/lib/users/types";

function FailureText({ text }: { text: string | null }) {
  return text ? <p className="mb-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{text}</p> : null;
}

export function UserRowActions({ user }: { user: UserRow }) {
  const { t, tr } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const [dialog, setDialog] = useState<"role" | "active" | null>(null);
  const [role, setRole] = useState<Role>(user.role);
  const roleAction = useAction(changeUserRoleAction);
  const activeAction = useAction(setUserActiveAction);
  const close = () => {
    setDialog(null);
    roleAction.reset();
    activeAction.reset();
  };
  const done = (message: string) => {
    toast(message);
    close();
    router.refresh();
  };
  const roleFailure =
    roleAction.failure && !roleAction.failure.fieldErrors ? tr(roleAction.failure.error.message) : null;
  const activeFailure = activeAction.failure ? tr(activeAction.failure.error.message) : null;

  return (
    <div className="flex justify-end gap-1">
      <Button
        variant="ghost"
        size="sm"
        onClick={() => setDialog("role")}
        aria-label={t("users.changeRoleFor", { email: user.email })}
      >
        {t("users.changeRole")}
      </Button>
      <Button
        variant="ghost"
        size="sm"
        className={user.active ? "text-red-700" : undefined}
        onClick={() => setDialog("active")}
        aria-label={`${user.active ? t("users.disable") : t("users.enable")} ${user.email}`}
      >
        {user.active ? t("users.disable") : t("users.enable")}
      </Button>

      <Dialog
        open={dialog === "role"}
        onClose={close}
        title={t("users.changeRoleFor", { email: user.email })}
        footer={
          <>
            <Button variant="secondary" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button
              loading={roleAction.pending}
              onClick={() =>
                roleAction.run({ userId: user.id, role }, (updated) =>
                  done(t("users.roleChanged", { email: updated.email, role: t(`role.${updated.role}`) })),
                )
              }
            >
              {t("common.save")}
            </Button>
          </>
        }
      >
        <FailureText text={roleFailure} />
        <Field label={t("users.role")} errors={roleAction.fieldErrors.role}>
          <Select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </Select>
        </Field>
      </Dialog>

      <Dialog
        open={dialog === "active"}
        onClose={close}
        title={user.active ? t("users.disable") : t("users.enable")}
        description={
          user.active
            ? t("users.disableConfirm", { email: user.email })
            : t("users.enableConfirm", { email: user.email })
        }
        footer={
          <>
            <Button variant="secondary" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button
              variant={user.active ? "danger" : "primary"}
              loading={activeAction.pending}
              onClick={() =>
                activeAction.run({ userId: user.id, active: !user.active }, (updated) =>
                  done(
                    updated.active
                      ? t("users.enabled", { email: updated.email })
                      : t("users.disabled", { email: updated.email }),
                  ),
                )
              }
            >
              {user.active ? t("users.disable") : t("users.enable")}
            </Button>
          </>
        }
      >
        <FailureText text={activeFailure} />
      </Dialog>
    </div>
  );
}
