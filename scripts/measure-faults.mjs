#!/usr/bin/env node
// Measures what a running `npm start` answers while a part of it is killed: three workers call
// analytics.dashboardMetrics, user-cache.getUsers and analytics.userSummary (which calls
// user-cache) in a loop, the pid listening on the part's port gets SIGKILL after 3 s, and the
// calls answered in the 10 s after are counted, with the time until the part listens again.
//   setsid npm start > /tmp/mesh-start.log 2>&1 &     # then, once "mesh is up":
//   START_LOG=/tmp/mesh-start.log node scripts/measure-faults.mjs redis|user-cache
// Figures taken with it are in docs/benchmarks.md ("Faults under `mesh up`").
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const token = readFileSync(new URL('../.mesh/token', import.meta.url), 'utf8').trim();
const [target] = process.argv.slice(2); // 'redis' | 'user-cache'
const log = readFileSync(process.env.START_LOG, 'utf8');
const redisPort = Number(log.match(/redis:\/\/127\.0\.0\.1:(\d+)/)[1]);
const calls = {
  'analytics.dashboardMetrics': 'http://127.0.0.1:4030/trpc/dashboardMetrics',
  'user-cache.getUsers': `http://127.0.0.1:4020/trpc/getUsers?input=${encodeURIComponent('{"json":{"ids":["1","2"]},"meta":{"values":{"ids.0":["bigint"],"ids.1":["bigint"]}}}')}`,
  'analytics.userSummary': `http://127.0.0.1:4030/trpc/userSummary?input=${encodeURIComponent('{"json":{"userId":"1"},"meta":{"values":{"userId":["bigint"]}}}')}`,
};
function listenerPid(port) {
  const out = execSync(`ss -ltnpH 'sport = :${port}'`).toString();
  return Number(out.match(/pid=(\d+)/)?.[1]);
}
const results = [];
let stop = false;
async function worker(name, url) {
  while (!stop) {
    const at = Date.now();
    let ok = false,
      why = '';
    try {
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(5000),
      });
      const body = await res.json();
      ok = res.status === 200;
      if (!ok) why = body.error?.json?.data?.meshCode ?? body.error?.json?.data?.code ?? String(res.status);
    } catch (e) {
      why = e.cause?.code ?? e.name;
    }
    results.push({ name, at, ms: Date.now() - at, ok, why });
    await new Promise((r) => setTimeout(r, 20));
  }
}
const workers = Object.entries(calls).map(([n, u]) => worker(n, u));
await new Promise((r) => setTimeout(r, 3000));
const port = target === 'redis' ? redisPort : 4020;
const pid = listenerPid(port);
const killedAt = Date.now();
process.kill(pid, 'SIGKILL');
let backAt;
const poll = (async () => {
  while (!backAt) {
    const now = listenerPid(port);
    if (now && now !== pid) {
      if (target === 'redis') backAt = Date.now();
      else {
        const r = await fetch('http://127.0.0.1:4020/readyz').catch(() => undefined);
        if (r?.status === 200 || r?.status === 503) backAt = Date.now();
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
})();
await new Promise((r) => setTimeout(r, 10_000));
stop = true;
await Promise.all(workers);
await poll;
const window = results.filter((r) => r.at >= killedAt && r.at < killedAt + 10_000);
console.log(
  `${target}: killed pid ${pid}; back (listening${target === 'redis' ? '' : ', /readyz answering'}) after ${backAt - killedAt} ms`,
);
for (const name of Object.keys(calls)) {
  const mine = window.filter((r) => r.name === name);
  const ok = mine.filter((r) => r.ok).length;
  const fails = {};
  for (const r of mine.filter((x) => !x.ok)) fails[r.why] = (fails[r.why] ?? 0) + 1;
  const maxFailMs = Math.max(0, ...mine.filter((r) => !r.ok).map((r) => r.ms));
  console.log(
    `  ${name}: ${ok}/${mine.length} answered (${((100 * ok) / mine.length).toFixed(1)} %), failures ${JSON.stringify(fails)}, slowest failure ${maxFailMs} ms`,
  );
}
const all = window.length,
  allOk = window.filter((r) => r.ok).length;
console.log(`  all: ${allOk}/${all} (${((100 * allOk) / all).toFixed(1)} %)`);
