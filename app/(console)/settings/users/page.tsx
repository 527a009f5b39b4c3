import type { Metadata } from "next";
import { UsersTable } from "@/components/users/users-table";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { getI18n } from "@/lib/i18n/server";
import { listUsers } from "@/lib/users/service";
import { firstValues } from "@/lib/validation/list-query";
import { usersListQuerySchema } from "@/lib/validation/users";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("users.title") };
}

export default async function UsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const actor = await requirePagePermission("user:manage", "/settings/users");
  const query = usersListQuerySchema.parse(firstValues(await searchParams));
  const { rows, total, page } = await listUsers(actor, query);
  const { t } = await getI18n();
  return (
    <>
      <PageHeader title={t("users.title")} description={t("settings.users.description")} />
      <UsersTable rows={rows} total={total} query={{ ...query, page }} currentUserId={actor.userId} />
    </>
  );
}
