import type { Metadata } from "next";
import { UserPacketsTable } from "@/components/user-packets/user-packets-table";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { getI18n } from "@/lib/i18n/server";
import { listUserPackets } from "@/lib/user-packets/queries";
import { firstValues } from "@/lib/validation/list-query";
import { userPacketListQuerySchema } from "@/lib/validation/user-packets";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("userPackets.title") };
}

/** User-funded packets (C2C), kept out of the campaigns list; each row opens its campaign's page. */
export default async function UserPacketsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const actor = await requirePagePermission("campaign:read", "/user-packets");
  const { t } = await getI18n();
  const query = userPacketListQuerySchema().parse(firstValues(await searchParams));
  const { rows, total, page } = await listUserPackets(actor, query);
  return (
    <>
      <PageHeader title={t("userPackets.title")} description={t("userPackets.description")} />
      <UserPacketsTable rows={rows} total={total} query={{ ...query, page }} />
    </>
  );
}
