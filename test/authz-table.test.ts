/**
 * Static half of the authorisation matrix: every server action and route handler in the source must be listed
 * in lib/auth/permissions.ts (ACTION_PERMISSIONS, ROUTE_PERMISSIONS; the e2e matrix then calls each one as every
 * role), every action must be built on the one action wrapper under its own name (which runs the permission
 * check before anything else), and every route on the route wrapper or on Auth.js.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_EXPECTATIONS, ROUTE_EXPECTATIONS } from "../e2e/support/authz-expectations";
import { API_ROUTE_PERMISSIONS, ROUTE_PERMISSIONS } from "../lib/auth/permissions";

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

const files = [...sourceFiles("app"), ...sourceFiles("lib"), ...sourceFiles("components")];
const actionFiles = files.filter((f) => /^\s*["']use server["']/.test(fs.readFileSync(f, "utf8")));

describe("server actions", () => {
  it("are all listed with who may call them", () => {
    const exported = actionFiles.flatMap((file) =>
      [...fs.readFileSync(file, "utf8").matchAll(/export\s+(?:const|async function|function)\s+(\w+)/g)].map(
        (m) => m[1],
      ),
    );
    expect(exported.length).toBeGreaterThan(0);
    expect(exported.filter((name) => name === undefined || !(name in ACTION_EXPECTATIONS))).toEqual([]);
  });

  it("are all defined with defineAction under their own name (auth → permission → validation → call)", () => {
    for (const file of actionFiles) {
      const text = fs.readFileSync(file, "utf8");
      const exports = [...text.matchAll(/export\s+const\s+(\w+)\s*=\s*(\w+)\(\s*\{\s*name:\s*"(\w+)"/g)];
      expect(exports.length, file).toBeGreaterThan(0);
      for (const [, exported, factory, name] of exports) {
        expect(factory, `${file}: ${exported}`).toBe("defineAction");
        // The permission is looked up by this name: an action exported under another name would be checked
        // against someone else's entry.
        expect(exported, file).toBe(`${name}Action`);
      }
      expect(text.match(/export\s+const/g)?.length, file).toBe(exports.length);
      expect(text, file).not.toMatch(/export\s+(async\s+)?function/);
    }
  });

  it("have no stale entries in the table", () => {
    const names = new Set(
      actionFiles.flatMap((file) =>
        [...fs.readFileSync(file, "utf8").matchAll(/export\s+const\s+(\w+)/g)].map((m) => m[1]),
      ),
    );
    expect(Object.keys(ACTION_EXPECTATIONS).filter((name) => !names.has(name))).toEqual([]);
  });
});

/** Route files of the machine API (/api/v1), which API keys open, not sessions. */
const isApiV1 = (file: string) => file.startsWith("app/api/v1/");

describe("route handlers", () => {
  it("are all listed with who may call them", () => {
    const routes = files
      .filter((f) => f.startsWith("app/") && /\/route\.ts$/.test(f) && !isApiV1(f))
      .map((f) =>
        f
          .replace(/^app/, "")
          .replace(/\/route\.ts$/, "")
          .replace(/\/\([^)]+\)/g, ""),
      );
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.filter((r) => !(r in ROUTE_PERMISSIONS))).toEqual([]);
    expect(Object.keys(ROUTE_PERMISSIONS).filter((r) => !routes.includes(r))).toEqual([]);
    expect(Object.keys(ROUTE_EXPECTATIONS).sort()).toEqual(Object.keys(ROUTE_PERMISSIONS).sort());
  });

  it("are built on defineRoute with their own route name (Auth.js's handlers excepted)", () => {
    for (const file of files.filter(
      (f) => f.startsWith("app/api/") && /\/route\.ts$/.test(f) && !isApiV1(f),
    )) {
      const route = file.replace(/^app/, "").replace(/\/route\.ts$/, "");
      if (route === "/api/auth/[...nextauth]") continue;
      const text = fs.readFileSync(file, "utf8");
      const handlers = [
        ...text.matchAll(
          /export\s+const\s+(GET|POST|PUT|PATCH|DELETE)\s*=\s*defineRoute(?:<[^(]*>)?\(\s*"([^"]+)"/g,
        ),
      ];
      expect(handlers.length, file).toBeGreaterThan(0);
      for (const [, , name] of handlers) expect(name, file).toBe(route);
      expect(text, file).not.toMatch(/export\s+(async\s+)?function/);
    }
  });
});

describe("machine API route handlers (/api/v1)", () => {
  const apiFiles = files.filter((f) => isApiV1(f) && /\/route\.ts$/.test(f));

  it("each exported method is built on defineApiRoute under its own `METHOD /path` name", () => {
    expect(apiFiles.length).toBeGreaterThan(0);
    for (const file of apiFiles) {
      const route = file.replace(/^app/, "").replace(/\/route\.ts$/, "");
      const text = fs.readFileSync(file, "utf8");
      const handlers = [
        ...text.matchAll(
          /export\s+const\s+(GET|POST|PUT|PATCH|DELETE)\s*=\s*defineApiRoute(?:<[^(]*>)?\(\s*"([^"]+)"/g,
        ),
      ];
      expect(handlers.length, file).toBeGreaterThan(0);
      for (const [, method, name] of handlers) expect(name, file).toBe(`${method} ${route}`);
      expect(text.match(/export\s+const/g)?.length, file).toBe(handlers.length);
      expect(text, file).not.toMatch(/export\s+(async\s+)?function/);
    }
  });

  it("every route in API_ROUTE_PERMISSIONS has its handler, and no handler is missing from it", () => {
    const exported = apiFiles.flatMap((file) => {
      const route = file.replace(/^app/, "").replace(/\/route\.ts$/, "");
      return [
        ...fs.readFileSync(file, "utf8").matchAll(/export\s+const\s+(GET|POST|PUT|PATCH|DELETE)\b/g),
      ].map((m) => `${m[1]} ${route}`);
    });
    expect(exported.sort()).toEqual(Object.keys(API_ROUTE_PERMISSIONS).sort());
  });
});
