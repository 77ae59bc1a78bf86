import { createHash } from 'node:crypto';

/**
 * The store's Lua scripts: each method of `VerificationStore` is one script, so it is one atomic step
 * and one round trip. Times are the caller's clock (`ARGV[1]`, epoch ms); every key written gets a
 * `PEXPIRE` of how long it must live by that clock, so Redis drops it when it is no longer needed.
 *
 * A verification is a hash: `n` the number of codes, `h1`..`hn` their HMACs (base64url, oldest first)
 * and `e1`..`en` their expiries, `a` wrong attempts, `s` sends, `t` the last send, `l` the end of a lock
 * (0: none), `k` when the whole entry may go, `g` how long a code answers `expired` after it expires,
 * `p` the provider of the last settled send, `r` the app's reference. One field per HMAC keeps every
 * value under 64 bytes, so Redis keeps the hash in its compact (listpack) encoding. A window is a hash:
 * `c` the count, `a` approvals, `r` its end. Nothing else is stored: never a code.
 */
export interface RedisScript {
  /** The name used in errors (the store method). */
  readonly name: string;
  readonly source: string;
  /** SHA-1 of `source`, what `EVALSHA` takes. */
  readonly sha: string;
}

/** What every script starts with. `fmt` writes a number without an exponent (`%.14g` would use one). */
const PRELUDE = `
local function fmt(x) return string.format('%.0f', x) end
local now = tonumber(ARGV[1])
`;

/** Reading and writing a whole verification, for begin and settle (check reads only what it needs). */
const WHOLE = `
local function load(key)
  local flat = redis.call('HGETALL', key)
  local f = {}
  for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end
  return f
end
local function codes(f)
  local hashes, expiries = {}, {}
  for i = 1, tonumber(f.n or '0') do
    hashes[i] = f['h' .. i]
    expiries[i] = tonumber(f['e' .. i])
  end
  return hashes, expiries
end
local function putCodes(key, before, hashes, expiries)
  local args = {'n', #hashes}
  for i = 1, #hashes do
    args[#args + 1] = 'h' .. i
    args[#args + 1] = hashes[i]
    args[#args + 1] = 'e' .. i
    args[#args + 1] = fmt(expiries[i])
  end
  redis.call('HSET', key, unpack(args))
  for i = #hashes + 1, before do redis.call('HDEL', key, 'h' .. i, 'e' .. i) end
end
`;

/**
 * begin: KEYS verification, send window; ARGV now, codeHash, ttlMs, resendAfterMs, window count (-1:
 * no window), window ms, max codes, has reference (1/0), reference.
 * Replies {0, reason (1 locked, 2 cooldown, 3 max_sends), retryAfterMs} or
 * {1, sends, resend (1/0), has provider (1/0), provider}.
 */
const BEGIN = `
local hash = ARGV[2]
local ttl = tonumber(ARGV[3])
local resendAfter = tonumber(ARGV[4])
local maxCount = tonumber(ARGV[5])
local windowMs = tonumber(ARGV[6])
local maxCodes = tonumber(ARGV[7])
local f = load(KEYS[1])
local live = f.k ~= nil and tonumber(f.k) > now
if live then
  local lockedUntil = tonumber(f.l)
  if lockedUntil > now then return {0, 1, lockedUntil - now} end
  local sentAt = tonumber(f.t)
  if now < sentAt + resendAfter then return {0, 2, sentAt + resendAfter - now} end
end
if maxCount >= 0 then
  local win = redis.call('HMGET', KEYS[2], 'c', 'r')
  if win[2] and tonumber(win[2]) > now then
    if tonumber(win[1]) >= maxCount then return {0, 3, tonumber(win[2]) - now} end
    redis.call('HINCRBY', KEYS[2], 'c', 1)
  else
    redis.call('HSET', KEYS[2], 'c', 1, 'r', fmt(now + windowMs))
    redis.call('PEXPIRE', KEYS[2], fmt(windowMs))
  end
end
local hashes, expiries = {}, {}
local before = tonumber(f.n or '0')
local attempts, sends, lockedUntil, keep, grace = 0, 0, 0, 0, ttl
local provider, reference = false, false
local resend = false
if live then
  hashes, expiries = codes(f)
  attempts = tonumber(f.a)
  sends = tonumber(f.s)
  lockedUntil = tonumber(f.l)
  keep = tonumber(f.k)
  grace = tonumber(f.g)
  provider = f.p or false
  reference = f.r or false
  for i = 1, #expiries do
    if expiries[i] > now then resend = true end
  end
else
  -- A stale entry (past its end by the caller's clock) is replaced whole.
  redis.call('DEL', KEYS[1])
  before = 0
end
local previous = false
if resend then
  previous = provider
else
  attempts = 0
  sends = 0
  provider = false
  redis.call('HDEL', KEYS[1], 'y')
end
-- A new send is in flight: receipts of the one before are no longer of the latest send.
redis.call('HDEL', KEYS[1], 'm', 'd', 'o', 'x')
while #hashes > 0 and (expiries[1] + grace <= now or #hashes >= maxCodes) do
  table.remove(hashes, 1)
  table.remove(expiries, 1)
end
hashes[#hashes + 1] = hash
expiries[#expiries + 1] = now + ttl
sends = sends + 1
if ttl > grace then grace = ttl end
if now + ttl + grace > keep then keep = now + ttl + grace end
if ARGV[8] == '1' then reference = ARGV[9] end
putCodes(KEYS[1], before, hashes, expiries)
redis.call('HSET', KEYS[1], 'a', fmt(attempts), 's', fmt(sends), 't', fmt(now), 'l', fmt(lockedUntil),
  'k', fmt(keep), 'g', fmt(grace))
if provider then redis.call('HSET', KEYS[1], 'p', provider) else redis.call('HDEL', KEYS[1], 'p') end
if reference then redis.call('HSET', KEYS[1], 'r', reference) else redis.call('HDEL', KEYS[1], 'r') end
redis.call('PEXPIRE', KEYS[1], fmt(keep - now))
if previous then return {1, sends, resend and 1 or 0, 1, previous} end
return {1, sends, resend and 1 or 0, 0}
`;

/**
 * settle: KEYS verification; ARGV now, codeHash, has provider (1/0), provider, message id, dispatch id,
 * locale (each '' when unknown). Replies 1 or 0 (nothing done). With a provider and a message id it
 * records the latest send: `m` message id, `d` dispatch id, `o` locale, and clears `x` (its delivery).
 */
const SETTLE = `
local hash = ARGV[2]
local f = load(KEYS[1])
if f.k == nil or tonumber(f.k) <= now then return 0 end
local hashes, expiries = codes(f)
local index = false
for i = 1, #hashes do
  if hashes[i] == hash then
    index = i
    break
  end
end
if not index then return 0 end
if ARGV[3] == '1' then
  redis.call('HSET', KEYS[1], 'p', ARGV[4])
  redis.call('HDEL', KEYS[1], 'm', 'd', 'o', 'x')
  if ARGV[5] ~= '' then
    redis.call('HSET', KEYS[1], 'm', ARGV[5])
    if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'd', ARGV[6]) end
    if ARGV[7] ~= '' then redis.call('HSET', KEYS[1], 'o', ARGV[7]) end
  end
  return 1
end
local before = #hashes
table.remove(hashes, index)
table.remove(expiries, index)
putCodes(KEYS[1], before, hashes, expiries)
return 1
`;

/**
 * check: KEYS verification; ARGV now, codeHash, maxAttempts, lockMs.
 * Replies {status (1 approved, 2 pending, 3 expired, 4 max_attempts_reached, 5 not_found), attemptsLeft,
 * lockedUntil (0: none), locked (1/0), reference (when there is one)}. Every stored HMAC is compared,
 * valid or not; Lua compares interned strings by identity, so the time taken says nothing of the HMACs.
 */
const CHECK = `
local given = ARGV[2]
local maxAttempts = tonumber(ARGV[3])
local lockMs = tonumber(ARGV[4])
-- The common case, one code, in one read; more codes in a second.
local f = redis.call('HMGET', KEYS[1], 'k', 'l', 'a', 'r', 'n', 'h1', 'e1')
if not f[1] or tonumber(f[1]) <= now then return {5, 0, 0, 0} end
local reference = f[4]
local function answer(status, left, lockedUntil, locked)
  if reference then return {status, left, lockedUntil, locked, reference} end
  return {status, left, lockedUntil, locked}
end
local lockedUntil = tonumber(f[2])
if lockedUntil > now then return answer(4, 0, lockedUntil, 0) end
local n = tonumber(f[5] or '0')
if n == 0 then return answer(5, 0, 0, 0) end
local hashes, expiries = {f[6]}, {tonumber(f[7])}
if n > 1 then
  local fields = {}
  for i = 2, n do
    fields[#fields + 1] = 'h' .. i
    fields[#fields + 1] = 'e' .. i
  end
  local more = redis.call('HMGET', KEYS[1], unpack(fields))
  for i = 2, n do
    hashes[i] = more[2 * i - 3]
    expiries[i] = tonumber(more[2 * i - 2])
  end
end
local matchedValid, matchedExpired, anyValid = false, false, false
for i = 1, n do
  local valid = expiries[i] > now
  if valid then anyValid = true end
  if hashes[i] == given then
    if valid then matchedValid = true else matchedExpired = true end
  end
end
local attempts = tonumber(f[3])
local left = math.max(0, maxAttempts - attempts)
if matchedValid then
  redis.call('DEL', KEYS[1])
  return answer(1, left, 0, 0)
end
if matchedExpired or not anyValid then return answer(3, left, 0, 0) end
attempts = attempts + 1
left = math.max(0, maxAttempts - attempts)
if left > 0 then
  redis.call('HSET', KEYS[1], 'a', fmt(attempts))
  return answer(2, left, 0, 0)
end
local untilMs = now + lockMs
redis.call('HSET', KEYS[1], 'a', fmt(attempts), 'l', fmt(untilMs), 'k', fmt(untilMs))
redis.call('PEXPIRE', KEYS[1], fmt(lockMs))
return answer(2, 0, untilMs, 1)
`;

/**
 * deliver: KEYS verification; ARGV now, provider, message id, status (1 delivered, 2 undelivered,
 * 3 overdue), claim the resend (1/0). Replies {0} when the message is not the latest send, else
 * {1, delivery (0 unknown, 1 delivered, 2 undelivered), resend (1/0), dispatch id, reference, locale}
 * ('' for each unknown). `x` holds the delivery, `y` that the verification had its resend. Its key
 * keeps the expiry begin gave it.
 */
const DELIVER = `
local status = tonumber(ARGV[4])
local f = redis.call('HMGET', KEYS[1], 'k', 'l', 'p', 'm', 'd', 'r', 'o', 'x', 'y', 'n')
if not f[1] or tonumber(f[1]) <= now then return {0} end
if f[3] ~= ARGV[2] or f[4] ~= ARGV[3] then return {0} end
local delivery = tonumber(f[8] or '0')
if status ~= 3 then
  delivery = status
  redis.call('HSET', KEYS[1], 'x', status)
end
local resend = 0
local failed = status == 2 or (status == 3 and delivery == 0)
if ARGV[5] == '1' and failed and not f[9] and tonumber(f[2]) <= now then
  local n = tonumber(f[10] or '0')
  for i = 1, n do
    local expiry = redis.call('HGET', KEYS[1], 'e' .. i)
    if expiry and tonumber(expiry) > now then resend = 1 end
  end
  if resend == 1 then redis.call('HSET', KEYS[1], 'y', 1) end
end
return {1, delivery, resend, f[5] or '', f[6] or '', f[7] or ''}
`;

/** cancel: KEYS verification; ARGV now. Replies 1 (deleted) or 0 (none, or locked). */
const CANCEL = `
local f = redis.call('HMGET', KEYS[1], 'k', 'l')
if not f[1] or tonumber(f[1]) <= now or tonumber(f[2]) > now then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;

/** hit: KEYS counter; ARGV now, windowMs, limit. Replies {allowed (1/0), count, resetAt}. */
const HIT = `
local windowMs = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local f = redis.call('HMGET', KEYS[1], 'c', 'r')
if not f[2] or tonumber(f[2]) <= now then
  if limit < 1 then return {0, 0, now + windowMs} end
  redis.call('HSET', KEYS[1], 'c', 1, 'a', 0, 'r', fmt(now + windowMs))
  redis.call('PEXPIRE', KEYS[1], fmt(windowMs))
  return {1, 1, now + windowMs}
end
local count = tonumber(f[1])
local resetAt = tonumber(f[2])
if count >= limit then return {0, count, resetAt} end
return {1, redis.call('HINCRBY', KEYS[1], 'c', 1), resetAt}
`;

/** tally: KEYS counter; ARGV now, windowMs, sent, approved. Replies {sent, approved, resetAt}. */
const TALLY = `
local windowMs = tonumber(ARGV[2])
local sent = tonumber(ARGV[3])
local approved = tonumber(ARGV[4])
local f = redis.call('HMGET', KEYS[1], 'c', 'a', 'r')
if not f[3] or tonumber(f[3]) <= now then
  if sent == 0 and approved == 0 then return {0, 0, now} end
  redis.call('HSET', KEYS[1], 'c', fmt(sent), 'a', fmt(approved), 'r', fmt(now + windowMs))
  redis.call('PEXPIRE', KEYS[1], fmt(windowMs))
  return {sent, approved, now + windowMs}
end
local count = tonumber(f[1]) + sent
local approvals = tonumber(f[2] or '0') + approved
if sent ~= 0 or approved ~= 0 then
  redis.call('HSET', KEYS[1], 'c', fmt(count), 'a', fmt(approvals))
end
return {count, approvals, tonumber(f[3])}
`;

function script(name: string, body: string, whole = false): RedisScript {
  const source = `-- otpkit store-redis: ${name}\n${PRELUDE}${whole ? WHOLE : ''}${body}`;
  return Object.freeze({ name, source, sha: createHash('sha1').update(source).digest('hex') });
}

/** One script per store method. */
export const SCRIPTS = Object.freeze({
  begin: script('begin', BEGIN, true),
  settle: script('settle', SETTLE, true),
  deliver: script('deliver', DELIVER),
  check: script('check', CHECK),
  cancel: script('cancel', CANCEL),
  hit: script('hit', HIT),
  tally: script('tally', TALLY),
});

export type ScriptName = keyof typeof SCRIPTS;
