import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { missingOptionalPackages, platformOf, type Lockfile } from "../scripts/complete-lockfile";

describe("package-lock.json", () => {
  it("lists every optional platform package, so `npm ci` accepts it (run `npm run lockfile:complete`)", () => {
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8")) as Lockfile;
    expect(missingOptionalPackages(lock).map((m) => m.dep)).toEqual([]);
  });

  it("pins every dependency to an exact version", () => {
    const manifest = JSON.parse(fs.readFileSync("package.json", "utf8")) as Record<
      string,
      Record<string, string>
    >;
    const ranges = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).filter(
      ([, version]) => !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version),
    );
    expect(ranges).toEqual([]);
  });
});

describe("platformOf", () => {
  it.each([
    ["@next/swc-darwin-arm64", { os: ["darwin"], cpu: ["arm64"] }],
    ["@next/swc-linux-x64-musl", { os: ["linux"], cpu: ["x64"], libc: ["musl"] }],
    ["@unrs/resolver-binding-linux-arm-gnueabihf", { os: ["linux"], cpu: ["arm"], libc: ["glibc"] }],
    ["@tailwindcss/oxide-wasm32-wasi", { cpu: ["wasm32"] }],
    ["@next/swc-win32-x64-msvc", { os: ["win32"], cpu: ["x64"] }],
  ])("%s", (name, expected) => {
    expect(platformOf(name)).toEqual(expected);
  });
});
