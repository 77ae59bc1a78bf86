#!/usr/bin/env bash
# Checks the packages the way a user meets them: packed, installed from the tarballs into a fresh app
# with npm, imported from plain ESM, and compiled by strict TypeScript with skipLibCheck off.
# Run after `pnpm build`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/packs" "$work/app"

packages=()
for dir in "$root"/packages/*/; do
  if node -e "process.exit(require('$dir/package.json').private ? 1 : 0)"; then
    (cd "$dir" && pnpm pack --pack-destination "$work/packs" >/dev/null)
    packages+=("$(node -p "require('$dir/package.json').name")")
  fi
done
echo "packed: ${packages[*]}"
# Every vendor package (not the fake, not the conformance kit), by its directory name.
vendors="$(for name in "${packages[@]}"; do case "$name" in @otpkit/provider-fake | @otpkit/provider-conformance) ;; @otpkit/provider-*) echo "${name#@otpkit/provider-}" ;; esac; done | tr '\n' ' ')"
export OTPKIT_VENDORS="${vendors% }"
echo "vendors: $OTPKIT_VENDORS"

cd "$work/app"
cat > package.json <<'JSON'
{ "name": "otpkit-consumer", "private": true, "type": "module" }
JSON
ts_version="$(node -p "require('$root/node_modules/typescript/package.json').version")"
types_version="$(node -p "require('$root/node_modules/@types/node/package.json').version")"
npm install --no-audit --no-fund --loglevel=error "$work"/packs/*.tgz msw tsyringe reflect-metadata undici@6 vitest@3.2 @opentelemetry/api@1.9 ioredis@6 redis@6 \
  "typescript@$ts_version" "@types/node@$types_version" >/dev/null
# Only for the delivery-receipts guide's examples below: the frameworks its snippets use.
npm install --no-audit --no-fund --loglevel=error express@5 hono@4 @hono/node-server@1 >/dev/null

# Plain ESM: every entry point loads and exposes what the docs promise.
cat > check.mjs <<'JS'
import assert from 'node:assert/strict';
const core = await import('@otpkit/core');
assert.equal(typeof core.createDispatcher, 'function');
assert.equal(typeof core.createOtpKit, 'function');
assert.equal(typeof (await import('@otpkit/core/http')).postForm, 'function');
assert.equal(typeof (await import('@otpkit/core/undici')).createUndiciFetch, 'function');
assert.equal(typeof (await import('@otpkit/core/di')).registerDispatcher, 'function');
const fake = await import('@otpkit/provider-fake');
const dispatcher = core.createDispatcher({ providers: [fake.createFakeProvider()] });
const result = await dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' });
assert.equal(result.provider, 'fake');
await dispatcher.close();
for (const vendor of process.env.OTPKIT_VENDORS.split(' ')) {
  let provider;
  try {
    provider = await import(`@otpkit/provider-${vendor}`);
  } catch (error) {
    if (error.code === 'ERR_MODULE_NOT_FOUND' && error.message.includes(`@otpkit/provider-${vendor}'`)) continue;
    throw error;
  }
  assert.ok(core.isProviderPlugin(provider[`${vendor}Plugin`]), `${vendor}Plugin`);
  assert.equal(typeof (await import(`@otpkit/provider-${vendor}/testing`)).default, 'undefined');
}
const coreTesting = await import('@otpkit/core/testing');
const served = await coreTesting.serveFetchHandler(async (request) => Response.json({ method: request.method }));
assert.deepEqual(await (await fetch(served.url, { method: 'POST', body: 'a=1' })).json(), { method: 'POST' });
await served.close();
await import('@otpkit/provider-conformance').catch((error) => {
  // The kit registers vitest suites: it may only be imported inside vitest, which it peers on.
  if (!String(error.message).includes('vitest')) throw error;
});
const verify = await import('@otpkit/verify');
assert.equal(typeof verify.createVerifier, 'function');
assert.equal(typeof verify.createMemoryStore, 'function');
assert.equal(typeof verify.verifierOptionsFromEnv, 'function');
assert.equal(typeof (await import('@otpkit/verify/di')).registerVerifier, 'function');
await import('@otpkit/verify/testing').catch((error) => {
  // Like the provider kit: it registers vitest suites, so it loads only inside vitest.
  if (!String(error.message).includes('vitest')) throw error;
});
console.log('ESM import check: ok');
JS
node check.mjs

# The verify README's example, exactly as written, against the fake provider.
cat > extract-readme.cjs <<'JS'
const fs = require('node:fs');
const text = fs.readFileSync(require.resolve('@otpkit/verify/package.json').replace('package.json', 'README.md'), 'utf8');
const block = /## Example[\s\S]*?```ts\n([\s\S]*?)```/.exec(text);
if (!block) throw new Error('no example in the verify README');
fs.writeFileSync('verify-readme.mjs', block[1]);
fs.writeFileSync('verify-readme.ts', block[1]);
JS
node extract-readme.cjs
OTPKIT_VERIFY_SECRET="$(node -p "require('crypto').randomBytes(32).toString('base64')")" node verify-readme.mjs | tee verify-readme.out
grep -q '^approved: log the user in$' verify-readme.out
echo "verify README example (packed tarballs, fake provider): ok"

# @otpkit/webhooks: every entry loads; then the delivery-receipts guide's Hono and Express examples,
# exactly as written, each a real server answering a receipt.
node --input-type=module -e "
const hooks = await import('@otpkit/webhooks');
if (typeof hooks.createWebhookHandler !== 'function' || typeof hooks.withCallbackUrl !== 'function') process.exit(1);
for (const entry of ['node', 'kaleyra', 'twilio', 'vonage', 'msg91', 'plivo', 'sinch', 'infobip', 'telnyx']) await import('@otpkit/webhooks/' + entry);
console.log('webhooks import check: ok');
"
cat > extract-receipts.cjs <<'JS'
const fs = require('node:fs');
const text = fs.readFileSync(process.argv[2], 'utf8');
for (const framework of ['hono', 'express']) {
  const block = new RegExp(`// receipts-${framework}\\.mjs\\n([\\s\\S]*?)\`\`\``).exec(text);
  if (!block) throw new Error(`no ${framework} example in the delivery-receipts guide`);
  fs.writeFileSync(`receipts-${framework}.mjs`, block[1]);
}
JS
node extract-receipts.cjs "$root/docs/guides/delivery-receipts.md"
for framework in hono express; do
  KALEYRA_CALLBACK_TOKEN="$(node -p "require('crypto').randomBytes(24).toString('hex')")" node "receipts-$framework.mjs" | tee "receipts-$framework.out"
  grep -q '^answer: 204$' "receipts-$framework.out"
done
echo "delivery-receipts guide examples, Hono and Express (packed tarballs): ok"

# Each vendor README's "Example", exactly as written, against the vendor's emulator on a real port:
# it sends, and a delivery report comes back.
cat > extract-example.cjs <<'JS'
const fs = require('node:fs');
const [readme, out] = process.argv.slice(2);
const block = /^## Example[\s\S]*?```(?:js|ts)\n([\s\S]*?)```/m.exec(fs.readFileSync(readme, 'utf8'));
if (!block) throw new Error(`no example block in ${readme}`);
fs.writeFileSync(out, block[1]);
JS
for vendor in $OTPKIT_VENDORS; do
  readme="node_modules/@otpkit/provider-$vendor/README.md"
  grep -q '^## Example' "$readme" || continue
  node extract-example.cjs "$readme" "example-$vendor.mjs"
  timeout 60 node "example-$vendor.mjs" > "example-$vendor.out"
  grep -q '^sent' "example-$vendor.out" && grep -q '^report' "example-$vendor.out" || {
    cat "example-$vendor.out"
    echo "the $vendor README example did not send and report" >&2
    exit 1
  }
done
echo "vendor README examples (packed tarballs, emulators): ok"

# @otpkit/otel with only its peer (no SDK: the API's no-op providers), and the otpkit command as npx runs it.
cat > otel-check.mjs <<'JS'
import assert from 'node:assert/strict';
import { createDispatcher } from '@otpkit/core';
import { instrument } from '@otpkit/otel';
import { createFakeProvider } from '@otpkit/provider-fake';
const dispatcher = createDispatcher({ providers: [createFakeProvider()] });
const handle = instrument(dispatcher);
assert.equal((await dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' })).provider, 'fake');
handle.uninstrument();
await dispatcher.close();
console.log('otel import and instrument (API only): ok');
JS
node otel-check.mjs
npx --no-install otpkit --help | grep -q '^Usage: otpkit <command>'
if OTPKIT_PROVIDER=kaleyra npx --no-install otpkit doctor --no-network > doctor.out; then
  echo "otpkit doctor passed a broken environment"; exit 1
fi
grep -q 'providers.kaleyra.sid (KALEYRA_SID)' doctor.out
echo "otpkit from the packed tarball (--help, doctor names the problem): ok"

# @otpkit/store-redis: loads without Redis; then the guide's "Many processes: Redis" example, exactly as
# written, as two processes (start in one, check in the other) on a redis-server started here.
node --input-type=module -e "
const { createRedisStore } = await import('@otpkit/store-redis');
try { createRedisStore({ client: {} }); process.exit(1); } catch (error) { if (error.code !== 'INVALID_CONFIG') throw error; }
console.log('store-redis import check: ok');
"
node -e "
const text = require('node:fs').readFileSync('$root/docs/guides/verification.md', 'utf8');
const block = /## Many processes: Redis[\s\S]*?\`\`\`ts\n([\s\S]*?)\`\`\`/.exec(text);
if (!block) throw new Error('no example in the guide section Many processes: Redis');
require('node:fs').writeFileSync('verify-redis.mjs', block[1]);
require('node:fs').writeFileSync('verify-redis.ts', block[1]);
"
if command -v redis-server >/dev/null 2>&1; then
  redis_port="$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")"
  mkdir -p "$work/redis"
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work/redis" --save '' --appendonly no --daemonize yes \
    --pidfile "$work/redis/redis.pid" --logfile "$work/redis/redis.log"
  trap 'kill "$(cat "$work/redis/redis.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export REDIS_URL="redis://127.0.0.1:$redis_port"
  OTPKIT_VERIFY_SECRET="$(node -p "require('crypto').randomBytes(32).toString('base64')")"
  export OTPKIT_VERIFY_SECRET
  started="$(node verify-redis.mjs start +14155550123)"
  [ "$(node verify-redis.mjs check +14155550123 "${started#code: }")" = "approved" ]
  [ "$(node verify-redis.mjs check +14155550123 "${started#code: }")" = "not_found" ]
  unset REDIS_URL OTPKIT_VERIFY_SECRET
  echo "store-redis guide example (packed tarballs, two processes, one redis-server): ok"
else
  echo "!!! store-redis guide example SKIPPED: no redis-server (apt-get install redis-server) !!!"
fi

# Strict TypeScript, skipLibCheck off: the published declarations must compile as they are.
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "noUncheckedIndexedAccess": true,
    "skipLibCheck": false,
    "noEmit": true,
    "lib": ["ES2023"],
    "types": ["node"]
  },
  "include": ["main.ts", "verify-readme.ts", "verify-redis.ts"]
}
JSON
{
  echo "import { createDispatcher, createOtpKit, configFromEnv, isOtpError, type OtpProvider } from '@otpkit/core';"
  echo "import { registerDispatcher, registerOtpKit } from '@otpkit/core/di';"
  echo "import { postForm, httpError } from '@otpkit/core/http';"
  echo "import { createUndiciFetch } from '@otpkit/core/undici';"
  echo "import { createFakeProvider, fakePlugin } from '@otpkit/provider-fake';"
  echo "import { createMemoryStore, createVerifier, refusalReason, verifierOptionsFromEnv, type VerificationStore } from '@otpkit/verify';"
  echo "import { registerVerifier } from '@otpkit/verify/di';"
  echo "import { createRedisStore } from '@otpkit/store-redis';"
  echo "import { Redis } from 'ioredis';"
  echo "import { createClient } from 'redis';"
  echo "void [createRedisStore({ client: new Redis({ lazyConnect: true }) }), createRedisStore({ client: createClient() })];"
  echo "import { createWebhookHandler } from '@otpkit/webhooks';"
  echo "import { toNodeHandler } from '@otpkit/webhooks/node';"
  echo "void [createWebhookHandler, toNodeHandler];"
  for entry in $vendors; do
    echo "import * as ${entry}Webhook from '@otpkit/webhooks/$entry';"
    echo "void ${entry}Webhook;"
  done
  for vendor in $vendors; do
    if [ -d "node_modules/@otpkit/provider-$vendor" ]; then
      echo "import * as $vendor from '@otpkit/provider-$vendor';"
      echo "void $vendor;"
    fi
  done
  cat <<'TS'
const providers: OtpProvider[] = [createFakeProvider()];
const dispatcher = createDispatcher({ providers, deadlineMs: 5000 });
dispatcher.on('sent', (event) => console.log(event.receipt.messageId));
const kit = createOtpKit(configFromEnv({ OTPKIT_PROVIDER: 'fake' }, { plugins: [fakePlugin] }), { plugins: [fakePlugin] });
void kit;
void registerDispatcher;
void registerOtpKit;
void postForm;
void httpError;
void createUndiciFetch;
void isOtpError;
const store: VerificationStore = createMemoryStore({ maxEntries: 1000 });
const verifier = createVerifier({ dispatcher, store, ...verifierOptionsFromEnv({ OTPKIT_VERIFY_SECRET: 'x'.repeat(32) }) });
verifier.on('refused', (event) => console.log(event.reason, event.retryAfterMs));
void verifier.start({ to: '+14155550123', key: '203.0.113.9' }).catch((error: unknown) => refusalReason(error));
void registerVerifier;
TS
  echo "import { instrument } from '@otpkit/otel';"
  echo "instrument(dispatcher).uninstrument();"
  echo "instrument(verifier, { prefixDigits: 4 });"
} > main.ts
npx tsc -p tsconfig.json
echo "strict TypeScript (skipLibCheck: false) on the main entries: ok"

# The /testing entries pull in msw, whose own types need the DOM library.
cat > tsconfig.testing.json <<'JSON'
{
  "extends": "./tsconfig.json",
  "compilerOptions": { "lib": ["ES2023", "DOM", "DOM.Iterable"] },
  "include": ["testing.ts"]
}
JSON
{
  echo "import { describeStoreConformance } from '@otpkit/verify/testing';"
  echo "void describeStoreConformance;"
  echo "import { describeProviderConformance } from '@otpkit/provider-conformance';"
  echo "void describeProviderConformance;"
  echo "import { serveFetchHandler, type EmulatorServer } from '@otpkit/core/testing';"
  echo "const serving: Promise<EmulatorServer> = serveFetchHandler(async () => new Response('ok'));"
  echo "void serving;"
  for vendor in $vendors; do
    if [ -d "node_modules/@otpkit/provider-$vendor" ]; then
      echo "import * as ${vendor}Testing from '@otpkit/provider-$vendor/testing';"
      echo "void ${vendor}Testing;"
    fi
  done
} > testing.ts
npx tsc -p tsconfig.testing.json
echo "strict TypeScript (skipLibCheck: false) on the testing entries: ok"
