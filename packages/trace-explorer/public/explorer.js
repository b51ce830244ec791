// The trace explorer's page: plain ES module, no build step. Lists traces from /api/traces and
// draws one as a waterfall from /api/traces/:id. Rows are built as one HTML string per render,
// which keeps a trace of thousands of spans to a single layout pass.

const MAX_ROWS = 5000;
const $ = (selector) => document.querySelector(selector);
const esc = (value) =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
const ms = (value) =>
  value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
// Services get distinct colours in the order the page first meets them (a hash would collide).
const palette = ['#8ab4f8', '#f6b26b', '#93d3a2', '#d5a6e6', '#f28b82', '#81d4e0', '#fdd663', '#b0bec5'];
const colours = new Map();
const colour = (service) => {
  if (!colours.has(service)) colours.set(service, palette[colours.size % palette.length]);
  return colours.get(service);
};
const shown = (value) =>
  typeof value === 'number' && !Number.isInteger(value) ? Number(value.toFixed(3)) : value;
const chip = (service) => `<span class="svc" style="background:${colour(service)}">${esc(service)}</span>`;
const isProcedure = (span) => span.attributes['rpc.system'] === 'trpc';
const kinds = ['', 'internal', 'server', 'client', 'producer', 'consumer'];

function clock(epochMs) {
  const d = new Date(epochMs);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function filterQuery() {
  const form = new FormData($('#filters'));
  const params = new URLSearchParams();
  for (const key of ['service', 'procedure', 'minMs']) {
    const value = String(form.get(key) ?? '').trim();
    if (value) params.set(key, value);
  }
  if (form.get('errors')) params.set('errors', 'true');
  return params;
}

function showStored(stored) {
  $('#stored').textContent = `${stored.traces} traces, ${stored.spans} spans stored`;
  const select = $('#filters select[name=service]');
  const chosen = select.value;
  select.innerHTML = `<option value="">all</option>${stored.services
    .map((s) => `<option${s === chosen ? ' selected' : ''}>${esc(s)}</option>`)
    .join('')}`;
}

async function showList() {
  $('#trace-view').hidden = true;
  $('#list-view').hidden = false;
  const { traces, stored } = await getJson(`/api/traces?${filterQuery()}`);
  showStored(stored);
  const longest = Math.max(1, ...traces.map((t) => t.durationMs));
  $('#traces tbody').innerHTML = traces
    .map(
      (t) => `<tr data-trace="${t.traceId}">
        <td>${clock(t.startMs)}</td>
        <td><a href="#/trace/${t.traceId}">${esc(t.procedure || '(unnamed)')}</a></td>
        <td>${t.services.map(chip).join('')}</td>
        <td class="num">${ms(t.durationMs)}<span class="durbar" style="width:${Math.round((60 * t.durationMs) / longest)}px"></span></td>
        <td class="num">${t.spanCount}</td>
        <td class="num">${t.queryCount}</td>
        <td class="num">${t.cacheHits}/${t.cacheMisses}</td>
        <td>${t.errorCount ? `<span class="err">${t.errorCount} error${t.errorCount > 1 ? 's' : ''}</span>` : ''}</td>
      </tr>`,
    )
    .join('');
  $('#empty').hidden = traces.length > 0;
}

/** Depth-first order, children by start time; spans whose parent is missing are roots. */
function ordered(spans) {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map();
  const roots = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId)) {
      if (!children.has(span.parentSpanId)) children.set(span.parentSpanId, []);
      children.get(span.parentSpanId).push(span);
    } else roots.push(span);
  }
  const rows = [];
  const stack = roots.reverse().map((span) => [span, 0]);
  while (stack.length > 0) {
    const [span, depth] = stack.pop();
    rows.push({ span, depth });
    const kids = children.get(span.spanId) ?? [];
    for (let i = kids.length - 1; i >= 0; i -= 1) stack.push([kids[i], depth + 1]);
  }
  return rows;
}

function figures(span) {
  const a = span.attributes;
  const parts = [`<b>${ms(span.durationMs)}</b>`];
  if (isProcedure(span)) {
    parts.push(
      `<span class="q" title="database queries, total ms">${a['db.query_count'] ?? 0}q ${ms(a['db.query_ms'] ?? 0)}</span>`,
    );
    const hits = a['cache.hits'] ?? 0;
    const misses = a['cache.misses'] ?? 0;
    if (hits || misses) parts.push(`<span class="c" title="cache hits/misses">${hits}/${misses}c</span>`);
  }
  return parts.join(' ');
}

function rowHtml({ span, depth }, index, start, total) {
  const left = ((span.startMs - start) / total) * 100;
  const width = (span.durationMs / total) * 100;
  const marks = span.events
    .map((event) => {
      const at = ((span.startMs - start + event.offsetMs) / total) * 100;
      const elapsed = event.attributes.elapsed_ms ?? event.offsetMs;
      return `<i class="checkpoint${at > 70 ? ' flip' : ''}" style="left:${at}%" data-label="${esc(event.name)} ${ms(elapsed)}" title="${esc(event.name)} at ${ms(elapsed)}"></i>`;
    })
    .join('');
  const kind = kinds[span.kind] ? ` <span class="kind">${kinds[span.kind]}</span>` : '';
  return `<div class="row${isProcedure(span) ? ' procedure' : ''}" data-index="${index}">
    <div class="name" style="padding-left:${6 + depth * 14}px" title="${esc(span.name)}">${chip(span.service)}<span class="label">${esc(span.name)}</span>${kind}</div>
    <div class="lane"><div class="bar${span.status === 'error' ? ' error' : ''}" style="left:${left}%;width:${width}%;background:${colour(span.service)}"></div>${marks}</div>
    <div class="figs">${figures(span)}</div>
  </div>`;
}

function axisHtml(total) {
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => `<span style="left:${f * 100}%">${ms(total * f)}</span>`)
    .join('');
  return `<div class="axis"><div class="name">span</div><div class="ticks">${ticks}</div><div class="figs">duration · queries · cache</div></div>`;
}

function table(entries) {
  if (entries.length === 0) return '<p class="muted">none</p>';
  return `<table>${entries.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(typeof v === 'object' && v !== null ? JSON.stringify(v) : shown(v))}</td></tr>`).join('')}</table>`;
}

function showDetails(span, start) {
  const checkpoints = span.events.map((event) => [
    event.name,
    [
      `+${ms(event.attributes.elapsed_ms ?? event.offsetMs)}`,
      ...Object.entries(event.attributes)
        .filter(([key]) => key !== 'elapsed_ms')
        .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`),
    ].join('  '),
  ]);
  $('#details').innerHTML = `<h2>${esc(span.name)}</h2>
    ${table([
      ['service', span.service],
      ['duration', ms(span.durationMs)],
      ['starts at', `+${ms(span.startMs - start)}`],
      ['status', span.status + (span.statusMessage ? `: ${span.statusMessage}` : '')],
      ['kind', kinds[span.kind] || 'unspecified'],
      ['span id', span.spanId],
      ['parent', span.parentSpanId ?? '(root)'],
    ])}
    <h3>Checkpoints and events</h3>${table(checkpoints)}
    <h3>Attributes</h3>${table(Object.entries(span.attributes).sort(([a], [b]) => a.localeCompare(b)))}`;
}

async function showTrace(traceId) {
  $('#list-view').hidden = true;
  $('#trace-view').hidden = false;
  $('#waterfall').innerHTML = '<p class="more">Loading…</p>';
  const { spans } = await getJson(`/api/traces/${encodeURIComponent(traceId)}`);
  const start = Math.min(...spans.map((s) => s.startMs));
  const end = Math.max(...spans.map((s) => s.startMs + s.durationMs));
  const total = Math.max(end - start, 0.001);
  const rows = ordered(spans);
  const procedures = spans.filter(isProcedure);
  const sum = (key) => procedures.reduce((n, s) => n + (s.attributes[key] ?? 0), 0);
  const errors = spans.filter((s) => s.status === 'error').length;
  const services = [...new Set(spans.map((s) => s.service))];
  $('#trace-head').innerHTML = `<a href="#/">← all traces</a>
    <h1>${esc(rows[0]?.span.name ?? traceId)}</h1>
    <span class="fig">duration <b>${ms(total)}</b></span>
    <span class="fig">spans <b>${spans.length}</b></span>
    <span class="fig">queries <b>${sum('db.query_count')}</b> (${ms(sum('db.query_ms'))})</span>
    <span class="fig">cache <b>${sum('cache.hits')}</b> hits / <b>${sum('cache.misses')}</b> misses</span>
    ${errors ? `<span class="err">${errors} error span${errors > 1 ? 's' : ''}</span>` : ''}
    <span>${services.map(chip).join('')}</span>
    <span class="muted">trace ${esc(traceId)}</span>`;
  const shown = rows.slice(0, MAX_ROWS);
  const more =
    rows.length > MAX_ROWS ? `<p class="more">${rows.length - MAX_ROWS} more spans not drawn</p>` : '';
  $('#waterfall').innerHTML =
    axisHtml(total) + shown.map((row, i) => rowHtml(row, i, start, total)).join('') + more;
  $('#waterfall').onclick = (event) => {
    const row = event.target.closest('.row');
    if (!row) return;
    $('#waterfall .row.selected')?.classList.remove('selected');
    row.classList.add('selected');
    showDetails(shown[Number(row.dataset.index)].span, start);
  };
  const firstProcedure = shown.findIndex((row) => isProcedure(row.span));
  $(`#waterfall .row[data-index="${Math.max(0, firstProcedure)}"]`)?.click();
}

async function route() {
  const match = location.hash.match(/^#\/trace\/([0-9a-fA-F]+)/);
  try {
    if (match) await showTrace(match[1]);
    else await showList();
  } catch (error) {
    $('main').insertAdjacentHTML('afterbegin', `<p class="err">${esc(error.message)}</p>`);
  }
}

$('#filters').addEventListener('submit', (event) => {
  event.preventDefault();
  if (location.hash.startsWith('#/trace/')) location.hash = '#/';
  else void route();
});
$('#traces tbody').addEventListener('click', (event) => {
  const row = event.target.closest('tr[data-trace]');
  if (row && !event.target.closest('a')) location.hash = `#/trace/${row.dataset.trace}`;
});
window.addEventListener('hashchange', route);
void route();
