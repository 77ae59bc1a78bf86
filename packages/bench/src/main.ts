// pnpm bench [--check] [--smoke] [--n=20000] [--c=64] [--rounds=5] [--verify-n=100000] [--no-write]
// Runs every measurement in one go, each client in a fresh process against a server in its own process,
// alternating rounds, and reports medians. Writes docs/benchmarks.md unless --smoke or --no-write.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import {
  coldStart,
  dispatcherOnly,
  httpRound,
  log,
  packedSizes,
  root,
  type Summary,
  settings,
  storeRedisOnly,
  verifyOnly,
} from './runners.js';
import { type ClientResult, median } from './stats.js';

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key!, value ?? 'true'] as const;
  }),
);
const smoke = args.has('smoke');
const check = args.has('check');
const n = Number(args.get('n') ?? (smoke ? 500 : 20_000));
const concurrency = Number(args.get('c') ?? 64);
const rounds = Number(args.get('rounds') ?? (smoke ? 1 : 5));
const coldRuns = Number(args.get('cold-runs') ?? (smoke ? 3 : 21));
const dispatcherN = Number(args.get('dispatcher-n') ?? (smoke ? 20_000 : 200_000));
const verifyN = Number(args.get('verify-n') ?? (smoke ? 5_000 : 100_000));
Object.assign(settings, { smoke, n, concurrency, rounds, coldRuns, dispatcherN, verifyN });

const LABELS: Record<string, string> = {
  undici: '(a) undici `request`, keep-alive agent',
  fetch: '(b) global `fetch`',
  ky: '(c) ky',
  otpkit: '(d) otpkit dispatcher + Kaleyra provider',
  'otpkit-undici': '(d′) otpkit + Kaleyra with the undici transport',
  'twilio-sdk': '(e) official `twilio` SDK',
  'otpkit-twilio': '(f) otpkit dispatcher + Twilio provider',
  'otpkit-twilio-undici': '(f′) otpkit + Twilio with the undici transport',
  'ky-json': '(g) ky posting JSON',
  'otpkit-telnyx': '(h) otpkit dispatcher + Telnyx provider',
  'otpkit-telnyx-undici': '(h′) otpkit + Telnyx with the undici transport',
};

const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

log(`otpkit bench: n=${n} c=${concurrency} rounds=${rounds}${smoke ? ' (smoke)' : ''}`);
log('Kaleyra-like server:');
const kaleyraKinds = ['undici', 'fetch', 'ky', 'otpkit', 'otpkit-undici'];
const http = await httpRound('kaleyra', kaleyraKinds);
log('Twilio-like server:');
const twilioKinds = ['twilio-sdk', 'otpkit-twilio', 'otpkit-twilio-undici'];
const twilioHttp = await httpRound('twilio', twilioKinds);
log('JSON vendor server (Bearer auth, Telnyx-like):');
const jsonKinds = ['ky-json', 'otpkit-telnyx', 'otpkit-telnyx-undici'];
const jsonHttp = await httpRound('json', jsonKinds);
const byKind = Object.fromEntries([...http, ...twilioHttp, ...jsonHttp].map((s) => [s.kind, s])) as Record<
  string,
  Summary
>;
log('Cold start:');
const { medians: cold, runs: coldTimes } = coldStart();
for (const [name, ms] of Object.entries(cold)) log(`  ${name}: ${ms.toFixed(1)} ms`);
log('Dispatcher only (fake provider):');
const only = dispatcherOnly();
log(
  `  ${Math.round(only.sendsPerSecond)} sends/s, ${Math.round(only.heapBytesPerQueued)} B heap per queued message`,
);
const traced = dispatcherOnly(true);
log(`  instrumented by @otpkit/otel (SDK tracer and meter): ${Math.round(traced.sendsPerSecond)} sends/s`);
log('Verifier (memory store, fake provider):');
const verify = verifyOnly();
log(
  `  start ${Math.round(verify.startsPerSecond)}/s, check ${Math.round(verify.wrongChecksPerSecond)}/s (wrong code), ${Math.round(verify.approvingChecksPerSecond)}/s (right code), ${Math.round(verify.heapBytesPerPending)} B heap per pending verification`,
);
log(
  `  dispatcher ${Math.round(verify.sendsPerSecond)} sends/s without startWith, ${Math.round(verify.sendsPerSecondWithStartWith)} with`,
);
log('Verifier on Redis (@otpkit/store-redis, local redis-server, ioredis):');
const redisStore = storeRedisOnly();
log(
  redisStore.skipped
    ? `  skipped: ${redisStore.skipped}`
    : `  check ${Math.round(redisStore.wrongChecksPerSecond)}/s (wrong code), ${Math.round(redisStore.approvingChecksPerSecond)}/s (right code), bare EVALSHA ${Math.round(redisStore.bareEvalshaPerSecond)}/s (${redisStore.checkOverBare.toFixed(2)}x); commands per check ${redisStore.commandsPerCheck}, per start ${redisStore.commandsPerStart}`,
);
log('Packed sizes:');
const sizes = packedSizes();
for (const [name, size] of Object.entries(sizes)) log(`  ${name}: ${(size / 1024).toFixed(1)} KiB`);

const ours = byKind.otpkit!;
const ky = byKind.ky!;
const fetchResult = byKind.fetch!;
const bare = cold.bare!;
const overhead = (name: string) => cold[name]! - bare;
// (c) and (d) run next to each other in every round (the order alternates, and they are neighbours
// both ways), so each round pairs them on the same state of a shared machine: the budgets are judged on
// the median over rounds of the paired ratio, which drift between rounds does not move.
const paired = (of: (d: ClientResult, c: ClientResult) => number) =>
  median(ours.rounds.map((d, round) => of(d, ky.rounds[round]!)));
const throughputRatio = paired((d, c) => d.throughput / c.throughput);
const p99Limit = (c: ClientResult) => 1.1 * c.p99 + 1;
const p99Share = paired((d, c) => d.p99 / p99Limit(c));
const perRound = (of: (d: ClientResult, c: ClientResult) => number) =>
  ours.rounds.map((d, round) => fmt(of(d, ky.rounds[round]!), 2)).join(', ');
// Each cold-start run spawns bare, ky, twilio and otpkit back to back: paired like the rounds above.
const kyRuns = coldTimes.get('ky')!;
const importOverKy = median(coldTimes.get('otpkit (core + kaleyra)')!.map((ms, run) => ms - kyRuns[run]!));
// (g) and (h) are paired the same way, on the JSON vendor's server.
const jsonOurs = byKind['otpkit-telnyx']!;
const jsonKy = byKind['ky-json']!;
const jsonRatios = jsonOurs.rounds.map((h, round) => h.throughput / jsonKy.rounds[round]!.throughput);
const jsonRatio = median(jsonRatios);
const jsonP99Share = median(jsonOurs.rounds.map((h, round) => h.p99 / p99Limit(jsonKy.rounds[round]!)));
const budgets = [
  {
    name: '(d) throughput >= 0.90 x (c) ky',
    ok: throughputRatio >= 0.9,
    value: `${fmt(throughputRatio, 2)} x (rounds: ${perRound((d, c) => d.throughput / c.throughput)})`,
  },
  {
    name: "(d) p99 <= 1.10 x (c)'s + 1 ms",
    ok: p99Share <= 1,
    value: `${fmt(p99Share, 2)} of the limit (rounds: ${perRound((d, c) => d.p99 / p99Limit(c))})`,
  },
  {
    name: '(h) JSON vendor: throughput >= 0.90 x (g) ky posting JSON',
    ok: jsonRatio >= 0.9,
    value: `${fmt(jsonRatio, 2)} x (rounds: ${jsonRatios.map((r) => fmt(r, 2)).join(', ')})`,
  },
  {
    name: "(h) JSON vendor: p99 <= 1.10 x (g)'s + 1 ms",
    ok: jsonP99Share <= 1,
    value: `${fmt(jsonP99Share, 2)} of the limit`,
  },
  {
    name: "import overhead of core + kaleyra < half of twilio SDK's",
    ok: overhead('otpkit (core + kaleyra)') < overhead('twilio SDK') / 2,
    value: `${fmt(overhead('otpkit (core + kaleyra)'), 1)} ms vs limit ${fmt(overhead('twilio SDK') / 2, 1)} ms`,
  },
  {
    name: 'import overhead of core + kaleyra <= ky + 15 ms',
    ok: importOverKy <= 15,
    value: `ky + ${fmt(importOverKy, 1)} ms (median over runs of otpkit's time minus ky's in the same run)`,
  },
  {
    name: 'dispatcher with the fake >= 100 000 sends/s',
    ok: only.sendsPerSecond >= 100_000,
    value: `${fmt(only.sendsPerSecond)} /s`,
  },
  {
    name: 'heap per queued message <= 2 KiB',
    ok: only.heapBytesPerQueued <= 2048,
    value: `${fmt(only.heapBytesPerQueued)} B`,
  },
  {
    name: 'verifier check() >= 100 000 /s (memory store; the slower of wrong and right codes)',
    ok: Math.min(verify.wrongChecksPerSecond, verify.approvingChecksPerSecond) >= 100_000,
    value: `${fmt(verify.wrongChecksPerSecond)} /s wrong, ${fmt(verify.approvingChecksPerSecond)} /s right`,
  },
  {
    name: 'heap per pending verification <= 512 B (memory store)',
    ok: verify.heapBytesPerPending <= 512,
    value: `${fmt(verify.heapBytesPerPending)} B`,
  },
  {
    name: 'verifier check() on Redis >= 0.70 x a bare EVALSHA of a trivial script (same client, same run)',
    ok: !redisStore.skipped && redisStore.checkOverBare >= 0.7,
    value: redisStore.skipped
      ? `not measured: ${redisStore.skipped}`
      : `${fmt(redisStore.checkOverBare, 2)} x (rounds: ${redisStore.checkOverBareRounds.map((r) => fmt(r, 2)).join(', ')})`,
  },
  {
    name: 'commands per check() / start() on Redis: 1 / 2',
    ok: !redisStore.skipped && redisStore.commandsPerCheck === 1 && redisStore.commandsPerStart === 2,
    value: redisStore.skipped
      ? `not measured: ${redisStore.skipped}`
      : `${fmt(redisStore.commandsPerCheck, 2)} / ${fmt(redisStore.commandsPerStart, 2)}`,
  },
  ...Object.entries(sizes).map(([name, size]) => {
    // Core also carries the provider kit every vendor package shares (`./http`: client, options, the
    // send, error replies, reports, signatures; `./testing`: the emulator builder and its callbacks),
    // which took that code out of each of the eight vendor packages (each 14 to 16 KiB).
    const limitKiB = name === '@otpkit/core' ? 64 : 40;
    return {
      name: `${name} tarball < ${limitKiB} KiB`,
      ok: size < limitKiB * 1024,
      value: `${fmt(size / 1024, 1)} KiB`,
    };
  }),
];

const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
const report = `# Benchmarks

Measured by \`pnpm bench\` (\`packages/bench\`) on ${new Date().toISOString().slice(0, 10)}: Node.js ${process.version},
${os.cpus().length} × ${cpuModel}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}. All traffic on 127.0.0.1; the
server runs in its own process, each client in a fresh process; ${rounds} alternating rounds, medians. The (d)
budgets compare (d) with (c) round by round (the two always run back to back) and take the median; the
import budget likewise compares otpkit's import with ky's in each cold-start run.
Command: \`pnpm bench --n=${n} --c=${concurrency} --rounds=${rounds}\`. This machine is shared and noisy: read the
ratios, not the absolute numbers. \`pnpm bench --check\` fails when a budget below is missed.

## Per send, Kaleyra-like server (${fmt(n)} sends at concurrency ${concurrency})

| client | sends/s | p50 ms | p99 ms | CPU µs/send | vs fetch | vs ky |
|---|---:|---:|---:|---:|---:|---:|
${http
  .map(
    (s) =>
      `| ${LABELS[s.kind] ?? s.kind} | ${fmt(s.throughput)} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${fmt(s.cpuUsPerSend)} | ${fmt(s.throughput / fetchResult.throughput, 2)}x | ${fmt(s.throughput / ky.throughput, 2)}x |`,
  )
  .join('\n')}

## Per send, Twilio-like server (${fmt(n)} sends at concurrency ${concurrency})

The official \`twilio\` SDK (\`client.messages.create\`, \`client.api.baseUrl\` pointed at the server) is what a
Twilio user would use instead of otpkit.

| client | sends/s | p50 ms | p99 ms | CPU µs/send | vs twilio SDK |
|---|---:|---:|---:|---:|---:|
${twilioHttp
  .map(
    (s) =>
      `| ${LABELS[s.kind] ?? s.kind} | ${fmt(s.throughput)} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${fmt(s.cpuUsPerSend)} | ${fmt(s.throughput / byKind['twilio-sdk']!.throughput, 2)}x |`,
  )
  .join('\n')}

## Per send, JSON vendor server (${fmt(n)} sends at concurrency ${concurrency})

A vendor whose API takes JSON with Bearer auth (Telnyx's \`POST /v2/messages\`): the wire format the
other servers lack. The baseline is ky posting the same JSON.

| client | sends/s | p50 ms | p99 ms | CPU µs/send | vs ky JSON |
|---|---:|---:|---:|---:|---:|
${jsonHttp
  .map(
    (s) =>
      `| ${LABELS[s.kind] ?? s.kind} | ${fmt(s.throughput)} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${fmt(s.cpuUsPerSend)} | ${fmt(s.throughput / jsonKy.throughput, 2)}x |`,
  )
  .join('\n')}

## Cold start (median of ${coldRuns} fresh \`node\` processes)

| import | ms | overhead over bare node |
|---|---:|---:|
${Object.entries(cold)
  .map(([name, ms]) => `| ${name} | ${fmt(ms, 1)} | ${name === 'bare' ? '–' : `${fmt(ms - bare, 1)} ms`} |`)
  .join('\n')}

## Dispatcher only (fake provider, no I/O)

- ${fmt(only.sendsPerSecond)} sends/s through \`dispatcher.send()\` (64 callers awaiting in a loop).
- ${fmt(traced.sendsPerSecond)} sends/s instrumented by \`@otpkit/otel\` (the SDK's tracer, every span ended and exported to a sink that drops it, and its meter): ${fmt((traced.sendsPerSecond / only.sendsPerSecond) * 100)} % of the plain send. A real send is a vendor round trip, tens of ms: the instrumentation is noise next to it.
- ${fmt(only.heapBytesPerQueued)} bytes of heap per queued message (50 000 messages waiting).

## Verifier (memory store, fake provider, no I/O)

- ${fmt(verify.startsPerSecond)} \`verifier.start()\`/s (a code, its HMAC, the limits, the store, a send through the dispatcher).
- ${fmt(verify.wrongChecksPerSecond)} \`verifier.check()\`/s with a wrong code, ${fmt(verify.approvingChecksPerSecond)} /s with the right one.
- ${fmt(verify.heapBytesPerPending)} bytes of heap per pending verification (50 000 pending, memory store).
- The dispatcher with two providers: ${fmt(verify.sendsPerSecond)} sends/s without \`startWith\`, ${fmt(verify.sendsPerSecondWithStartWith)} /s with it (a send that does not use it takes the path it took before).

## Verifier on Redis (@otpkit/store-redis, a local redis-server, one ioredis client, 64 callers)

${
  redisStore.skipped
    ? `Not measured: ${redisStore.skipped}.`
    : `- ${fmt(redisStore.wrongChecksPerSecond)} \`verifier.check()\`/s with a wrong code, ${fmt(redisStore.approvingChecksPerSecond)} /s with the right one; the store's own \`check()\` ${fmt(redisStore.storeChecksPerSecond)} /s (${fmt(redisStore.storeCheckOverBare, 2)}x).
- A bare \`EVALSHA\` of \`return 1\` over the same client: ${fmt(redisStore.bareEvalshaPerSecond)} /s; the slower check is ${fmt(redisStore.checkOverBare, 2)}x of it (median of the rounds' ratios).
- ${fmt(redisStore.startsPerSecond)} \`verifier.start()\`/s (the fake provider).
- Commands the client sends, counted with \`MONITOR\`: ${fmt(redisStore.commandsPerCheck, 2)} per \`check()\`, ${fmt(redisStore.commandsPerStart, 2)} per \`start()\`.`
}

## Packed size

| package | tarball |
|---|---:|
${Object.entries(sizes)
  .map(([name, size]) => `| ${name} | ${fmt(size / 1024, 1)} KiB |`)
  .join('\n')}

## Budgets

| budget | measured | |
|---|---|---|
${budgets.map((b) => `| ${b.name} | ${b.value} | ${b.ok ? 'met' : '**missed**'} |`).join('\n')}
`;

process.stdout.write(report);
if (!smoke && !args.has('no-write')) {
  const current = readFileSync(join(root, 'docs/benchmarks.md'), 'utf8').split('<!-- reading -->')[1];
  writeFileSync(join(root, 'docs/benchmarks.md'), `${report}\n<!-- reading -->${current ?? '\n'}`);
  log('wrote docs/benchmarks.md');
}
const errors = [...http, ...twilioHttp, ...jsonHttp].reduce((sum, s) => sum + s.errors, 0);
if (errors > 0) {
  log(`${errors} sends failed during the benchmark`);
  process.exitCode = 1;
}
if (check) {
  const missed = budgets.filter((b) => !b.ok);
  for (const b of missed) log(`budget missed: ${b.name}: ${b.value}`);
  if (missed.length > 0) process.exitCode = 1;
  else log('all budgets met');
}
