// The npm registry reachable here serves only some of rollup's per-platform binaries, so
// `npm install` writes a package-lock.json without entries for the others and `npm ci` then
// rejects the lock ("Missing: @rollup/rollup-darwin-arm64@ from lock file"). This adds those
// entries with their os/cpu/libc constraints, exactly as a lock made against the full registry
// has them; npm ci skips them on this platform, so nothing is fetched.
// Run after changing dependencies: node .ci/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const CPUS = ['arm64', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'arm'];
let added = 0;

for (const [where, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const m = /^@rollup\/rollup-([a-z0-9]+)-(.+)$/.exec(name);
    if (!m) continue;
    const key = `${where ? `${where}/` : ''}node_modules/${name}`;
    if (lock.packages[key] || lock.packages[`node_modules/${name}`]) continue;
    const [, os, rest] = m;
    const cpu = CPUS.find((c) => rest === c || rest.startsWith(`${c}-`));
    if (!cpu) throw new Error(`cannot tell the cpu of ${name}`);
    const entry = { version, cpu: [cpu], dev: pkg.dev, license: 'MIT', optional: true, os: [os] };
    if (os === 'linux') entry.libc = [rest.includes('musl') ? 'musl' : 'glibc'];
    if (!entry.dev) delete entry.dev;
    lock.packages[`node_modules/${name}`] = entry;
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} platform entries`);
