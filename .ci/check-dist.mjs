#!/usr/bin/env node
// `prepack` of every published package: refuses to pack a package whose dist is missing or older than its
// sources (the tarball would ship without its JavaScript, or with stale JavaScript). Run from the package
// directory; `pnpm build` (or the package's own `pnpm build`) fixes what it reports.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const problems = [];
const targets = [];
const collect = (entry) => {
  if (typeof entry === 'string') targets.push(entry);
  else if (entry && typeof entry === 'object') {
    for (const [condition, value] of Object.entries(entry)) {
      if (condition !== '@otpkit/source') collect(value);
    }
  }
};
collect(manifest.exports);
for (const bin of Object.values(
  typeof manifest.bin === 'string' ? { bin: manifest.bin } : (manifest.bin ?? {}),
)) {
  targets.push(bin);
}

let oldestJs = Number.POSITIVE_INFINITY;
for (const target of new Set(targets)) {
  if (target.endsWith('package.json')) continue;
  if (!existsSync(target)) {
    problems.push(`${target} is missing`);
    continue;
  }
  if (target.endsWith('.js') && target.includes('dist/'))
    oldestJs = Math.min(oldestJs, statSync(target).mtimeMs);
}

let newestSource = 0;
let newestName = '';
const walk = (dir) => {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__fixtures__') walk(path);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      const mtime = statSync(path).mtimeMs;
      if (mtime > newestSource) {
        newestSource = mtime;
        newestName = path;
      }
    }
  }
};
walk('src');
if (Number.isFinite(oldestJs) && newestSource > oldestJs) {
  problems.push(`dist is older than ${newestName}`);
}

if (problems.length > 0) {
  console.error(`${manifest.name}: not packed: ${problems.join('; ')}. Run \`pnpm build\` first.`);
  process.exit(1);
}
