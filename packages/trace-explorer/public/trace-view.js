// One trace: what is wrong with it (findings) above a waterfall whose repeated groups are folded
// into one row each ("SELECT … FROM users WHERE id = $1 × 100"), and a clicked span's logs.
import { $, chip, clock, colour, esc, findingNames, getJson, isProcedure, ms } from './common.js';

const MAX_ROWS = 5000;
const kinds = ['', 'internal', 'server', 'client', 'producer', 'consumer'];
const FOLDED = new Set(['n+1-query', 'n+1-call']);
const shown = (value) =>
  typeof value === 'number' && !Number.isInteger(value) ? Number(value.toFixed(3)) : value;

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

/** Marks each row with the folded group it belongs to (a repeated span or anything under one). */
function assignGroups(rows, findings) {
  const headOf = new Map();
  findings.forEach((finding, g) => {
    if (FOLDED.has(finding.kind)) for (const id of finding.spanIds) if (!headOf.has(id)) headOf.set(id, g);
  });
  let inside = null;
  for (const row of rows) {
    if (headOf.has(row.span.spanId)) inside = { group: headOf.get(row.span.spanId), depth: row.depth };
    else if (inside && row.depth <= inside.depth) inside = null;
    row.group = inside ? inside.group : undefined;
  }
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

function rowHtml({ span, depth, group }, index, start, total) {
  const left = ((span.startMs - start) / total) * 100;
  const width = (span.durationMs / total) * 100;
  const marks = span.events
    .filter((event) => event.name !== 'cache.miss')
    .map((event) => {
      const at = ((span.startMs - start + event.offsetMs) / total) * 100;
      const elapsed = event.attributes.elapsed_ms ?? event.offsetMs;
      return `<i class="checkpoint${at > 70 ? ' flip' : ''}" style="left:${at}%" data-label="${esc(event.name)} ${ms(elapsed)}" title="${esc(event.name)} at ${ms(elapsed)}"></i>`;
    })
    .join('');
  const kind = kinds[span.kind] ? ` <span class="kind">${kinds[span.kind]}</span>` : '';
  const folded = group === undefined ? '' : ` data-group="${group}" hidden`;
  return `<div class="row${isProcedure(span) ? ' procedure' : ''}${group === undefined ? '' : ' in-group'}"${folded} data-index="${index}">
    <div class="name" style="padding-left:${6 + depth * 14}px" title="${esc(span.name)}">${chip(span.service)}<span class="label">${esc(span.name)}</span>${kind}</div>
    <div class="lane"><div class="bar${span.status === 'error' ? ' error' : ''}" style="left:${left}%;width:${width}%;background:${colour(span.service)}"></div>${marks}</div>
    <div class="figs">${figures(span)}</div>
  </div>`;
}

function groupHtml(finding, g, depth, members, start, total) {
  const first = Math.min(...members.map((s) => s.startMs));
  const last = Math.max(...members.map((s) => s.startMs + s.durationMs));
  const ticks = members
    .slice(0, 400)
    .map((s) => `<i class="tick" style="left:${((s.startMs - start) / total) * 100}%"></i>`)
    .join('');
  return `<div class="row group" data-group-head="${g}" title="Click to expand the ${finding.count} repeated spans">
    <div class="name" style="padding-left:${6 + depth * 14}px"><span class="fold">▸</span><span class="flag">${esc(findingNames[finding.kind]?.[0] ?? finding.kind)}</span> <span class="label">${esc(finding.label)}</span></div>
    <div class="lane"><div class="bar repeat" style="left:${((first - start) / total) * 100}%;width:${((last - first) / total) * 100}%"></div>${ticks}</div>
    <div class="figs"><b>×${finding.count}</b> ${ms(finding.totalMs)}</div>
  </div>`;
}

function table(entries) {
  if (entries.length === 0) return '<p class="muted">none</p>';
  return `<table>${entries.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(typeof v === 'object' && v !== null ? JSON.stringify(v) : shown(v))}</td></tr>`).join('')}</table>`;
}

const logLine = (log) =>
  `<li class="log ${esc(log.level)}"><span class="t">${clock(log.timeMs)}</span> <span class="lvl">${esc(log.level)}</span> ${esc(log.message)}</li>`;

async function showDetails(span, start) {
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
    <h3>Logs</h3><ul id="span-logs" class="span-logs"><li class="muted">loading…</li></ul>
    <h3>Checkpoints and events</h3>${table(checkpoints)}
    <h3>Attributes</h3>${table(Object.entries(span.attributes).sort(([a], [b]) => a.localeCompare(b)))}`;
  const { logs } = await getJson(`/api/logs?traceId=${span.traceId}&spanId=${span.spanId}&limit=100`);
  const list = $('#span-logs');
  if (list)
    list.innerHTML = logs.length ? logs.reverse().map(logLine).join('') : '<li class="muted">none</li>';
}

function findingsHtml(findings, spansById) {
  if (findings.length === 0)
    return '<div class="no-findings">✓ No findings: no repeated statements or calls, no miss storm, nothing before an answer.</div>';
  return findings
    .map((finding, g) => {
      const [name, why] = findingNames[finding.kind] ?? [finding.kind, ''];
      const under = spansById.get(finding.spanId);
      return `<div class="finding ${esc(finding.kind.replace('+', 'p'))}" data-finding="${g}">
        <span class="kind">${esc(name)} ×${finding.count}</span>
        <span class="what">${esc(finding.label)}</span>
        <span class="why">${esc(why)}${under ? ` · under <a href="#" data-span="${esc(finding.spanId)}">${esc(under.name)}</a>` : ''}</span>
      </div>`;
    })
    .join('');
}

export async function showTrace(traceId) {
  $('#waterfall').innerHTML = '<p class="more">Loading…</p>';
  const { spans, findings } = await getJson(`/api/traces/${encodeURIComponent(traceId)}`);
  const start = Math.min(...spans.map((s) => s.startMs));
  const end = Math.max(...spans.map((s) => s.startMs + s.durationMs));
  const total = Math.max(end - start, 0.001);
  const rows = ordered(spans);
  assignGroups(rows, findings);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const procedures = spans.filter(isProcedure);
  const sum = (key) => procedures.reduce((n, s) => n + (s.attributes[key] ?? 0), 0);
  const errors = spans.filter((s) => s.status === 'error').length;
  const services = [...new Set(spans.map((s) => s.service))];
  $('#trace-head').innerHTML = `<a href="#/">← all traces</a>
    <h1>${esc(procedures[0]?.name ?? rows[0]?.span.name ?? traceId)}</h1>
    <span class="fig">duration <b>${ms(total)}</b></span>
    <span class="fig">spans <b>${spans.length}</b></span>
    <span class="fig">queries <b>${sum('db.query_count')}</b> (${ms(sum('db.query_ms'))})</span>
    <span class="fig">cache <b>${sum('cache.hits')}</b> hits / <b>${sum('cache.misses')}</b> misses</span>
    ${errors ? `<span class="err">${errors} error span${errors > 1 ? 's' : ''}</span>` : ''}
    <span>${services.map(chip).join('')}</span>
    <a href="#/logs?traceId=${esc(traceId)}">logs of this trace</a>
    <span class="muted">trace ${esc(traceId)}</span>`;
  $('#findings').innerHTML = findingsHtml(findings, byId);
  const drawn = rows.slice(0, MAX_ROWS);
  const headsDone = new Set();
  const html = [axisHtml(total)];
  drawn.forEach((row, i) => {
    if (row.group !== undefined && !headsDone.has(row.group)) {
      headsDone.add(row.group);
      const finding = findings[row.group];
      const members = finding.spanIds.map((id) => byId.get(id)).filter(Boolean);
      html.push(groupHtml(finding, row.group, row.depth, members, start, total));
    }
    html.push(rowHtml(row, i, start, total));
  });
  if (rows.length > MAX_ROWS) html.push(`<p class="more">${rows.length - MAX_ROWS} more spans not drawn</p>`);
  $('#waterfall').innerHTML = html.join('');
  const select = (row) => {
    $('#waterfall .row.selected')?.classList.remove('selected');
    row.classList.add('selected');
    void showDetails(drawn[Number(row.dataset.index)].span, start);
  };
  $('#waterfall').onclick = (event) => {
    const head = event.target.closest('.row.group');
    if (head) {
      const open = head.classList.toggle('open');
      head.querySelector('.fold').textContent = open ? '▾' : '▸';
      for (const member of document.querySelectorAll(
        `#waterfall .row[data-group="${head.dataset.groupHead}"]`,
      ))
        member.hidden = !open;
      return;
    }
    const row = event.target.closest('.row[data-index]');
    if (row) select(row);
  };
  $('#findings').onclick = (event) => {
    const link = event.target.closest('a[data-span]');
    if (!link) return;
    event.preventDefault();
    const index = drawn.findIndex((row) => row.span.spanId === link.dataset.span);
    const row = $(`#waterfall .row[data-index="${index}"]`);
    if (row && !row.hidden) select(row);
  };
  const firstProcedure = drawn.findIndex((row) => isProcedure(row.span) && row.group === undefined);
  const first = $(`#waterfall .row[data-index="${Math.max(0, firstProcedure)}"]`);
  if (first) select(first);
}

function axisHtml(total) {
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => `<span style="left:${f * 100}%">${ms(total * f)}</span>`)
    .join('');
  return `<div class="axis"><div class="name">span</div><div class="ticks">${ticks}</div><div class="figs">duration · queries · cache</div></div>`;
}
