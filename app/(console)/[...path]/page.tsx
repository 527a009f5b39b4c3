import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getI18n } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("errors.notFoundPage.title") };
}

/**
 * Any URL no console route matches. Without this route Next would answer with app/not-found.tsx outside
 * the console layout; here the console layout signs the visitor in first, then its not-found page renders
 * inside the frame (HTTP 404).
 */
export default function UnknownConsolePage(): never {
  notFound();
}
