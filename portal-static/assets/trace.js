// The trace viewer: the spans of one of the developer's own requests (GET /v1/traces/{id}) as a
// waterfall, one row per span under its parent, bars placed by start and duration within the trace.
// Bars are positioned through element.style (the CSP refuses style="" attributes, not the CSSOM).
import { api, el, register, start, requireSession, showStatus, t, lang, onLanguageChange, ApiError } from '/assets/app.js';

register({
  en: {
    'trace.title': 'Trace viewer', 'trace.id': 'Trace id', 'trace.show': 'Show trace', 'trace.spans': 'Spans',
    'trace.intro': "Every response carries an X-Trace-Id header (and every error body a trace_id). Paste one of your own requests' ids to see where its time went: the gateway, trade-api or market-api, the exchange and the stream pushes.",
    'trace.legend': 'Services', 'trace.waterfall': 'Spans, in order, children under their parent',
    'trace.col.span': 'Service and span', 'trace.col.timeline': 'Timeline', 'trace.col.duration': 'Duration',
    'trace.bad_id': 'A trace id is 32 lower-case hex digits.', 'trace.loading': 'Loading trace {id}…',
    'trace.waiting': 'No spans for {id} yet: spans arrive a few seconds after the request. Trying again…',
    'trace.summary': '{spans} spans in {services} services, {ms} ms in all, starting {time}.',
    'trace.offset': 'starts at +{ms} ms', 'trace.attributes': 'Attributes ({n})', 'trace.details': 'Span id, kind, status', 'trace.kind': 'kind',
    'trace.status': 'status', 'trace.span_id': 'span id', 'trace.error': 'error',
  },
  zh: {
    'trace.title': '调用链查看', 'trace.id': '调用链 ID', 'trace.show': '查看调用链', 'trace.spans': '调用段（Span）',
    'trace.intro': '每个响应都带有 X-Trace-Id 响应头（每个错误响应体都带有 trace_id）。粘贴你自己某个请求的 ID，即可看到耗时分布：网关、trade-api 或 market-api、交易所以及推送。',
    'trace.legend': '服务', 'trace.waterfall': '按顺序排列的调用段，子调用段位于父调用段之下',
    'trace.col.span': '服务与调用段', 'trace.col.timeline': '时间线', 'trace.col.duration': '耗时',
    'trace.bad_id': '调用链 ID 为 32 位小写十六进制数字。', 'trace.loading': '正在加载调用链 {id}…',
    'trace.waiting': '{id} 暂无调用段：调用段会在请求后几秒内到达。正在重试…',
    'trace.summary': '共 {spans} 个调用段，涉及 {services} 个服务，总耗时 {ms} 毫秒，开始于 {time}。',
    'trace.offset': '开始于 +{ms} 毫秒', 'trace.attributes': '属性（{n}）', 'trace.details': 'Span ID、类型、状态', 'trace.kind': '类型',
    'trace.status': '状态', 'trace.span_id': '调用段 ID', 'trace.error': '错误',
  },
});

const TRACE_ID = /^[0-9a-f]{32}$/;
const RETRIES = 12;       // spans are exported a few seconds after the request
const RETRY_MS = 1000;
const RECENT_MS = 8000;  // how long after a trace's end its page keeps looking for late spans
// Known services get fixed colours (each also named in text beside its bar); others share the rest.
const SERVICE_CLASSES = { 'api-gateway': 'svc-gateway', 'trade-api': 'svc-trade', 'sandbox-exchange': 'svc-exchange', 'market-api': 'svc-market' };
const OTHER_CLASSES = ['svc-other1', 'svc-other2', 'svc-other3'];

const status = document.getElementById('status');
const input = document.getElementById('trace-id');
let trace = null;
let loadGeneration = 0;
const openDetails = new Set(); // span ids whose attributes are shown

function serviceClass(service, others) {
  if (SERVICE_CLASSES[service]) return SERVICE_CLASSES[service];
  if (!others.has(service)) others.set(service, OTHER_CLASSES[others.size % OTHER_CLASSES.length]);
  return others.get(service);
}

const ms = (us) => (us / 1000).toFixed(us < 10000 ? 2 : 1);

/** Spans depth-first: each under its parent, siblings by start; orphans (parent not in the trace) as roots. */
function ordered(spans) {
  const ids = new Set(spans.map((s) => s.span_id));
  const children = new Map();
  for (const s of spans) {
    const parent = s.parent_span_id && ids.has(s.parent_span_id) ? s.parent_span_id : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(s);
  }
  for (const list of children.values()) list.sort((a, b) => a.start_us - b.start_us);
  const out = [];
  const walk = (parent, depth, seen) => {
    for (const s of children.get(parent) || []) {
      if (seen.has(s.span_id)) continue; // a malformed cycle is shown once
      seen.add(s.span_id);
      out.push({ span: s, depth });
      walk(s.span_id, depth + 1, seen);
    }
  };
  walk(null, 0, new Set());
  return out;
}

function render() {
  if (!trace) return;
  const spans = trace.spans || [];
  const begin = Math.min(...spans.map((s) => s.start_us));
  const end = Math.max(...spans.map((s) => s.start_us + s.duration_us));
  const total = Math.max(1, end - begin);
  const others = new Map();
  const services = [...new Set(spans.map((s) => s.service))];
  document.getElementById('summary').textContent = t('trace.summary', {
    spans: spans.length, services: services.length, ms: ms(end - begin), time: new Date(begin / 1000).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-US'),
  });
  document.getElementById('legend').replaceChildren(...services.map((svc) =>
    el('li', {}, el('span', { class: 'swatch ' + serviceClass(svc, others), 'aria-hidden': 'true' }), svc)));
  document.getElementById('spans').replaceChildren(...ordered(spans).map(({ span, depth }) => {
    const cls = serviceClass(span.service, others);
    const label = el('div', { class: 'wf-label' },
      el('span', { class: 'service ' + cls }, span.service), ' ',
      el('span', { class: 'name' }, span.name),
      span.status === 'ERROR' ? el('span', { class: 'error-tag' }, ' ', t('trace.error')) : null);
    label.style.paddingLeft = `${depth * 1.1}rem`; // the tree's indentation
    const bar = el('span', { class: 'wf-bar ' + cls });
    bar.style.left = `${((span.start_us - begin) / total) * 100}%`;
    bar.style.width = `${Math.max(0.3, (span.duration_us / total) * 100)}%`;
    const attrs = Object.entries(span.attributes || {});
    const details = el('details', { class: 'wf-attrs', open: openDetails.has(span.span_id) },
      el('summary', {}, attrs.length ? t('trace.attributes', { n: attrs.length }) : t('trace.details')),
      el('dl', {},
        el('dt', {}, t('trace.span_id')), el('dd', {}, span.span_id),
        el('dt', {}, t('trace.kind')), el('dd', {}, span.kind),
        el('dt', {}, t('trace.status')), el('dd', {}, span.status),
        attrs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, typeof v === 'object' ? JSON.stringify(v) : String(v))])));
    return el('li', { class: 'wf-row', 'data-service': span.service, 'data-span-id': span.span_id, 'data-depth': depth },
      label,
      el('div', { class: 'wf-track' }, bar, el('span', { class: 'visually-hidden' }, t('trace.offset', { ms: ms(span.start_us - begin) }))),
      el('div', { class: 'wf-duration num' }, `${ms(span.duration_us)} ms`),
      details);
  }));
  // A redraw (late spans, a language switch) keeps the attribute lists that were open.
  document.querySelectorAll('#spans details').forEach((d) => d.addEventListener('toggle', () => {
    const id = d.closest('li').dataset.spanId;
    if (d.open) openDetails.add(id); else openDetails.delete(id);
  }));
  document.getElementById('result').hidden = false;
}

async function load(id) {
  const gen = ++loadGeneration;
  trace = null;
  openDetails.clear();
  document.getElementById('result').hidden = true;
  if (!TRACE_ID.test(id)) { showStatus(status, t('trace.bad_id'), true); return; }
  showStatus(status, t('trace.loading', { id }));
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await api('GET', '/v1/traces/' + id);
      if (gen !== loadGeneration) return;
      if ((res.body.spans || []).length || attempt >= RETRIES) {
        trace = res.body;
        showStatus(status, '');
        render();
        followRecent(id, gen);
        return;
      }
    } catch (e) {
      if (gen !== loadGeneration) return;
      if (!(e instanceof ApiError && e.status === 404) || attempt >= RETRIES) { showStatus(status, e, true); return; }
    }
    showStatus(status, t('trace.waiting', { id }));
    await new Promise((r) => setTimeout(r, RETRY_MS)); // spans are still being exported: ask again shortly
    if (gen !== loadGeneration) return;
  }
}

/** A trace that ended moments ago may still be missing spans on their way: read it again a few times. */
async function followRecent(id, gen) {
  while (gen === loadGeneration && trace) {
    const end = Math.max(...trace.spans.map((s) => s.start_us + s.duration_us)) / 1000;
    if (Date.now() - end > RECENT_MS) return;
    await new Promise((r) => setTimeout(r, RETRY_MS)); // spans still being exported: ask again shortly
    if (gen !== loadGeneration) return;
    try {
      const res = await api('GET', '/v1/traces/' + id);
      if (gen !== loadGeneration) return;
      if ((res.body.spans || []).length > trace.spans.length) { trace = res.body; render(); }
    } catch (e) { return; }
  }
}

start();
if (requireSession()) {
  const id = new URLSearchParams(location.search).get('id');
  document.getElementById('lookup').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = input.value.trim().toLowerCase();
    history.replaceState(null, '', '/trace.html?id=' + encodeURIComponent(value));
    load(value);
  });
  onLanguageChange(render);
  if (id) {
    input.value = id;
    load(id.trim().toLowerCase());
  }
}
