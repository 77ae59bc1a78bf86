import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProviderPlugin } from '@otpkit/core';
import { describe, expect, it } from 'vitest';

/**
 * Invariants of every provider package (unstorage-style): each `packages/provider-*` runs the
 * conformance kit, exports a plugin whose id is its own, and ships an emulator at `./testing`.
 */

const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Not a provider: the kit itself. */
const NOT_PROVIDERS = new Set(['provider-conformance']);

/**
 * Provider packages without a `./testing` subpath, and why. Nothing else may be added here without a
 * reason of the same kind.
 */
const NO_TESTING_EXPORT: ReadonlyMap<string, string> = new Map([
  // The fake is itself the test double: there is no vendor API to emulate.
  ['provider-fake', 'in-memory provider, no vendor to emulate'],
]);

const providerDirs = readdirSync(packagesDir, { withFileTypes: true })
  .filter(
    (entry) => entry.isDirectory() && entry.name.startsWith('provider-') && !NOT_PROVIDERS.has(entry.name),
  )
  .map((entry) => entry.name)
  .sort();

interface Manifest {
  name?: string;
  exports?: Record<string, unknown>;
}

it('finds the provider packages', () => {
  expect(providerDirs).toEqual(expect.arrayContaining(['provider-fake', 'provider-kaleyra']));
});

it('lists only existing packages as exempt from ./testing', () => {
  for (const dir of NO_TESTING_EXPORT.keys()) expect(providerDirs).toContain(dir);
});

describe.each(providerDirs)('%s', (dir) => {
  const root = join(packagesDir, dir);
  const id = dir.slice('provider-'.length);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

  it(`is named @otpkit/${dir}, so loadOtpKit finds it by id`, () => {
    expect(manifest.name).toBe(`@otpkit/${dir}`);
  });

  /** The test files of `src/` that call this suite of the kit. */
  const callersOf = (suite: string) => {
    const srcDir = join(root, 'src');
    return readdirSync(srcDir)
      .filter((file) => file.endsWith('.test.ts'))
      .filter((file) => {
        const text = readFileSync(join(srcDir, file), 'utf8');
        return (
          /from '@otpkit\/provider-conformance'/.test(text) && new RegExp(`${suite}\\(\\s*\\{`).test(text)
        );
      });
  };

  it('has a src/*.test.ts that runs describeProviderConformance', () => {
    expect(
      callersOf('describeProviderConformance'),
      `no test file in ${dir}/src calls describeProviderConformance`,
    ).not.toEqual([]);
  });

  // A vendor package (one with an emulator) earns the figures of docs/reliability.md and the option rules.
  if (!NO_TESTING_EXPORT.has(dir)) {
    it('runs describeProviderFaults and describeProviderOptions', () => {
      expect(
        callersOf('describeProviderFaults'),
        `no test file in ${dir}/src calls describeProviderFaults`,
      ).not.toEqual([]);
      expect(
        callersOf('describeProviderOptions'),
        `no test file in ${dir}/src calls describeProviderOptions`,
      ).not.toEqual([]);
    });
  }

  it(`exports a provider plugin with id "${id}" from its entry`, async () => {
    const entry = (await import(join(root, 'src', 'index.ts'))) as Record<string, unknown>;
    const plugins = Object.values(entry).filter(isProviderPlugin);
    expect(plugins.length, `${dir}/src/index.ts exports no provider plugin`).toBeGreaterThan(0);
    expect(plugins.map((plugin) => plugin.id)).toContain(id);
  });

  if (NO_TESTING_EXPORT.has(dir)) {
    it(`has no ./testing subpath (exempt: ${NO_TESTING_EXPORT.get(dir)})`, () => {
      expect(manifest.exports?.['./testing']).toBeUndefined();
    });
  } else {
    it('exports ./testing (its vendor emulator)', () => {
      expect(manifest.exports?.['./testing'], `${dir}/package.json has no "./testing" export`).toBeDefined();
    });
  }
});
