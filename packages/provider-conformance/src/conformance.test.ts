import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The kit's own proof: it must fail a provider that breaks the contract. The suites live in
 * `__fixtures__/broken-provider.fixture.ts` (a broken and a correct provider); a child vitest runs them,
 * since a failing suite cannot run inside this one, and its JSON report is checked case by case.
 */

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitestBin = join(packageDir, 'node_modules', 'vitest', 'vitest.mjs');

interface AssertionResult {
  ancestorTitles: string[];
  title: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
  failureMessages: string[];
}
interface JsonReport {
  numTotalTests: number;
  testResults: { assertionResults: AssertionResult[] }[];
}

/** Case title → status, per suite ("broken", "correct"). */
const outcomes = new Map<string, Map<string, AssertionResult>>();

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve) => {
    // A failing run exits non-zero: that is the point. The report says what happened.
    execFile(process.execPath, [vitestBin, ...args], { cwd: packageDir, env, timeout: 60_000 }, () =>
      resolve(),
    );
  });
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'otpkit-conformance-'));
  const outputFile = join(dir, 'report.json');
  // The child is a vitest of its own, not a worker of this one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  try {
    await run(
      [
        'run',
        '--root',
        packageDir,
        '--config',
        'src/__fixtures__/vitest.fixture.config.ts',
        '--reporter=json',
        `--outputFile=${outputFile}`,
      ],
      { ...env, NO_COLOR: '1' },
    );
    const report = JSON.parse(await readFile(outputFile, 'utf8')) as JsonReport;
    for (const result of report.testResults.flatMap((file) => file.assertionResults)) {
      const suite = result.ancestorTitles[0]!.split(':')[0]!;
      if (!outcomes.has(suite)) outcomes.set(suite, new Map());
      outcomes.get(suite)!.set(result.title, result);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);

const status = (suite: string) =>
  Object.fromEntries(
    [...(outcomes.get(suite) ?? new Map<string, AssertionResult>())].map(([title, r]) => [title, r.status]),
  );

const isHostile = (suite: string, title: string) =>
  outcomes.get(suite)?.get(title)?.ancestorTitles.includes('a hostile vendor') ?? false;

const failure = (suite: string, title: string) =>
  outcomes.get(suite)?.get(title)?.failureMessages.join('\n') ?? '';

describe('the conformance kit', () => {
  it('ran both fixture suites', () => {
    expect([...outcomes.keys()].sort()).toEqual(['broken', 'correct']);
    expect(outcomes.get('broken')!.size).toBe(outcomes.get('correct')!.size);
    expect(outcomes.get('correct')!.size).toBeGreaterThanOrEqual(12);
  });

  it('passes every case of a provider that keeps the contract', () => {
    const correct = status('correct');
    expect(
      Object.entries(correct).filter(
        ([title, outcome]) => outcome !== 'passed' && !isHostile('correct', title),
      ),
    ).toEqual([]);
  });

  it('skips the hostile-vendor cases visibly for a provider with no HTTP to script (no respond/create/echoError)', () => {
    for (const suite of ['correct', 'broken']) {
      const hostile = Object.entries(status(suite)).filter(([title]) => isHostile(suite, title));
      // Five redirects, the size caps, the body timeout, cut-off replies, base URLs, redaction.
      expect(hostile.length).toBeGreaterThanOrEqual(11);
      expect(hostile.filter(([, outcome]) => outcome !== 'skipped')).toEqual([]);
    }
  });

  it('fails a broken provider exactly where it breaks the contract', () => {
    const broken = Object.fromEntries(
      Object.entries(status('broken')).filter(([title]) => !isHostile('broken', title)),
    );
    expect(broken).toEqual({
      'has a non-empty id': 'passed',
      // An empty message id.
      'resolves a valid send with a receipt naming the provider and a message id': 'failed',
      // Its API key in the message of an error.
      'classifies refused credentials as AUTHENTICATION (retryable: false)': 'failed',
      // 429 classified as REJECTED.
      'classifies rate limiting without a delay as RATE_LIMITED (retryable: true)': 'failed',
      'classifies rate limiting with a delay as RATE_LIMITED (retryable: true)': 'failed',
      'classifies the vendor being down as PROVIDER_UNAVAILABLE (retryable: true)': 'passed',
      'classifies a network failure as NETWORK (retryable: true)': 'passed',
      'classifies a malformed reply as INVALID_RESPONSE (retryable: false)': 'passed',
      'classifies a rejected message as REJECTED (retryable: false)': 'passed',
      // The abort signal ignored.
      'ends a pending send promptly with ABORTED when the signal aborts': 'failed',
      // The dispatcher's own deadline still ends the attempt, whatever the provider does.
      'ends in TIMEOUT when the per-attempt limit of a dispatcher runs out': 'passed',
      // No parseDeliveryReport: skipped visibly, not passed.
      'parses delivered and failed reports, refuses garbage': 'skipped',
    });
  });

  it('says why each broken case failed', () => {
    expect(
      failure('broken', 'resolves a valid send with a receipt naming the provider and a message id'),
    ).toMatch(/expected 0 to be greater than 0/);
    expect(
      failure('broken', 'classifies refused credentials as AUTHENTICATION (retryable: false)'),
    ).toContain('a secret appears in the error');
    expect(
      failure('broken', 'classifies rate limiting without a delay as RATE_LIMITED (retryable: true)'),
    ).toMatch(/expected 'REJECTED' to be 'RATE_LIMITED'/);
    expect(failure('broken', 'ends a pending send promptly with ABORTED when the signal aborts')).toContain(
      'the send did not end after its signal aborted',
    );
  });
});
