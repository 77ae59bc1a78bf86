#!/usr/bin/env node
// Part of each package's build:js. tsc writes a declaration file for every source file; the tarball
// needs only those the entry points' declarations reach (a user's TypeScript reads nothing else). This
// deletes the rest from dist: internal modules whose types no public name mentions. Run from the
// package directory, after tsc.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const entries = [];
const collect = (entry) => {
  if (typeof entry === 'string') {
    if (entry.endsWith('.d.ts')) entries.push(entry);
  } else if (entry && typeof entry === 'object') {
    for (const value of Object.values(entry)) collect(value);
  }
};
collect(manifest.exports);

const reached = new Set();
const visit = (file) => {
  const path = resolve(file);
  if (reached.has(path) || !existsSync(path)) return;
  reached.add(path);
  const text = readFileSync(path, 'utf8');
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const specifier = match[1].replace(/\.js$/, '');
    visit(join(dirname(path), `${specifier}.d.ts`));
    visit(join(dirname(path), specifier, 'index.d.ts'));
  }
};
entries.forEach(visit);
if (reached.size === 0) process.exit(0);

const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.d.ts') && !reached.has(resolve(path))) rmSync(path);
  }
};
if (existsSync('dist')) walk('dist');
