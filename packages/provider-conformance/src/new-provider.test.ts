import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** The scaffold (`pnpm new-provider <id>`), run into a temporary workspace; no install, no build. */

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const script = join(packageDir, 'bin', 'new-provider.mjs');
const kaleyraDir = join(packageDir, '..', 'provider-kaleyra');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function newProvider(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

interface Manifest {
  name: string;
  bin?: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
  engines: Record<string, string>;
  sideEffects: boolean;
  exports: Record<string, Record<string, string> | string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional: boolean }>;
  devDependencies: Record<string, string>;
}

const readJson = async <T>(path: string) => JSON.parse(await readFile(path, 'utf8')) as T;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'otpkit-new-provider-'));
  await mkdir(join(root, 'packages'));
  await writeFile(
    join(root, 'tsconfig.json'),
    `${JSON.stringify(
      {
        files: [],
        references: [
          { path: 'packages/core' },
          { path: 'packages/provider-fake' },
          { path: 'packages/provider-kaleyra' },
          { path: 'packages/demo' },
        ],
      },
      null,
      2,
    )}\n`,
  );
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('new-provider', () => {
  it('creates a provider package with the layout of the Kaleyra package', async () => {
    const run = await newProvider('acme', '--dir', root);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Created @otpkit/provider-acme');

    const target = join(root, 'packages', 'provider-acme');
    expect(readdirSync(target).sort()).toEqual([
      'README.md',
      'package.json',
      'src',
      'tsconfig.json',
      'vitest.config.ts',
    ]);
    expect(readdirSync(join(target, 'src')).sort()).toEqual([
      'acme-conformance.test.ts',
      'acme-delivery-report.ts',
      'acme-emulator.ts',
      'acme-errors.ts',
      'acme-faults.test.ts',
      'acme-options.ts',
      'acme-plugin.test.ts',
      'acme-plugin.ts',
      'acme-provider.ts',
      'index.ts',
      'testing.ts',
    ]);
    expect(existsSync(join(root, '.changeset', 'acme-first-release.md'))).toBe(true);
    expect(await readFile(join(root, '.changeset', 'acme-first-release.md'), 'utf8')).toMatch(
      /^---\n"@otpkit\/provider-acme": minor\n---\n/,
    );
  });

  it('fills every placeholder, in each spelling of the id', async () => {
    expect((await newProvider('acme-sms', '--dir', root)).code).toBe(0);
    const target = join(root, 'packages', 'provider-acme-sms');
    const files = ['README.md', 'package.json', 'tsconfig.json', 'vitest.config.ts'].concat(
      readdirSync(join(target, 'src')).map((file) => join('src', file)),
    );
    for (const file of files) {
      const text = await readFile(join(target, file), 'utf8');
      expect(text.replaceAll('__fixtures__', ''), file).not.toMatch(/__[A-Za-z_]+__/);
    }
    const plugin = await readFile(join(target, 'src', 'acme-sms-plugin.ts'), 'utf8');
    expect(plugin).toContain('export const acmeSmsPlugin = defineProviderPlugin({');
    expect(plugin).toContain("id: 'acme-sms'");
    expect(plugin).toContain("ACME_SMS_API_KEY: 'apiKey'");
    const provider = await readFile(join(target, 'src', 'acme-sms-provider.ts'), 'utf8');
    expect(provider).toContain('export function createAcmeSmsProvider(');
    expect(provider).toContain("from '@otpkit/core/http'");
    expect(provider).toMatch(/postForm\(/);
    // The kit's error-reply handler, over httpError; its client, with retry: 0 (core's
    // vendor-client.test.ts); numeric codes (Twilio's 21211) as text by vendorCodeText (error-reply.test.ts).
    expect(provider).toMatch(/createErrorReplyHandler\(/);
    expect(provider).toContain('createVendorClient({ ky');
    expect(provider).toContain(
      "createErrorReplyHandler({ provider: 'acme-sms', table: ACME_SMS_ERROR_CODES })",
    );
    const conformance = await readFile(join(target, 'src', 'acme-sms-conformance.test.ts'), 'utf8');
    expect(conformance).toContain("from '@otpkit/provider-conformance'");
    expect(conformance).toContain('describeProviderConformance({');
    const emulator = await readFile(join(target, 'src', 'acme-sms-emulator.ts'), 'utf8');
    expect(emulator).toContain('export function createAcmeSmsEmulator(');
    expect(emulator).toContain('createVendorEmulator<');
    expect(emulator).toContain('fault(fault)');
    const faults = await readFile(join(target, 'src', 'acme-sms-faults.test.ts'), 'utf8');
    expect(faults).toContain('describeProviderFaults({');
    expect(conformance).toContain('describeProviderOptions({');
    expect(await readFile(join(target, 'src', 'testing.ts'), 'utf8')).toContain('createAcmeSmsEmulator');
  });

  it("writes a package.json of the Kaleyra package's shape, with the same dependency ranges", async () => {
    expect((await newProvider('acme', '--dir', root)).code).toBe(0);
    const manifest = await readJson<Manifest>(join(root, 'packages', 'provider-acme', 'package.json'));
    const kaleyra = await readJson<Manifest>(join(kaleyraDir, 'package.json'));

    expect(manifest.name).toBe('@otpkit/provider-acme');
    for (const subpath of ['.', './testing']) {
      const entry = manifest.exports[subpath] as Record<string, string>;
      expect(Object.keys(entry)).toEqual(['@otpkit/source', 'types', 'import']);
    }
    expect(manifest.exports['./testing']).toEqual({
      '@otpkit/source': './src/testing.ts',
      types: './dist/testing.d.ts',
      import: './dist/testing.js',
    });
    expect(manifest.files).toEqual(kaleyra.files);
    expect(manifest.scripts).toEqual(kaleyra.scripts);
    expect(manifest.engines).toEqual(kaleyra.engines);
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.dependencies).toEqual({
      '@otpkit/core': 'workspace:^',
      ky: kaleyra.dependencies.ky,
      valibot: kaleyra.dependencies.valibot,
    });
    expect(manifest.peerDependencies).toEqual(kaleyra.peerDependencies);
    expect(manifest.peerDependenciesMeta).toEqual({ msw: { optional: true } });
    expect(manifest.devDependencies).toEqual({
      '@otpkit/provider-conformance': 'workspace:^',
      msw: kaleyra.devDependencies.msw,
      vitest: kaleyra.devDependencies.vitest,
    });
    for (const tsconfig of ['tsconfig.json']) {
      expect(await readJson(join(root, 'packages', 'provider-acme', tsconfig)), tsconfig).toEqual(
        await readJson(join(kaleyraDir, tsconfig)),
      );
    }
  });

  it('adds the package to the root tsconfig.json references, after the other providers', async () => {
    expect((await newProvider('acme', '--dir', root)).code).toBe(0);
    const tsconfig = await readJson<{ references: { path: string }[] }>(join(root, 'tsconfig.json'));
    expect(tsconfig.references.map((reference) => reference.path)).toEqual([
      'packages/core',
      'packages/provider-fake',
      'packages/provider-kaleyra',
      'packages/provider-acme',
      'packages/demo',
    ]);
    expect(await readFile(join(root, 'tsconfig.json'), 'utf8')).toMatch(/}\n$/);
  });

  it('refuses ids that are not lower-case letters, digits and single hyphens', async () => {
    for (const id of ['Acme', '1acme', 'acme_sms', 'acme sms', 'acme-', 'acme--sms', '@otpkit/acme', '']) {
      const run = await newProvider(id, '--dir', root);
      expect(run.code, id).toBe(1);
      expect(run.stderr, id).toContain('is not a provider id');
    }
    // A leading hyphen reads as an option, and is refused as one.
    expect(await newProvider('-acme', '--dir', root)).toMatchObject({ code: 1, stderr: /Unknown option/ });
    expect(readdirSync(join(root, 'packages'))).toEqual([]);
  });

  it('refuses a package that already exists, and changes nothing', async () => {
    await mkdir(join(root, 'packages', 'provider-acme'));
    const before = await readFile(join(root, 'tsconfig.json'), 'utf8');
    const run = await newProvider('acme', '--dir', root);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('already exists');
    expect(readdirSync(join(root, 'packages', 'provider-acme'))).toEqual([]);
    expect(await readFile(join(root, 'tsconfig.json'), 'utf8')).toBe(before);
    expect(existsSync(join(root, '.changeset'))).toBe(false);
  });

  it('refuses a directory without packages/, and a missing or extra id', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'otpkit-not-a-workspace-'));
    try {
      const run = await newProvider('acme', '--dir', elsewhere);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('no packages/ directory');
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
    expect((await newProvider('--dir', root)).stderr).toContain('expected one provider id');
    expect((await newProvider('acme', 'other', '--dir', root)).code).toBe(1);
  });

  it('prints its usage with --help', async () => {
    const run = await newProvider('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: new-provider <id>');
  });
});

describe('@otpkit/provider-conformance ships the scaffold', () => {
  it('declares the bin and the files it needs', async () => {
    const manifest = await readJson<Manifest>(join(packageDir, 'package.json'));
    expect(manifest.bin).toEqual({ 'otpkit-new-provider': './bin/new-provider.mjs' });
    expect(manifest.files).toContain('bin');
    expect(await readFile(script, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});
