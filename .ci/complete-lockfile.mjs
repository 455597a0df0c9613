#!/usr/bin/env node
// Some registries (such as the mirror these machines use) carry only the linux-x64 builds of
// packages that ship one optional package per platform (biome, rollup, msgpackr-extract). npm
// then leaves the other platforms out of package-lock.json, and `npm ci` refuses the lock as
// out of sync. This adds each missing optional package the way npm itself records one for
// another platform (exact version, os/cpu/libc, optional), so `npm ci` stays strict and skips
// them on this platform. Run it after `npm install` changes the lock: node .ci/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;

const OS = [
  'android',
  'darwin',
  'linux',
  'win32',
  'freebsd',
  'openbsd',
  'netbsd',
  'openharmony',
  'sunos',
  'aix',
];
const CPU = ['arm', 'arm64', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el', 'wasm32'];

/** "@rollup/rollup-linux-arm64-musl" → { os: ["linux"], cpu: ["arm64"], libc: ["musl"] } */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const i = parts.findIndex((p) => OS.includes(p));
  if (i < 0) return {};
  const out = { os: [parts[i]] };
  const cpu = parts[i + 1];
  if (CPU.includes(cpu)) out.cpu = [cpu];
  const abi = parts.slice(i + 2).join('-');
  if (parts[i] === 'linux' && abi.startsWith('musl')) out.libc = ['musl'];
  else if (parts[i] === 'linux' && abi.startsWith('gnu')) out.libc = ['glibc'];
  return out;
}

let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    packages[hoisted] = {
      version,
      ...platformOf(name),
      optional: true,
      ...(meta.dev ? { dev: true } : {}),
    };
    added++;
  }
}

const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
lock.packages = sorted;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.error(`package-lock.json: ${added} optional platform package(s) added`);
