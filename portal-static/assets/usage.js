// The usage page: calls per key and per route over time (GET /v1/usage) drawn with Chart.js (the
// global `Chart`, loaded from /vendor by the page before this module), and the live request-weight
// budget (GET /v1/limits, with the RateLimit-* headers as a fallback), refreshed every few seconds.
import { api, el, register, requireSession, showStatus, start, t, onLanguageChange } from '/assets/app.js';

register({
  en: {
    'usage.title': 'Usage and limits', 'usage.budget': 'Live limit budget',
    'usage.budgetHint': "Your portal session's request-weight budget; each API key has a budget of its own plan. Every call costs its route's weight.",
    'usage.weights': 'Route weights', 'usage.calls': 'Calls over time', 'usage.window': 'Window',
    'usage.window.1h': 'Last hour (per minute)', 'usage.window.6h': 'Last 6 hours (per 5 minutes)',
    'usage.window.24h': 'Last 24 hours (per 15 minutes)', 'usage.window.7d': 'Last 7 days (per hour)',
    'usage.key': 'Key', 'usage.allKeys': 'All keys', 'usage.byKey': 'Calls per key', 'usage.byRoute': 'Calls per route',
    'usage.totals': 'Totals in the window', 'usage.remaining': '{remaining} of {limit} weight left',
    'usage.unknownRemaining': 'limit {limit} weight (what remains is unknown right now)',
    'usage.plan': 'Plan', 'usage.period': 'Budget period', 'usage.seconds': '{n} s', 'usage.reset': 'Full again in',
    'usage.ordersPerSymbol': 'Orders per symbol', 'usage.ordersRate': '{limit} per {period} s',
    'usage.developerPlan': 'Developer plan', 'usage.maxKeys': 'Keys allowed', 'usage.updated': 'Updated {time}; refreshed every {n} s.',
    'usage.route': 'Route', 'usage.weight': 'Weight', 'usage.session': 'portal session',
    'usage.col.key': 'Key', 'usage.col.route': 'Route', 'usage.col.plan': 'Plan', 'usage.col.calls': 'Calls',
    'usage.col.2xx': '2xx', 'usage.col.4xx': '4xx', 'usage.col.5xx': '5xx', 'usage.col.avg': 'Mean latency (ms)',
    'usage.col.max': 'Max latency (ms)', 'usage.col.weight': 'Weight used',
    'usage.byKeyCaption': 'Per key', 'usage.byRouteCaption': 'Per route', 'usage.noCalls': 'No calls in this window yet.',
    'usage.axisCalls': 'calls', 'usage.chartSummary': '{calls} calls in the window across {series} series.',
  },
  zh: {
    'usage.title': '用量与限额', 'usage.budget': '实时限额余量',
    'usage.budgetHint': '这是您门户会话的请求权重额度；每个 API 密钥按其套餐另有独立额度。每次调用按其路由的权重扣减。',
    'usage.weights': '路由权重', 'usage.calls': '调用趋势', 'usage.window': '时间范围',
    'usage.window.1h': '最近 1 小时（每分钟）', 'usage.window.6h': '最近 6 小时（每 5 分钟）',
    'usage.window.24h': '最近 24 小时（每 15 分钟）', 'usage.window.7d': '最近 7 天（每小时）',
    'usage.key': '密钥', 'usage.allKeys': '全部密钥', 'usage.byKey': '各密钥调用次数', 'usage.byRoute': '各路由调用次数',
    'usage.totals': '时间范围内合计', 'usage.remaining': '剩余 {remaining} / {limit} 权重',
    'usage.unknownRemaining': '限额 {limit} 权重（暂时无法获知剩余量）',
    'usage.plan': '套餐', 'usage.period': '额度周期', 'usage.seconds': '{n} 秒', 'usage.reset': '恢复满额还需',
    'usage.ordersPerSymbol': '每个证券的下单频率', 'usage.ordersRate': '每 {period} 秒 {limit} 笔',
    'usage.developerPlan': '开发者套餐', 'usage.maxKeys': '可用密钥数', 'usage.updated': '更新于 {time}；每 {n} 秒刷新。',
    'usage.route': '路由', 'usage.weight': '权重', 'usage.session': '门户会话',
    'usage.col.key': '密钥', 'usage.col.route': '路由', 'usage.col.plan': '套餐', 'usage.col.calls': '调用次数',
    'usage.col.2xx': '2xx', 'usage.col.4xx': '4xx', 'usage.col.5xx': '5xx', 'usage.col.avg': '平均延迟（毫秒）',
    'usage.col.max': '最大延迟（毫秒）', 'usage.col.weight': '已用权重',
    'usage.byKeyCaption': '按密钥', 'usage.byRouteCaption': '按路由', 'usage.noCalls': '此时间范围内尚无调用。',
    'usage.axisCalls': '次', 'usage.chartSummary': '时间范围内共 {calls} 次调用，{series} 个序列。',
  },
});

const REFRESH_SECONDS = 5;
const BUCKET_MINUTES = { 60: 1, 360: 5, 1440: 15, 10080: 60 }; // window → bucket, so a chart has 60–168 points
// Distinct, colour-blind-friendly series colours (Okabe–Ito), then repeats.
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

let usage = null;   // the last GET /v1/usage answer
let limits = null;  // the last GET /v1/limits answer (remaining filled from RateLimit-Remaining if absent)
let updatedAt = null;
let labels = {};    // key id → label, from GET /v1/keys
let charts = null;  // {keys, routes}: the Chart.js instances
let timer = null;
let running = false; // one refresh at a time; a change meanwhile asks for another right after
let again = false;

const lang = () => document.documentElement.lang || 'en';
const num = (n, digits) => Number(n).toLocaleString(lang(), digits === undefined ? {} : { maximumFractionDigits: digits });

function keyName(id) {
  if (id.startsWith('session:')) return t('usage.session');
  return labels[id] ? labels[id] + ' (' + id + ')' : id;
}

// ---------------------------------------------------------------- the budget

function drawBudget() {
  if (!limits) return;
  const w = limits.request_weight;
  const meter = document.getElementById('budget-meter');
  meter.max = w.limit;
  meter.value = w.remaining ?? 0;
  meter.low = w.limit * 0.2;
  meter.high = w.limit * 0.5;
  meter.optimum = w.limit;
  document.getElementById('budget-text').textContent = w.remaining === undefined || w.remaining === null
    ? t('usage.unknownRemaining', { limit: num(w.limit) })
    : t('usage.remaining', { remaining: num(w.remaining), limit: num(w.limit) });
  const facts = [
    ['usage.plan', limits.plan], ['usage.period', t('usage.seconds', { n: w.period_seconds })],
    ['usage.reset', w.reset_seconds === undefined ? '–' : t('usage.seconds', { n: w.reset_seconds })],
    ['usage.ordersPerSymbol', t('usage.ordersRate', { limit: limits.orders_per_symbol.limit, period: limits.orders_per_symbol.period_seconds })],
    ['usage.developerPlan', limits.developer_plan], ['usage.maxKeys', limits.max_keys],
  ];
  document.getElementById('budget-facts').replaceChildren(...facts.map(([k, v]) => el('div', {}, el('dt', {}, t(k)), el('dd', {}, String(v)))));
  document.getElementById('budget-updated').textContent = t('usage.updated', { time: updatedAt.toLocaleTimeString(lang()), n: REFRESH_SECONDS });
  const weights = Object.entries(limits.route_weights || {}).sort(([a], [b]) => a.localeCompare(b));
  document.getElementById('weights-table').replaceChildren(
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('usage.route')), el('th', { scope: 'col', class: 'num' }, t('usage.weight')))),
    el('tbody', {}, weights.map(([route, weight]) => el('tr', {}, el('td', {}, el('code', {}, route)), el('td', { class: 'num' }, String(weight))))));
}

// ---------------------------------------------------------------- the charts

/** The window's bucket starts (epoch ms) and each row's bucket index. */
function buckets(answer) {
  const step = (BUCKET_MINUTES[windowMinutes()] || 1) * 60000;
  const from = Date.parse(answer.from);
  const to = Date.parse(answer.to);
  const starts = [];
  for (let at = from; at < to; at += step) starts.push(at);
  return { starts, index: (iso) => Math.min(starts.length - 1, Math.floor((Date.parse(iso) - from) / step)) };
}

/** Calls per bucket for each value of `by(row)`, in first-seen order. */
function series(answer, by) {
  const { starts, index } = buckets(answer);
  const out = new Map();
  for (const r of answer.rows) {
    const name = by(r);
    if (!out.has(name)) out.set(name, new Array(starts.length).fill(0));
    out.get(name)[index(r.minute)] += r.calls;
  }
  return { starts, out };
}

function bucketLabel(at) {
  const d = new Date(at);
  const opts = windowMinutes() > 1440 ? { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }
    : { hour: '2-digit', minute: '2-digit' };
  return d.toLocaleString(lang(), opts);
}

function chartConfig(type, stacked) {
  return {
    type,
    data: { labels: [], datasets: [] },
    options: {
      animation: false, // redrawn every few seconds: no animation to sit through
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { stacked, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
        y: { stacked, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: t('usage.axisCalls') } },
      },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
    },
  };
}

function drawCharts() {
  if (!usage) return;
  if (!charts) {
    charts = {
      keys: new Chart(document.getElementById('chart-keys'), chartConfig('line', false)),
      routes: new Chart(document.getElementById('chart-routes'), chartConfig('bar', true)),
    };
  }
  fill(charts.keys, series(usage, (r) => r.key_id), keyName, 'chart-keys', (c) => ({ borderColor: c, backgroundColor: c, pointRadius: 0, tension: 0.2 }));
  fill(charts.routes, series(usage, (r) => r.route), (n) => n, 'chart-routes', (c) => ({ backgroundColor: c }));
}

function fill(chart, { starts, out }, name, canvasId, style) {
  let i = 0;
  chart.data.labels = starts.map(bucketLabel);
  chart.data.datasets = [...out.entries()].map(([id, data]) => Object.assign({ label: name(id), data }, style(COLOURS[i++ % COLOURS.length])));
  chart.options.scales.y.title.text = t('usage.axisCalls');
  chart.update();
  const calls = [...out.values()].flat().reduce((a, b) => a + b, 0);
  const canvas = document.getElementById(canvasId);
  canvas.dataset.calls = String(calls);
  canvas.setAttribute('aria-description', t('usage.chartSummary', { calls, series: out.size }));
}

// ---------------------------------------------------------------- the totals

function totals(by) {
  const m = new Map();
  for (const r of usage.rows) {
    const k = by(r);
    const s = m.get(k) || { calls: 0, ok: 0, c4: 0, c5: 0, latency: 0, max: 0, weight: 0 };
    s.calls += r.calls; s.ok += r.calls_2xx; s.c4 += r.calls_4xx; s.c5 += r.calls_5xx;
    s.latency += r.latency_avg_ms * r.calls; s.max = Math.max(s.max, r.latency_max_ms);
    s.weight += r.calls * ((limits && limits.route_weights && limits.route_weights[r.route]) ?? 1);
    m.set(k, s);
  }
  return m;
}

function totalsTable(id, caption, firstCol, rows, name, extra) {
  const head = [firstCol, ...(extra ? ['usage.col.plan'] : []), 'usage.col.calls', 'usage.col.2xx', 'usage.col.4xx',
    'usage.col.5xx', 'usage.col.avg', 'usage.col.max', 'usage.col.weight'];
  const table = document.getElementById(id);
  if (rows.size === 0) {
    table.replaceChildren(el('caption', {}, t(caption)), el('tbody', {}, el('tr', {}, el('td', {}, t('usage.noCalls')))));
    return;
  }
  table.replaceChildren(el('caption', {}, t(caption)),
    el('thead', {}, el('tr', {}, head.map((h, i) => el('th', { scope: 'col', class: i === 0 ? null : 'num' }, t(h))))),
    el('tbody', {}, [...rows.entries()].map(([k, s]) => el('tr', { 'data-row': k },
      el('th', { scope: 'row' }, name(k)), extra ? el('td', { class: 'num' }, extra(k)) : null,
      el('td', { class: 'num calls' }, num(s.calls)), el('td', { class: 'num' }, num(s.ok)), el('td', { class: 'num' }, num(s.c4)),
      el('td', { class: 'num' }, num(s.c5)), el('td', { class: 'num' }, num(s.calls ? s.latency / s.calls : 0, 2)),
      el('td', { class: 'num' }, num(s.max, 2)), el('td', { class: 'num' }, num(s.weight))))));
}

function drawTotals() {
  if (!usage) return;
  totalsTable('totals-keys', 'usage.byKeyCaption', 'usage.col.key', totals((r) => r.key_id), keyName, (k) => usage.plans[k] || '');
  totalsTable('totals-routes', 'usage.byRouteCaption', 'usage.col.route', totals((r) => r.route), (r) => el('code', {}, r));
}

// ---------------------------------------------------------------- loading

function windowMinutes() { return Number(document.getElementById('usage-window').value); }

async function loadKeys() {
  const list = (await api('GET', '/v1/keys')).body.keys || [];
  labels = Object.fromEntries(list.map((k) => [k.key_id, k.label]));
  const select = document.getElementById('usage-key');
  const chosen = select.value;
  const s = await api('GET', '/v1/developers/me');
  const own = 'session:' + s.body.developer_id;
  select.replaceChildren(el('option', { value: '', 'data-i18n': 'usage.allKeys' }, t('usage.allKeys')),
    el('option', { value: own, 'data-session': true }, t('usage.session')),
    ...list.map((k) => el('option', { value: k.key_id, selected: k.key_id === chosen }, keyName(k.key_id))));
  if (chosen === own) select.value = own;
}

/**
 * GET /v1/usage and the pages after it: the gateway answers at most 5 000 rows, in whole minutes, with
 * next_cursor where the next page starts. Stops after MAX_PAGES (each costs a unit of the budget), so a busy
 * week draws what it has read.
 */
const MAX_PAGES = 20;
async function usagePages(q) {
  const first = await api('GET', '/v1/usage?' + q);
  for (let page = first.body, n = 1; page.next_cursor && n < MAX_PAGES; n++) {
    q.set('cursor', page.next_cursor);
    page = (await api('GET', '/v1/usage?' + q)).body;
    first.body.rows.push(...page.rows);
  }
  return first;
}

async function refresh() {
  clearTimeout(timer);
  if (running) { again = true; return; }
  running = true;
  try {
    const to = new Date(Math.ceil((Date.now() + 1) / 60000) * 60000);
    const from = new Date(to.getTime() - windowMinutes() * 60000);
    const q = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
    const key = document.getElementById('usage-key').value;
    if (key) q.set('key_id', key);
    const [u, l] = await Promise.all([usagePages(q), api('GET', '/v1/limits')]);
    limits = l.body;
    const w = limits.request_weight;
    if (w.remaining === undefined && l.headers.get('RateLimit-Remaining') !== null) {
      w.remaining = Number(l.headers.get('RateLimit-Remaining'));
      w.reset_seconds = Number(l.headers.get('RateLimit-Reset'));
    }
    updatedAt = new Date();
    usage = u.body;
    if (usage.rows.some((r) => !r.key_id.startsWith('session:') && !(r.key_id in labels))) await loadKeys();
    showStatus(document.getElementById('usage-status'), '');
    drawAll();
  } catch (e) {
    showStatus(document.getElementById('usage-status'), e, true);
  }
  running = false;
  if (again) { again = false; refresh(); return; }
  if (!document.hidden) timer = setTimeout(refresh, REFRESH_SECONDS * 1000);
}

function drawAll() {
  drawBudget();
  drawCharts();
  drawTotals();
}

start();
if (requireSession()) {
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#1d2433';
  document.getElementById('usage-window').addEventListener('change', refresh);
  document.getElementById('usage-key').addEventListener('change', refresh);
  // A hidden tab stops polling (no budget spent on nobody) and catches up when it is shown again.
  document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
  loadKeys().catch((e) => showStatus(document.getElementById('usage-status'), e, true)).then(refresh);
  onLanguageChange(() => {
    document.querySelectorAll('#usage-key option').forEach((o) => {
      if (o.value === '') o.textContent = t('usage.allKeys');
      else if (o.dataset.session !== undefined) o.textContent = t('usage.session');
    });
    drawAll();
  });
}
