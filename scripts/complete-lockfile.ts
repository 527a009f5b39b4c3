/**
 * Completes package-lock.json with the platform packages this machine's registry mirror does not carry.
 *
 * The npm registry reachable here serves only Linux builds of packages such as @next/swc-*,
 * @tailwindcss/oxide-* and @unrs/resolver-binding-*. `npm install` then leaves their lockfile entries out, and
 * `npm ci` refuses the lockfile as "out of sync". This script adds each missing optional package with the
 * os/cpu it targets (read from its name), exactly as a lockfile made against the full registry has them, so
 * `npm ci` skips them on other platforms instead of failing. Run it after every `npm install` that changes
 * dependencies: `npm run lockfile:complete` (test/lockfile.test.ts fails when it was forgotten).
 */
import fs from "node:fs";

const OSES = [
  "android",
  "darwin",
  "freebsd",
  "linux",
  "win32",
  "openharmony",
  "sunos",
  "netbsd",
  "openbsd",
  "aix",
];
const CPUS = ["arm64", "x64", "ia32", "arm", "loong64", "ppc64", "riscv64", "s390x", "wasm32", "mips64el"];

type LockPackage = {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
};
export type Lockfile = { packages?: Record<string, LockPackage> };

/** "@next/swc-linux-x64-gnu" → { os: ["linux"], cpu: ["x64"], libc: ["glibc"] } */
export function platformOf(name: string): Pick<LockPackage, "os" | "cpu" | "libc"> {
  const tokens = (name.split("/").pop() ?? name).split("-");
  const os = OSES.find((o) => tokens.includes(o));
  const cpu = CPUS.find((c) => tokens.includes(c));
  const entry: Pick<LockPackage, "os" | "cpu" | "libc"> = {};
  if (os) entry.os = [os];
  if (cpu) entry.cpu = [cpu];
  if (tokens.includes("wasi")) entry.cpu = ["wasm32"];
  if (tokens.includes("musl") || tokens.includes("musleabihf")) entry.libc = ["musl"];
  else if (os === "linux" && (tokens.includes("gnu") || tokens.includes("gnueabihf"))) entry.libc = ["glibc"];
  return entry;
}

export function missingOptionalPackages(lock: Lockfile) {
  const packages = lock.packages ?? {};
  const missing: Array<{ path: string; dep: string; version: string; dev: boolean }> = [];
  for (const [key, pkg] of Object.entries(packages)) {
    for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
      const base = key === "" ? "" : `${key}/`;
      const nested = `${base}node_modules/${dep}`;
      const hoisted = `node_modules/${dep}`;
      if (!packages[nested] && !packages[hoisted])
        missing.push({ path: hoisted, dep, version, dev: !!pkg.dev });
    }
  }
  return missing;
}

function main() {
  const file = new URL("../package-lock.json", import.meta.url);
  const lock = JSON.parse(fs.readFileSync(file, "utf8")) as Lockfile & {
    packages: Record<string, LockPackage>;
  };
  const missing = missingOptionalPackages(lock);
  for (const { path, version, dev, dep } of missing) {
    lock.packages[path] = { version, ...(dev ? { dev: true } : {}), optional: true, ...platformOf(dep) };
  }
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
  );
  fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`package-lock.json: added ${missing.length} platform package entries`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
