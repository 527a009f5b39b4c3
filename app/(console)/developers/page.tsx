import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { API_ENDPOINTS } from "@/lib/api/endpoints";
import { API_ERRORS } from "@/lib/api/errors";
import { openApiPathOf } from "@/lib/api/openapi";
import { API_ROUTE_PERMISSIONS, roleHasPermission } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { getI18n } from "@/lib/i18n/server";
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import {
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from "@/lib/webhooks/signing";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("api.page.title") };
}

const OPENAPI_URL = "/api/v1/openapi.json";
const CLI_EXAMPLE =
  "npm run apikey:create -- --name backend --permissions payout:request,payout:read --campaigns all";

function Code({ children }: { children: ReactNode }) {
  return (
    <code className="rounded bg-gray-100 px-1 py-0.5 font-mono text-[0.8125rem] text-gray-800">
      {children}
    </code>
  );
}

/** The API's own English text: `code` spans as code, blank lines as paragraphs (as in the OpenAPI document). */
function Prose({ text, className }: { text: string; className?: string }) {
  return text.split(/\n{2,}/).map((paragraph, i) => (
    <p key={i} className={className} lang="en">
      {paragraph.split(/`([^`]+)`/).map((part, j) => (j % 2 === 1 ? <Code key={j}>{part}</Code> : part))}
    </p>
  ));
}

function Block({ children, label }: { children: string; label?: string }) {
  return (
    <pre
      aria-label={label}
      className="overflow-x-auto rounded-md bg-gray-900 px-4 py-3 font-mono text-xs leading-relaxed text-gray-100"
    >
      {children}
    </pre>
  );
}

/**
 * The machine API's reference for any signed-in person (it shows no data, only how the API works), rendered
 * from the same EndpointSpecs, error table and webhook events as the OpenAPI document, so it cannot drift from
 * the code. The prose is translated; the endpoints' own summaries, examples and messages are the API's English.
 */
export default async function DevelopersPage() {
  const user = await requirePagePermission("authenticated", "/developers");
  const { t } = await getI18n();
  const sections = [
    { id: "authentication", title: t("api.auth.title") },
    { id: "idempotency", title: t("api.idempotency.title") },
    { id: "endpoints", title: t("api.endpoints.title") },
    { id: "errors", title: t("api.errors.title") },
    { id: "webhooks", title: t("api.webhooks.title") },
  ];
  return (
    <>
      <PageHeader
        title={t("api.page.title")}
        description={t("api.page.description")}
        actions={
          <>
            {/* A plain link: the document is JSON from a route handler, not a page to navigate to. */}
            <a
              href={OPENAPI_URL}
              className="inline-flex h-9 items-center rounded-md bg-white px-3.5 text-sm font-medium whitespace-nowrap text-gray-900 ring-1 ring-gray-300 ring-inset hover:bg-gray-50"
            >
              {t("api.page.openapi")}
            </a>
            {roleHasPermission(user.role, "apikey:manage") ? (
              <ButtonLink href="/settings/api-keys" variant="secondary">
                {t("api.page.manageKeys")}
              </ButtonLink>
            ) : null}
            {roleHasPermission(user.role, "settings:manage") ? (
              <ButtonLink href="/settings/webhooks" variant="secondary">
                {t("api.page.manageWebhooks")}
              </ButtonLink>
            ) : null}
          </>
        }
      />
      <p className="mb-6 text-sm text-gray-500">{t("api.page.englishNote")}</p>

      <nav aria-label={t("api.page.contents")} className="mb-6">
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {sections.map((s) => (
            <li key={s.id}>
              <a href={`#${s.id}`} className="text-brand-700 hover:underline">
                {s.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <div className="space-y-6">
        <Card id="authentication">
          <CardHeader title={t("api.auth.title")} />
          <CardContent className="space-y-3 text-sm text-gray-700">
            <p>{t("api.auth.header")}</p>
            <Block>{"Authorization: Bearer hbk_live_…"}</Block>
            <p>{t("api.auth.keys")}</p>
            <p>{t("api.auth.cli")}</p>
            <Block>{CLI_EXAMPLE}</Block>
            <p>{t("api.auth.rate")}</p>
          </CardContent>
        </Card>

        <Card id="idempotency">
          <CardHeader title={t("api.idempotency.title")} />
          <CardContent>
            <ul className="list-disc space-y-1.5 pl-5 text-sm text-gray-700">
              <li>{t("api.idempotency.oneKey")}</li>
              <li>{t("api.idempotency.retry")}</li>
              <li>{t("api.idempotency.conflict")}</li>
              <li>{t("api.idempotency.campaigns")}</li>
            </ul>
          </CardContent>
        </Card>

        <section id="endpoints" aria-labelledby="endpoints-title" className="space-y-4">
          <h2 id="endpoints-title" className="text-lg font-semibold text-gray-900">
            {t("api.endpoints.title")}
          </h2>
          {API_ENDPOINTS.map((spec) => {
            const { method, path } = openApiPathOf(spec.route);
            const requirement = API_ROUTE_PERMISSIONS[spec.route];
            return (
              <Card key={spec.route} data-testid="api-endpoint">
                <CardContent className="space-y-3">
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge tone={method === "get" ? "blue" : "green"}>{method.toUpperCase()}</Badge>
                    <span className="font-mono text-sm font-medium break-all text-gray-900">{path}</span>
                    <Badge tone="gray">{spec.tag}</Badge>
                  </div>
                  <h3 className="font-semibold text-gray-900" lang="en">
                    {spec.summary}
                  </h3>
                  <Prose text={spec.description} className="text-sm text-gray-600" />
                  <p className="text-sm text-gray-700">
                    {t("api.endpoints.permission")}:{" "}
                    {requirement === "public" ? t("api.endpoints.public") : <Code>{requirement}</Code>}
                  </p>
                  <Block label={t("api.endpoints.example")}>{spec.example}</Block>
                </CardContent>
              </Card>
            );
          })}
        </section>

        <Card id="errors">
          <CardHeader title={t("api.errors.title")} description={t("api.errors.intro")} />
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="bg-gray-50 text-xs text-gray-500 uppercase">
                <tr>
                  <th scope="col" className="px-5 py-2 font-medium">
                    {t("api.errors.code")}
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    {t("api.errors.status")}
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    {t("api.errors.meaning")}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-gray-100">
                {Object.entries(API_ERRORS).map(([code, { status, description }]) => (
                  <tr key={code}>
                    <td className="px-5 py-2 font-mono text-xs whitespace-nowrap text-gray-900">{code}</td>
                    <td className="px-5 py-2 text-gray-700 tabular-nums">{status}</td>
                    <td className="px-5 py-2 text-gray-600">
                      <Prose text={description} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>

        <Card id="webhooks">
          <CardHeader title={t("api.webhooks.title")} description={t("api.webhooks.body")} />
          <CardContent className="space-y-3 text-sm text-gray-700">
            <p>
              {t("api.webhooks.verify", {
                signature: WEBHOOK_SIGNATURE_HEADER,
                timestamp: WEBHOOK_TIMESTAMP_HEADER,
              })}
            </p>
            <p>{t("api.webhooks.retries", { id: WEBHOOK_ID_HEADER })}</p>
          </CardContent>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="bg-gray-50 text-xs text-gray-500 uppercase">
                <tr>
                  <th scope="col" className="px-5 py-2 font-medium">
                    {t("api.webhooks.event")}
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    {t("api.webhooks.meaning")}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-gray-100">
                {WEBHOOK_EVENT_TYPES.map((type) => (
                  <tr key={type}>
                    <td className="px-5 py-2 font-mono text-xs whitespace-nowrap text-gray-900">{type}</td>
                    <td className="px-5 py-2 text-gray-600">{t(WEBHOOK_EVENT_DESCRIPTIONS[type])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      </div>
    </>
  );
}
