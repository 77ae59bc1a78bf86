#!/usr/bin/env node
// Scaffolds an otpkit provider package: `pnpm new-provider <id>` (or `otpkit-new-provider <id>`).
// It writes packages/provider-<id> (plugin, options, error table, provider over @otpkit/core/http, delivery
// reports, msw emulator, a test file running the conformance kit), a changeset, and the package's entry
// in the root tsconfig.json. The package builds, lints and passes the kit as generated; the vendor's
// real host, paths, reply shapes and codes are TODOs. Templates: ./templates (`__id__`, `__Name__`, ...).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), 'templates');

/** Versions the generated package depends on; keep them in line with @otpkit/provider-kaleyra. */
const VERSIONS = {
  KY_VERSION: '^1.14.3',
  VALIBOT_VERSION: '^1.5.0',
  MSW_VERSION: '^2.15.0',
  MSW_PEER_VERSION: '^2.0.0',
  VITEST_VERSION: '~3.2.7',
};

/** Lower-case words joined by single hyphens: the id in `provider: "<id>"` and `@otpkit/provider-<id>`. */
const ID_PATTERN = /^[a-z][a-z0-9-]*$/;

const USAGE = `Usage: new-provider <id> [--dir <workspace root>]

Creates packages/provider-<id> in the otpkit workspace: a provider over @otpkit/core/http, its plugin,
options, error table, delivery reports, an msw emulator (./testing) and a test running the conformance
kit; adds .changeset/<id>-first-release.md and the package to the root tsconfig.json references.

  <id>         the vendor's id, e.g. "acme" or "acme-sms": a lower-case letter, then lower-case
               letters, digits and single hyphens
  --dir <path> the workspace root holding packages/ (default: the current directory)
  --help       this text

Then: pnpm install && pnpm build && pnpm vitest run packages/provider-<id>`;

function fail(message) {
  process.stderr.write(`new-provider: ${message}\n`);
  process.exit(1);
}

/** The spellings of an id the templates use. */
function namesOf(id) {
  const words = id.split('-');
  const capital = (word) => word.charAt(0).toUpperCase() + word.slice(1);
  return {
    id,
    name: words[0] + words.slice(1).map(capital).join(''),
    Name: words.map(capital).join(''),
    ID: words.join('_').toUpperCase(),
  };
}

function fill(text, names) {
  return text.replace(/__(id|Name|name|ID|[A-Z_]+_VERSION)__/g, (match, key) => {
    const value = names[key] ?? VERSIONS[key];
    if (value === undefined) throw new Error(`unknown placeholder ${match}`);
    return value;
  });
}

function* templateFiles(dir, base = '') {
  for (const entry of readdirSync(join(dir, base), { withFileTypes: true })) {
    const path = join(base, entry.name);
    if (entry.isDirectory()) yield* templateFiles(dir, path);
    else if (entry.name.endsWith('.tpl')) yield path;
  }
}

/** Adds `packages/provider-<id>` to the root tsconfig.json references, after the other providers. */
function addReference(tsconfigPath, packagePath) {
  const text = readFileSync(tsconfigPath, 'utf8');
  const tsconfig = JSON.parse(text);
  tsconfig.references ??= [];
  const references = tsconfig.references;
  if (references.some((reference) => reference.path === packagePath)) return false;
  let at = references.length;
  for (let index = references.length - 1; index >= 0; index--) {
    if (/^(\.\/)?packages\/provider-/.test(references[index].path)) {
      at = index + 1;
      break;
    }
  }
  references.splice(at, 0, { path: packagePath });
  writeFileSync(tsconfigPath, JSON.stringify(tsconfig, null, 2) + (text.endsWith('\n') ? '\n' : ''));
  return true;
}

function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    fail(`${error.message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) fail(`expected one provider id\n\n${USAGE}`);
  const [id] = positionals;
  if (!ID_PATTERN.test(id) || id.endsWith('-') || id.includes('--')) {
    fail(
      `"${id}" is not a provider id: expected a lower-case letter, then lower-case letters, digits and single hyphens (${ID_PATTERN}), e.g. "acme" or "acme-sms"`,
    );
  }

  const root = resolve(values.dir ?? process.cwd());
  const packagesDir = join(root, 'packages');
  if (!existsSync(packagesDir)) {
    fail(`no packages/ directory in ${root}: run it from the otpkit workspace root, or pass --dir <root>`);
  }
  const target = join(packagesDir, `provider-${id}`);
  if (existsSync(target)) fail(`${relative(root, target) || target} already exists; pick another id`);
  const changeset = join(root, '.changeset', `${id}-first-release.md`);
  if (existsSync(changeset)) fail(`${relative(root, changeset)} already exists`);

  const names = namesOf(id);
  const written = [];
  for (const template of templateFiles(TEMPLATES)) {
    const text = fill(readFileSync(join(TEMPLATES, template), 'utf8'), names);
    const destination =
      template === 'changeset.md.tpl' ? changeset : join(target, fill(template, names).replace(/\.tpl$/, ''));
    mkdirSync(dirname(destination), { recursive: true });
    writeFileSync(destination, text);
    written.push(relative(root, destination));
  }

  const tsconfig = join(root, 'tsconfig.json');
  if (existsSync(tsconfig) && addReference(tsconfig, `packages/provider-${id}`))
    written.push('tsconfig.json (reference)');

  // Line breaks and import order depend on the id's length and spelling: the workspace's Biome settles them.
  const biome = join(root, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
  if (existsSync(biome)) {
    const formatted = spawnSync(process.execPath, [biome, 'check', '--write', target], {
      cwd: root,
      encoding: 'utf8',
    });
    if (formatted.status !== 0) {
      process.stderr.write(
        `new-provider: biome check found problems in the new package:\n${formatted.stdout}${formatted.stderr}`,
      );
    }
  }

  process.stdout.write(
    [
      `Created @otpkit/provider-${id}:`,
      ...written.sort().map((file) => `  ${file}`),
      '',
      'Next:',
      '  pnpm install',
      `  pnpm build && pnpm vitest run packages/provider-${id}`,
      `  then replace the TODOs with ${names.Name}'s real API (see docs/guides/writing-a-provider.md)`,
      '',
    ].join('\n'),
  );
}

main(process.argv.slice(2));
