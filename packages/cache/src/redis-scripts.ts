/**
 * The cache's Lua scripts. Each touches keys of one namespace only (one hash slot on a
 * cluster), so each runs atomically on the node that owns the namespace.
 */

/**
 * KEYS: key, namespace epoch, load lock. ARGV: lock token, lock TTL ms (0: no lock), '1' to
 * lock even over a value (a stale value's refresh). Returns { raw or '', epoch, 1 if the
 * lock was taken }. A miss takes the lock in the same round trip as the read; a hit costs
 * no more than a GET.
 */
export const READ_OR_LOCK = `
local raw = redis.call('GET', KEYS[1])
local epoch = redis.call('GET', KEYS[2]) or '0'
local locked = 0
if tonumber(ARGV[2]) > 0 and (ARGV[3] == '1' or (not raw) or string.sub(raw, 1, 1) == 'T') then
  if redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then locked = 1 end
end
return { raw or '', epoch, locked }
`;

/**
 * KEYS: namespace epoch, then the keys to write. ARGV: guarded ('1' or '0'), the epoch read,
 * the namespace's tag-set head, then per key: seen mark, raw entry, TTL ms, tags (comma-joined).
 * A guarded write-back is dropped when the epoch moved (the namespace was invalidated since
 * the read), and per key when the entry there is no longer the one read.
 */
export const WRITE = `
local guarded = ARGV[1] == '1'
if guarded and (redis.call('GET', KEYS[1]) or '0') ~= ARGV[2] then return 0 end
local written = 0
for i = 2, #KEYS do
  local a = 4 + (i - 2) * 4
  local seen, raw, ttl, tags = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local ok = true
  if guarded then
    local cur = redis.call('GET', KEYS[i])
    if seen == '' then ok = not cur else ok = cur and string.sub(cur, 1, #seen) == seen end
  end
  if ok then
    redis.call('SET', KEYS[i], raw, 'PX', ttl)
    written = written + 1
    for tag in string.gmatch(tags, '[^,]+') do
      local set = ARGV[3] .. tag
      redis.call('SADD', set, KEYS[i])
      redis.call('PEXPIRE', set, ttl, 'NX')
      redis.call('PEXPIRE', set, ttl, 'GT')
    end
  end
end
return written
`;

/** KEYS: lock. ARGV: token. Deletes the lock only if this holder still owns it. */
export const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** KEYS: namespace epoch. ARGV: its TTL ms. Moves the epoch, so loads in flight are not written back. */
export const BUMP_EPOCH = `
local epoch = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return epoch
`;

/** KEYS: window counters. ARGV: window ms. Returns each count after adding one. */
export const HIT_WINDOWS = `
local counts = {}
for i = 1, #KEYS do
  local n = redis.call('INCR', KEYS[i])
  if n == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
  counts[i] = n
end
return counts
`;
