"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { createUserAction } from "@/lib/actions/create-user";
import { useAction } from "@/lib/actions/use-action";
import { ROLES } from "@/lib/auth/permissions";
import { useI18n } from "@/lib/i18n/client";

export function CreateUserDialog() {
  const { t, tr } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const { run, pending, failure, fieldErrors, reset } = useAction(createUserAction);
  const close = () => {
    setOpen(false);
    reset();
  };
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t("users.create")}</Button>
      <Dialog open={open} onClose={close} title={t("users.create")}>
        <form
          id="create-user-form"
          className="space-y-4"
          noValidate
          onSubmit={(event) => {
            event.preventDefault(); // keep what was typed when the server sends field errors back
            run(new FormData(event.currentTarget), (user) => {
              toast(t("users.created", { email: user.email }));
              close();
              router.refresh();
            });
          }}
        >
          {failure && failure.error.code !== "VALIDATION" && !failure.fieldErrors ? (
            <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{tr(failure.error.message)}</p>
          ) : null}
          <Field label={t("users.email")} errors={fieldErrors.email}>
            <Input name="email" type="email" autoComplete="off" required />
          </Field>
          <Field label={t("users.name")} errors={fieldErrors.name}>
            <Input name="name" autoComplete="off" required />
          </Field>
          <Field label={t("users.role")} errors={fieldErrors.role}>
            <Select name="role" defaultValue="marketer">
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`role.${role}`)}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            label={t("users.initialPassword")}
            hint={t("users.initialPasswordHint")}
            errors={fieldErrors.password}
          >
            <Input name="password" type="password" autoComplete="new-password" required />
          </Field>
          <DialogActions onCancel={close} submitLabel={t("common.create")} pending={pending} />
        </form>
      </Dialog>
    </>
  );
}
