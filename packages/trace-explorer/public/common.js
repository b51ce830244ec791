// Helpers every view of the explorer's page shares.

export const $ = (selector, root = document) => root.querySelector(selector);
export const esc = (value) =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
export const ms = (value) =>
  value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
// Services get distinct colours in the order the page first meets them (a hash would collide).
const palette = ['#8ab4f8', '#f6b26b', '#93d3a2', '#d5a6e6', '#f28b82', '#81d4e0', '#fdd663', '#b0bec5'];
const colours = new Map();
export const colour = (service) => {
  if (!colours.has(service)) colours.set(service, palette[colours.size % palette.length]);
  return colours.get(service);
};
export const chip = (service) =>
  `<span class="svc" style="background:${colour(service)}">${esc(service)}</span>`;
// As the server's span-facts.ts: a procedure's own span, by tRPC or through the gRPC face; a
// caller's client span (kind 3) carrying rpc.system is the round trip.
export const isProcedure = (span) =>
  (span.attributes['rpc.system'] === 'trpc' || span.attributes['rpc.system'] === 'grpc') && span.kind !== 3;

export function clock(epochMs) {
  const d = new Date(epochMs);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

/** What each finding kind is called on a badge, and why it matters (its tooltip). */
export const findingNames = {
  'n+1-query': ['N+1 query', 'the same statement once per item: one query with a list would do'],
  'n+1-call': ['N+1 call', 'the same procedure of another service once per item: one batched call would do'],
  'cache-miss-storm': ['cache misses', 'many separate lookups missed one cache namespace'],
  'slow-before-answer': ['slow answer', 'work ran before the answer was sent'],
};

export const badge = (finding) => {
  const [name, why] = findingNames[finding.kind] ?? [finding.kind, ''];
  return `<span class="badge ${esc(finding.kind.replace('+', 'p'))}" title="${esc(`${finding.label}: ${why}`)}">${esc(name)} ×${finding.count}</span>`;
};

export function show(view) {
  for (const section of document.querySelectorAll('main > section'))
    section.hidden = section.id !== `${view}-view`;
  for (const link of document.querySelectorAll('nav a')) {
    const active = link.dataset.view === view || (view === 'trace' && link.dataset.view === 'list');
    link.classList.toggle('active', active || (view === 'procedure' && link.dataset.view === 'procedures'));
  }
}

export function serviceOptions(select, services) {
  const chosen = select.value;
  select.innerHTML = `<option value="">all</option>${services
    .map((s) => `<option${s === chosen ? ' selected' : ''}>${esc(s)}</option>`)
    .join('')}`;
}
