/**
 * The cache's Lua scripts. Each touches keys of one namespace only (one hash slot on a
 * cluster), so each runs atomically on the node that owns the namespace.
 */

/**
 * Gives some buckets of a namespace new tokens in its version string (KEYS[vkey]): ARGV
 * from `first` to `last` are (offset, token) pairs. Only a string of the right length is
 * rewritten (a namespace with none validates nothing); a malformed one is removed (null
 * again: unknown). Part of the scripts below, so it happens in their atomic step.
 */
const MOVE_VERSIONS = `
local function move_versions(vkey, length, ttl, first, last)
  local have = redis.call('STRLEN', vkey)
  if have == tonumber(length) then
    for j = first, last, 2 do redis.call('SETRANGE', vkey, ARGV[j], ARGV[j + 1]) end
    redis.call('PEXPIRE', vkey, ttl)
  elseif have > 0 then
    redis.call('DEL', vkey)
  end
end
`;

/**
 * KEYS: key, namespace epoch, load lock, the namespace's version string. ARGV: lock token,
 * lock TTL ms (0: no lock), '1' to lock even over a value (a stale value's refresh), a new
 * version string to set if there is none ('': leave it), its TTL ms. Returns { raw or '',
 * epoch, 1 if the lock was taken, versions or '' }. A miss takes the lock in the same round
 * trip as the read; a hit costs no more than a GET. Versions set here are one snapshot with
 * the value read beside them (one script), so an L1 may keep that value under them.
 */
export const READ_OR_LOCK = `
local raw = redis.call('GET', KEYS[1])
local epoch = redis.call('GET', KEYS[2]) or '0'
local versions = redis.call('GET', KEYS[4])
if (not versions) and ARGV[4] ~= '' then
  redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[5])
  versions = ARGV[4]
end
local locked = 0
if tonumber(ARGV[2]) > 0 and (ARGV[3] == '1' or (not raw) or string.sub(raw, 1, 1) == 'T') then
  if redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then locked = 1 end
end
return { raw or '', epoch, locked, versions or '' }
`;

/**
 * KEYS: namespace epoch, the keys to write, then (write-through only) the namespace's version
 * string. ARGV: guarded ('1' or '0'), the epoch read, the namespace's tag-set head, the
 * number of keys, the versions' TTL ms, the version string's length, then per key: seen
 * mark, raw entry, TTL ms, tags (comma-joined), then (offset, token) per bucket to move.
 *
 * A guarded write-back is dropped when the epoch moved (the namespace was invalidated since
 * the read), and per key when the entry there is no longer the one read. It leaves the
 * versions alone: it stores what the database held after a read that saw the entry it
 * replaces, and any change to the database since is followed by an invalidation, which
 * moves the version; so it changes no answer an L1 entry of the bucket may give.
 * A write-through replaces what every reader may hold, so the same step gives its keys'
 * buckets new tokens.
 */
export const WRITE = `${MOVE_VERSIONS}
local guarded = ARGV[1] == '1'
if guarded and (redis.call('GET', KEYS[1]) or '0') ~= ARGV[2] then return 0 end
local n = tonumber(ARGV[4])
local written = 0
for i = 2, n + 1 do
  local a = 7 + (i - 2) * 4
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
if #KEYS > n + 1 then move_versions(KEYS[n + 2], ARGV[6], ARGV[5], 7 + n * 4, #ARGV) end
return written
`;

/**
 * KEYS: the keys to invalidate, then the namespace's version string. ARGV: the number of
 * keys, the tombstones' TTL ms, the versions' TTL ms, the version string's length, a
 * tombstone per key, then (offset, token) per bucket to move. One step: no reader sees the
 * new version beside the old value (it would keep that value in its L1 under the new
 * version), nor the reverse.
 */
export const TOMBSTONE = `${MOVE_VERSIONS}
local n = tonumber(ARGV[1])
for i = 1, n do redis.call('SET', KEYS[i], ARGV[4 + i], 'PX', ARGV[2]) end
move_versions(KEYS[n + 1], ARGV[4], ARGV[3], 5 + n, #ARGV)
return n
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
