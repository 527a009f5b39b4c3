/**
 * What the production build contains, read from Next's manifests in .next/server, so a page, route or server
 * action added to the app is reached by the security specs without anyone listing it; and how to call a server
 * action over HTTP as the browser does.
 */
import fs from "node:fs";
import type { APIRequestContext, APIResponse } from "@playwright/test";

const appPaths = Object.keys(
  JSON.parse(fs.readFileSync(".next/server/app-paths-manifest.json", "utf8")) as Record<string, string>,
);

/** `/(console)/campaigns/(list)/page` → `/campaigns`: the route as a URL pattern, without groups. */
function routeOf(key: string, suffix: "/page" | "/route"): string {
  const route = key.slice(0, -suffix.length).replace(/\/\([^)]+\)/g, "");
  return route === "" ? "/" : route;
}

/**
 * Every page, as its URL pattern (`/campaigns/[id]`). Next's own `/_not-found` and `/_global-error` are left
 * out: they are rendered for other URLs, never visited at their own.
 */
export const BUILD_PAGES: string[] = appPaths
  .filter((key) => key.endsWith("/page"))
  .map((key) => routeOf(key, "/page"))
  .filter((page) => !page.startsWith("/_"));

/** Every route handler (`/api/v1/campaigns/[campaignId]`), metadata files (app/icon.svg) left out. */
export const BUILD_ROUTES: string[] = appPaths
  .filter((key) => key.endsWith("/route"))
  .map((key) => routeOf(key, "/route"))
  .filter((route) => !/\.\w+$/.test(route) || route.startsWith("/api/v1/"));

/** The static metadata routes (app/icon.svg): public files, but still served with the security headers. */
export const BUILD_METADATA_ROUTES: string[] = appPaths
  .filter((key) => key.endsWith("/route"))
  .map((key) => routeOf(key, "/route"))
  .filter((route) => !BUILD_ROUTES.includes(route));

type ManifestEntry = { exportedName: string; workers: Record<string, unknown> };
const actionManifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
  node: Record<string, ManifestEntry>;
};

/** `app/(console)/campaigns/[id]/page` → `/campaigns/x`: a page whose bundle includes the action. */
function pagePath(worker: string): string {
  const path = worker
    .replace(/^app/, "")
    .replace(/\/page$/, "")
    .replace(/\/\([^)]+\)/g, "")
    .replace(/\[[^\]]+\]/g, "x");
  return path === "" ? "/" : path;
}

export type ServerAction = { id: string; name: string; page: string };

export const SERVER_ACTIONS: ServerAction[] = Object.entries(actionManifest.node).map(([id, entry]) => ({
  id,
  name: entry.exportedName,
  page: pagePath(Object.keys(entry.workers)[0] ?? "app/(auth)/login/page"),
}));

export function serverAction(name: string): ServerAction {
  const action = SERVER_ACTIONS.find((a) => a.name === name);
  if (!action) throw new Error(`${name} is not in the build`);
  return action;
}

/**
 * Calls a server action as the browser's fetch does: POSTed to a page that bundles it (the proxy lets action
 * POSTs through), its arguments as JSON.
 */
export function postAction(
  api: APIRequestContext,
  action: ServerAction,
  args: unknown[],
  headers: Record<string, string> = {},
): Promise<APIResponse> {
  return api.post(action.page, {
    headers: {
      "next-action": action.id,
      accept: "text/x-component",
      "content-type": "text/plain;charset=UTF-8",
      ...headers,
    },
    data: JSON.stringify(args),
  });
}

/** What the server answered to a server action call: the result's error code, OK, or REDIRECT. */
export async function actionOutcome(response: APIResponse): Promise<string> {
  if (response.headers()["x-action-redirect"] || [303, 307].includes(response.status())) return "REDIRECT";
  const body = await response.text();
  const code = /"code":"([A-Z_]+)"/.exec(body)?.[1];
  if (code) return code;
  if (/"ok":true/.test(body)) return "OK";
  return `UNPARSED ${response.status()} ${body.slice(0, 200)}`;
}
