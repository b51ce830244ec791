// The trace explorer's page: plain ES modules, no build step. Hash routes pick the view; the
// trace list follows new traces live over /api/live (Server-Sent Events) until paused. What the
// page holds stays bounded: at most MAX_ROWS list rows, one trace, one page of logs.
import { $, badge, chip, clock, esc, getJson, ms, serviceOptions, show } from './common.js';
import { showTrace } from './trace-view.js';
import { showCompare, showLogs, showMap, showProcedure, showProcedures } from './views.js';

const MAX_ROWS = 200;
let rows = new Map();
let live = true;
let missed = 0;
const picked = new Set();

function filterQuery() {
  const form = new FormData($('#filters'));
  const params = new URLSearchParams();
  for (const key of ['service', 'procedure', 'minMs', 'maxMs', 'finding', 'attr', 'traceId']) {
    const value = String(form.get(key) ?? '').trim();
    if (value) params.set(key, value);
  }
  const window = Number(form.get('window'));
  if (window) params.set('from', String(Date.now() - window * 60_000));
  if (form.get('errors')) params.set('errors', 'true');
  params.set('limit', String(MAX_ROWS));
  return params;
}

const filtered = () => [...filterQuery().keys()].some((key) => key !== 'limit');

function rowHtml(t, fresh) {
  const flagged = t.findings.length > 0;
  return `<tr data-trace="${t.traceId}" class="${flagged ? 'flagged' : ''}${fresh ? ' new' : ''}">
    <td><input type="checkbox" data-pick="${t.traceId}"${picked.has(t.traceId) ? ' checked' : ''} title="compare"></td>
    <td>${clock(t.startMs)}</td>
    <td><a href="#/trace/${t.traceId}">${esc(t.procedure || '(unnamed)')}</a></td>
    <td>${t.findings.map(badge).join('')}</td>
    <td>${t.services.map(chip).join('')}</td>
    <td class="num">${ms(t.durationMs)}<span class="durbar" style="width:${Math.min(60, Math.round(Math.log10(1 + t.durationMs) * 20))}px"></span></td>
    <td class="num">${t.spanCount}</td>
    <td class="num">${t.queryCount}</td>
    <td class="num">${t.cacheHits}/${t.cacheMisses}</td>
    <td>${t.errorCount ? `<span class="err">${t.errorCount} error${t.errorCount > 1 ? 's' : ''}</span>` : ''}</td>
  </tr>`;
}

function render(fresh = new Set()) {
  const list = [...rows.values()].sort((a, b) => b.startMs - a.startMs).slice(0, MAX_ROWS);
  rows = new Map(list.map((t) => [t.traceId, t]));
  $('#traces tbody').innerHTML = list.map((t) => rowHtml(t, fresh.has(t.traceId))).join('');
  $('#empty').hidden = list.length > 0;
}

function showStored(stored) {
  $('#stored').textContent = `${stored.traces} traces, ${stored.spans} spans stored`;
  serviceOptions($('#filters select[name=service]'), stored.services);
}

async function showList() {
  const { traces, stored } = await getJson(`/api/traces?${filterQuery()}`);
  showStored(stored);
  rows = new Map(traces.map((t) => [t.traceId, t]));
  render();
}

function liveLabel() {
  const button = $('#live');
  button.setAttribute('aria-pressed', String(live));
  button.textContent = live ? '● Live' : `❚❚ Paused${missed ? ` (${missed} new)` : ''}`;
}

let refetch;
function follow() {
  const source = new EventSource('/api/live');
  source.addEventListener('traces', (event) => {
    const { traces } = JSON.parse(event.data);
    if (!live) {
      missed += traces.length;
      liveLabel();
      return;
    }
    if (location.hash.startsWith('#/trace') || !$('#list-view').offsetParent) return;
    if (filtered()) {
      clearTimeout(refetch);
      refetch = setTimeout(() => void showList(), 1000);
      return;
    }
    for (const t of traces) rows.set(t.traceId, t);
    render(new Set(traces.map((t) => t.traceId)));
  });
  source.addEventListener('reset', () => {
    if (live && $('#list-view').offsetParent) void showList();
  });
}

async function route() {
  const [path, query = ''] = location.hash.slice(1).split('?');
  const params = new URLSearchParams(query);
  const parts = (path || '/').split('/').filter(Boolean);
  try {
    $('main > p.err')?.remove();
    if (parts[0] === 'trace' && parts[1]) {
      show('trace');
      await showTrace(parts[1]);
    } else if (parts[0] === 'logs') {
      show('logs');
      await showLogs(params);
    } else if (parts[0] === 'map') {
      show('map');
      await showMap();
    } else if (parts[0] === 'procedures') {
      show('procedures');
      await showProcedures();
    } else if (parts[0] === 'procedure' && parts[1]) {
      show('procedure');
      await showProcedure(decodeURIComponent(parts[1]));
    } else if (parts[0] === 'compare' && parts[1] && parts[2]) {
      show('compare');
      await showCompare(parts[1], parts[2]);
    } else {
      show('list');
      await showList();
    }
  } catch (error) {
    $('main').insertAdjacentHTML('afterbegin', `<p class="err">${esc(error.message)}</p>`);
  }
}

$('#filters').addEventListener('submit', (event) => {
  event.preventDefault();
  void showList();
});
$('#log-filters').addEventListener('submit', (event) => {
  event.preventDefault();
  void route();
});
$('#live').addEventListener('click', () => {
  live = !live;
  if (live) {
    missed = 0;
    void showList();
  }
  liveLabel();
});
$('#compare').addEventListener('click', () => {
  const [a, b] = [...picked];
  if (a && b) location.hash = `#/compare/${a}/${b}`;
});
$('#traces tbody').addEventListener('click', (event) => {
  const box = event.target.closest('input[data-pick]');
  if (box) {
    if (box.checked) picked.add(box.dataset.pick);
    else picked.delete(box.dataset.pick);
    while (picked.size > 2) picked.delete(picked.values().next().value);
    for (const other of document.querySelectorAll('input[data-pick]'))
      other.checked = picked.has(other.dataset.pick);
    $('#compare').disabled = picked.size !== 2;
    return;
  }
  const row = event.target.closest('tr[data-trace]');
  if (row && !event.target.closest('a')) location.hash = `#/trace/${row.dataset.trace}`;
});
window.addEventListener('hashchange', route);
follow();
void route();
