import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The end-to-end tests run the built bin, as a user does. `pnpm test` runs from sources without a
// build, so this builds the JavaScript of the CLI and of every workspace package it loads whenever a
// package's dist is missing or older than its sources (esbuild only: a second or two per package).
const packages = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(packages, '..');

function newestSource(dir: string): number {
  let newest = statSync(join(dir, 'package.json')).mtimeMs;
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  walk(join(dir, 'src'));
  return newest;
}

/** The JavaScript files a package's exports map and bin point at. */
function entries(manifest: { exports?: Record<string, unknown>; bin?: Record<string, string> }): string[] {
  const files = Object.values(manifest.bin ?? {});
  for (const target of Object.values(manifest.exports ?? {})) {
    if (
      typeof target === 'object' &&
      target !== null &&
      typeof (target as { import?: unknown }).import === 'string'
    ) {
      files.push((target as { import: string }).import);
    }
  }
  return files;
}

/** Workspace packages the CLI loads at run time, dependencies first. */
function workspaceClosure(name: string, seen = new Set<string>(), order: string[] = []): string[] {
  if (seen.has(name)) return order;
  seen.add(name);
  const dir = join(packages, name.replace('@otpkit/', ''));
  if (!existsSync(join(dir, 'package.json'))) return order;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
    if (range.startsWith('workspace:')) workspaceClosure(dependency, seen, order);
  }
  order.push(name);
  return order;
}

export default function setup(): void {
  for (const name of workspaceClosure('@otpkit/cli')) {
    const dir = join(packages, name.replace('@otpkit/', ''));
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const built = entries(manifest).map((file) => join(dir, file));
    const oldest = Math.min(...built.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
    if (oldest > newestSource(dir)) continue;
    execFileSync('pnpm', ['--filter', name, 'run', 'build:js'], { cwd: root, stdio: 'inherit' });
  }
}
