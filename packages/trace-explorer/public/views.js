// The explorer's other views: logs, the service map, procedures and a comparison of two traces.
import { $, badge, chip, clock, colour, esc, findingNames, getJson, ms, serviceOptions } from './common.js';

const pct = (ratio) => `${(ratio * 100).toFixed(ratio > 0 && ratio < 0.01 ? 2 : 0)}%`;

// ---- logs ----

function logQuery(params) {
  const form = new FormData($('#log-filters'));
  const query = new URLSearchParams();
  for (const key of ['level', 'service', 'q']) {
    const value = String(form.get(key) ?? '').trim();
    if (value) query.set(key, value);
  }
  for (const key of ['from', 'to']) {
    const value = String(form.get(key) ?? '');
    if (value) query.set(key, String(new Date(value).getTime()));
  }
  for (const key of ['traceId', 'spanId']) if (params.get(key)) query.set(key, params.get(key));
  query.set('limit', '500');
  return query;
}

export async function showLogs(params) {
  const { logs, matched, stored } = await getJson(`/api/logs?${logQuery(params)}`);
  serviceOptions($('#log-filters select[name=service]'), stored.services);
  const scope = params.get('traceId')
    ? ` in trace ${esc(params.get('traceId').slice(0, 12))}… <a href="#/logs">all logs</a>`
    : '';
  $('#stored').innerHTML = `${matched} of ${stored.logs} log lines${scope}`;
  $('#logs tbody').innerHTML = logs
    .map(
      (log) => `<tr class="log ${esc(log.level)}">
        <td>${clock(log.timeMs)}</td><td><span class="lvl">${esc(log.level)}</span></td><td>${chip(log.service)}</td>
        <td class="msg" title="${esc(JSON.stringify(log.attributes))}">${esc(log.message)} <span class="muted">${esc(fields(log.attributes))}</span></td>
        <td>${log.traceId ? `<a href="#/trace/${esc(log.traceId)}">${esc(log.traceId.slice(0, 8))}…</a>` : ''}</td>
      </tr>`,
    )
    .join('');
  $('#logs-empty').hidden = logs.length > 0;
}

const fields = (attributes) =>
  Object.entries(attributes)
    .filter(([key]) => !['trace_id', 'span_id', 'service', 'name', 'pid', 'hostname'].includes(key))
    .slice(0, 6)
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`)
    .join(' ');

// ---- service map ----

/** Columns by longest call path from a service nothing calls; rows in each column by name. */
function layout(nodes, edges) {
  const depth = new Map(nodes.map((n) => [n.service, 0]));
  for (let pass = 0; pass < nodes.length; pass += 1) {
    for (const edge of edges) {
      const next = Math.min(nodes.length, (depth.get(edge.from) ?? 0) + 1);
      if (next > (depth.get(edge.to) ?? 0) && edge.from !== edge.to) depth.set(edge.to, next);
    }
  }
  const columns = new Map();
  for (const node of nodes) {
    const d = depth.get(node.service);
    if (!columns.has(d)) columns.set(d, []);
    columns.get(d).push(node);
  }
  const place = new Map();
  const order = [...columns.keys()].sort((a, b) => a - b);
  order.forEach((d, x) => {
    for (const [y, node] of columns.get(d).entries()) {
      place.set(node.service, { x: 30 + x * 440, y: 30 + y * 130 + (x % 2) * 40 });
    }
  });
  const rows = Math.max(1, ...[...columns.values()].map((c) => c.length));
  return { place, width: order.length * 440 - 200, height: 100 + rows * 130 };
}

const W = 180;
const H = 58;

export async function showMap() {
  const map = await getJson('/api/service-map');
  const { place, width, height } = layout(map.nodes, map.edges);
  const edges = map.edges
    .map((edge) => {
      const a = place.get(edge.from);
      const b = place.get(edge.to);
      const x1 = a.x + W;
      const y1 = a.y + H / 2;
      const x2 = b.x;
      const y2 = b.y + H / 2;
      const back = x2 <= x1;
      const path = back
        ? `M${a.x + W / 2},${a.y + H} C${a.x + W / 2},${a.y + H + 60} ${b.x + W / 2},${b.y + H + 60} ${b.x + W / 2},${b.y + H}`
        : `M${x1},${y1} C${x1 + 80},${y1} ${x2 - 80},${y2} ${x2},${y2}`;
      const failing = edge.errorRate > 0;
      const stroke = Math.min(8, 1.5 + Math.log2(1 + edge.rate));
      // Labels sit nearer the callee, so two edges leaving one service do not share a spot.
      const lx = back ? (a.x + b.x + W) / 2 : x1 + (x2 - x1) * 0.62;
      const ly = back ? Math.max(a.y, b.y) + H + 48 : y1 + (y2 - y1) * 0.62 - 10;
      return `<g class="edge${failing ? ' failing' : ''}">
        <path d="${path}" stroke-width="${stroke}" marker-end="url(#arrow${failing ? '-bad' : ''})"/>
        <text x="${lx}" y="${ly}" text-anchor="middle">${edge.rate.toFixed(edge.rate < 10 ? 2 : 0)}/s · p50 ${ms(edge.p50Ms)} · p99 ${ms(edge.p99Ms)}</text>
        <text x="${lx}" y="${ly + 14}" text-anchor="middle" class="${failing ? 'bad' : 'ok'}">${edge.calls} call${edge.calls === 1 ? '' : 's'} · ${pct(edge.errorRate)} errors</text>
      </g>`;
    })
    .join('');
  const nodes = map.nodes
    .map((node) => {
      const p = place.get(node.service);
      return `<g class="node${node.errors ? ' failing' : ''}" transform="translate(${p.x},${p.y})">
        <rect width="${W}" height="${H}" rx="8" style="fill:${colour(node.service)}"/>
        <text x="${W / 2}" y="24" text-anchor="middle" class="name">${esc(node.service)}</text>
        <text x="${W / 2}" y="44" text-anchor="middle">${node.calls} calls${node.errors ? ` · ${node.errors} errors` : ''}</text>
      </g>`;
    })
    .join('');
  const rows = map.edges
    .map(
      (
        e,
      ) => `<tr><td>${chip(e.from)} → ${chip(e.to)}</td><td class="num">${e.calls}</td><td class="num">${e.rate.toFixed(2)}/s</td>
        <td class="num${e.errorRate > 0 ? ' err' : ''}">${pct(e.errorRate)}</td><td class="num">${ms(e.p50Ms)}</td><td class="num">${ms(e.p99Ms)}</td></tr>`,
    )
    .join('');
  $('#map-view').innerHTML =
    `<h2>Service map <span class="muted">over the stored window, ${map.window.seconds.toFixed(0)} s</span></h2>
    <svg id="service-map" viewBox="0 0 ${width} ${height + 40}" width="${width}" height="${height + 40}">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="12" markerHeight="12" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#5b6675"/></marker>
        <marker id="arrow-bad" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="12" markerHeight="12" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#c62828"/></marker>
      </defs>${edges}${nodes}</svg>
    <table class="edges"><thead><tr><th>call</th><th class="num">calls</th><th class="num">rate</th><th class="num">errors</th><th class="num">p50</th><th class="num">p99</th></tr></thead><tbody>${rows}</tbody></table>`;
  $('#stored').textContent = `${map.nodes.length} services, ${map.edges.length} edges`;
}

// ---- procedures ----

export async function showProcedures() {
  const { procedures } = await getJson('/api/procedures');
  $('#procedures-view').innerHTML =
    `<h2>Procedures</h2><table><thead><tr><th>procedure</th><th class="num">calls</th><th class="num">p50</th><th class="num">p99</th><th class="num">errors</th><th>findings</th></tr></thead><tbody>${procedures
      .map(
        (
          p,
        ) => `<tr><td>${chip(p.service)}<a href="#/procedure/${encodeURIComponent(p.procedure)}">${esc(p.procedure)}</a></td>
      <td class="num">${p.calls}</td><td class="num">${ms(p.p50Ms)}</td><td class="num">${ms(p.p99Ms)}</td>
      <td class="num${p.errors ? ' err' : ''}">${p.errors}</td><td>${p.findings ? `<span class="badge any">${p.findings} trace${p.findings > 1 ? 's' : ''} with findings</span>` : ''}</td></tr>`,
      )
      .join('')}</tbody></table>`;
  $('#stored').textContent = `${procedures.length} procedures`;
}

function histogramSvg(buckets) {
  const most = Math.max(1, ...buckets.map((b) => b.count));
  const bw = 52;
  const bars = buckets
    .map((b, i) => {
      const h = Math.round((b.count / most) * 120);
      return `<g transform="translate(${i * bw},0)"><rect x="4" y="${140 - h}" width="${bw - 8}" height="${h}"/>
        <text x="${bw / 2}" y="${134 - h}" text-anchor="middle">${b.count || ''}</text>
        <text x="${bw / 2}" y="156" text-anchor="middle" class="muted">${b.le === null ? '>5 s' : `≤${b.le >= 1000 ? `${b.le / 1000} s` : `${b.le} ms`}`}</text></g>`;
    })
    .join('');
  return `<svg class="histogram" viewBox="0 0 ${buckets.length * bw} 162" width="${buckets.length * bw}" height="162">${bars}</svg>`;
}

export async function showProcedure(name) {
  const p = await getJson(`/api/procedures/${encodeURIComponent(name)}`);
  const hit = p.cache.hitRatio === null ? '–' : pct(p.cache.hitRatio);
  const findings = p.findings.length
    ? p.findings
        .map(
          (f) =>
            `<div class="finding ${esc(f.kind.replace('+', 'p'))}"><span class="kind">${esc(findingNames[f.kind]?.[0] ?? f.kind)}</span> <span class="what">${esc(f.label)}</span> <span class="why">in ${f.traces} trace${f.traces > 1 ? 's' : ''}</span> <a href="#/trace/${esc(f.traceId)}">open the latest</a></div>`,
        )
        .join('')
    : '<div class="no-findings">✓ No findings in its stored traces.</div>';
  $('#procedure-view').innerHTML = `<a href="#/procedures">← procedures</a>
    <h2>${chip(p.service)} ${esc(p.procedure)}</h2>
    <div class="cards">
      <div class="card"><span>calls</span><b>${p.calls}</b></div>
      <div class="card"><span>p50</span><b>${ms(p.latency.p50)}</b></div>
      <div class="card"><span>p90</span><b>${ms(p.latency.p90)}</b></div>
      <div class="card"><span>p99</span><b>${ms(p.latency.p99)}</b></div>
      <div class="card"><span>queries per call</span><b>${p.queriesPerCall.mean.toFixed(1)}</b><small>max ${p.queriesPerCall.max}</small></div>
      <div class="card"><span>cache hit ratio</span><b>${hit}</b><small>${p.cache.hits} hits / ${p.cache.misses} misses</small></div>
      <div class="card${p.errors ? ' bad' : ''}"><span>errors</span><b>${p.errors}</b></div>
    </div>
    <h3>Latency</h3>${histogramSvg(p.histogram)}
    <h3>Findings</h3>${findings}
    <h3>Slowest</h3><table><thead><tr><th>started</th><th class="num">duration</th><th>status</th><th>trace</th></tr></thead><tbody>${p.slowest
      .map(
        (s) =>
          `<tr><td>${clock(s.startMs)}</td><td class="num">${ms(s.durationMs)}</td><td class="${s.status === 'error' ? 'err' : ''}">${s.status}</td><td><a href="#/trace/${esc(s.traceId)}">${esc(s.traceId)}</a></td></tr>`,
      )
      .join('')}</tbody></table>`;
  $('#stored').textContent = '';
}

// ---- compare ----

const cell = (t) =>
  t
    ? `${t.count}× ${ms(t.totalMs)}${t.queries ? ` · ${t.queries}q` : ''}${t.cacheHits || t.cacheMisses ? ` · ${t.cacheHits}/${t.cacheMisses}c` : ''}`
    : '<span class="muted">—</span>';
const signed = (value, unit = '') =>
  `${value > 0 ? '+' : value < 0 ? '−' : ''}${unit === 'ms' ? ms(Math.abs(value)) : Math.abs(value)}`;

export async function showCompare(a, b) {
  const c = await getJson(`/api/compare?a=${a}&b=${b}`);
  const head = (
    s,
    label,
  ) => `<div class="side"><span class="muted">${label}</span> <a href="#/trace/${esc(s.traceId)}">${esc(s.procedure || s.traceId)}</a>
    <b>${ms(s.durationMs)}</b> · ${s.spanCount} spans · ${s.queryCount} queries · cache ${s.cacheHits}/${s.cacheMisses} ${s.findings.map(badge).join('')}</div>`;
  const delta = (value, unit) =>
    `<b class="${value > 0 ? 'worse' : value < 0 ? 'better' : ''}">${signed(value, unit)}</b>`;
  $('#compare-view').innerHTML = `<a href="#/">← all traces</a><h2>Compare</h2>
    <div class="compare-head">${head(c.a, 'A')}${head(c.b, 'B')}</div>
    <div class="cards">
      <div class="card"><span>time B − A</span>${delta(c.delta.durationMs, 'ms')}</div>
      <div class="card"><span>spans</span>${delta(c.delta.spans)}</div>
      <div class="card"><span>queries</span>${delta(c.delta.queries)}</div>
      <div class="card"><span>cache hits</span>${delta(c.delta.cacheHits)}</div>
      <div class="card"><span>cache misses</span>${delta(c.delta.cacheMisses)}</div>
    </div>
    <table class="compare"><thead><tr><th>span (matched by name)</th><th>A</th><th>B</th><th class="num">time B − A</th></tr></thead><tbody>${c.rows
      .map(
        (
          r,
        ) => `<tr class="${!r.a ? 'only-b' : !r.b ? 'only-a' : ''}"><td>${chip(r.service)}${esc(r.name)}</td><td>${cell(r.a)}</td><td>${cell(r.b)}</td>
        <td class="num ${r.deltaMs > 0.5 ? 'worse' : r.deltaMs < -0.5 ? 'better' : ''}">${signed(r.deltaMs, 'ms')}</td></tr>`,
      )
      .join('')}</tbody></table>`;
  $('#stored').textContent = '';
}
