// The console's market panels for one instrument: the quote, the depth ladder, the last trades and the
// K-line chart, each filled first from REST or the channel's snapshot and then kept live from the
// market stream (quotes:, depth:, trades:, klines:<interval>: channels of the chosen symbol).
import { api, el, t, lang } from '/assets/app.js';

const DEPTH_ROWS = 10;
const TRADE_ROWS = 30;
const UP = '#c62828';
const DOWN = '#0a7d32';
const UP_VOLUME = 'rgba(198, 40, 40, 0.45)';
const DOWN_VOLUME = 'rgba(10, 125, 50, 0.45)';

/** Formats a share count or a money amount for the page's language. */
export function num(v, decimals) {
  if (v === null || v === undefined || v === '') return '–';
  const n = Number(v);
  if (!Number.isFinite(n)) return String(v);
  const opts = decimals === undefined ? {} : { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
  return n.toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-US', opts);
}

/** A time of day (local) from an RFC 3339 string. */
export function clock(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '–' : d.toLocaleTimeString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}

/** A Bar of the contract as a candle and a volume bar of the chart. */
function chartBar(b) {
  const candle = { time: chartTime(b.time), open: Number(b.open), high: Number(b.high), low: Number(b.low), close: Number(b.close) };
  const volume = { time: candle.time, value: Number(b.volume) || 0, color: candle.close >= candle.open ? UP_VOLUME : DOWN_VOLUME };
  return { candle, volume };
}

/** lightweight-charts draws UTC: shift each bar by the browser's offset so the axis reads local time. */
function chartTime(iso) {
  const ms = Date.parse(iso);
  return Math.floor(ms / 1000) - new Date(ms).getTimezoneOffset() * 60;
}

export class MarketPanels {
  constructor(stream, onError) {
    this.stream = stream;
    this.onError = onError;
    this.symbol = null;
    this.instrument = null;
    this.interval = '1m';
    this.generation = 0;
    this.klineGeneration = 0;
    this.quote = null;
    this.bids = new Map();
    this.asks = new Map();
    this.trades = [];
    this.drawPending = false;
    this.lastBarTime = null;
    this.barCount = 0;
    this.chartEl = document.getElementById('chart');
    // The library's own attribution logo injects a <style> element, which the CSP refuses; the page
    // carries the attribution (NOTICE of lightweight-charts) as a link under the chart instead.
    this.chart = LightweightCharts.createChart(this.chartEl, {
      autoSize: true,
      layout: { background: { color: '#ffffff' }, textColor: '#1d2433', attributionLogo: false },
      grid: { vertLines: { color: '#eef1f5' }, horzLines: { color: '#eef1f5' } },
      timeScale: { timeVisible: true, secondsVisible: false },
    });
    // A-share convention: red up, green down.
    this.candles = this.chart.addSeries(LightweightCharts.CandlestickSeries, {
      upColor: UP, borderUpColor: UP, wickUpColor: UP,
      downColor: DOWN, borderDownColor: DOWN, wickDownColor: DOWN,
    });
    // Volume as a histogram on its own (unlabelled) price scale in the bottom fifth, the candles
    // above it; each bar coloured like its candle.
    this.volume = this.chart.addSeries(LightweightCharts.HistogramSeries, {
      priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false,
    });
    this.volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.candles.priceScale().applyOptions({ scaleMargins: { top: 0.05, bottom: 0.25 } });
    document.querySelectorAll('#intervals button').forEach((b) =>
      b.addEventListener('click', () => this.setInterval(b.dataset.interval)));
  }

  channels(symbol, interval) {
    return [`quotes:${symbol}`, `depth:${symbol}`, `trades:${symbol}`, `klines:${interval}:${symbol}`];
  }

  /** Shows another instrument: drops the old channels and state, loads the new one's history. */
  async show(instrument) {
    const gen = ++this.generation;
    if (this.symbol) this.stream.unsubscribe(this.channels(this.symbol, this.interval));
    this.symbol = instrument.symbol;
    this.instrument = instrument;
    this.quote = null;
    this.bids.clear();
    this.asks.clear();
    this.trades = [];
    this.render();
    // quotes and depth start with a snapshot; trades have none, so the recent ones come from REST
    // (merged by trade_id with what the stream brings meanwhile).
    this.stream.subscribe([`quotes:${this.symbol}`, `depth:${this.symbol}`, `trades:${this.symbol}`]);
    this.loadKlines();
    try {
      const trades = await api('GET', `/v1/market/trades/${encodeURIComponent(this.symbol)}?limit=${TRADE_ROWS}`);
      if (gen !== this.generation) return;
      this.mergeTrades(trades.body.items || []);
      this.scheduleDraw();
    } catch (e) {
      if (gen === this.generation) this.onError(e);
    }
  }

  async setInterval(interval) {
    if (!this.symbol || interval === this.interval) return;
    this.stream.unsubscribe([`klines:${this.interval}:${this.symbol}`]);
    this.interval = interval;
    await this.loadKlines();
  }

  /** The interval's history first, then its live channel (whose snapshot is the current bar). */
  async loadKlines() {
    const gen = ++this.klineGeneration;
    const channel = `klines:${this.interval}:${this.symbol}`;
    try {
      await this.loadBars(gen);
    } catch (e) {
      if (gen === this.klineGeneration) this.onError(e);
    }
    if (gen === this.klineGeneration) this.stream.subscribe([channel]);
  }

  /** The interval's history (oldest first), replacing the chart's bars; the live channel follows. */
  async loadBars(gen) {
    this.markInterval();
    const res = await api('GET', `/v1/market/klines/${encodeURIComponent(this.symbol)}?interval=${encodeURIComponent(this.interval)}&limit=500`);
    if (gen !== this.klineGeneration) return;
    const bars = (res.body.bars || []).map(chartBar);
    this.candles.setData(bars.map((b) => b.candle));
    this.volume.setData(bars.map((b) => b.volume));
    this.lastBarTime = bars.length ? bars[bars.length - 1].candle.time : null;
    this.barCount = bars.length;
    // Many bars: show them all; a few: keep the default bar width rather than stretching them.
    if (bars.length > 60) this.chart.timeScale().fitContent(); else this.chart.timeScale().scrollToRealTime();
    this.describeChart();
  }

  markInterval() {
    document.querySelectorAll('#intervals button').forEach((b) =>
      b.setAttribute('aria-pressed', String(b.dataset.interval === this.interval)));
  }

  describeChart() {
    this.chartEl.dataset.bars = String(this.barCount);
    this.chartEl.dataset.volumeBars = String(this.volume.data().length); // what the histogram draws
    this.chartEl.dataset.interval = this.interval;
    this.chartEl.setAttribute('aria-label', t('chart.label', { symbol: this.symbol || '', interval: this.interval }));
  }

  /** A data frame of one of this instrument's channels. */
  onFrame(f) {
    const [kind] = f.channel.split(':');
    if (!this.symbol || !f.channel.endsWith(':' + this.symbol) || f.data === null || f.data === undefined) return;
    if (kind === 'quotes') this.quote = f.data;
    else if (kind === 'depth') this.applyDepth(f.data);
    else if (kind === 'trades') this.mergeTrades([f.data]);
    else if (kind === 'klines' && f.channel === `klines:${this.interval}:${this.symbol}`) this.applyBar(f.data);
    this.scheduleDraw();
  }

  applyDepth(d) {
    if (d.type === 'snapshot') { this.bids.clear(); this.asks.clear(); }
    for (const [side, levels] of [[this.bids, d.bids], [this.asks, d.asks]]) {
      for (const [price, qty] of levels || []) {
        if (qty === 0) side.delete(price); else side.set(price, qty);
      }
    }
  }

  mergeTrades(items) {
    const seen = new Set(this.trades.map((x) => x.trade_id));
    const fresh = items.filter((x) => x && !seen.has(x.trade_id));
    this.trades = fresh.concat(this.trades)
      .sort((a, b) => (Date.parse(b.time) - Date.parse(a.time)) || ((b.seq || 0) - (a.seq || 0)))
      .slice(0, TRADE_ROWS);
  }

  applyBar(b) {
    const { candle, volume } = chartBar(b);
    if (this.lastBarTime !== null && candle.time < this.lastBarTime) return; // older than the chart's last bar
    if (this.lastBarTime === null || candle.time > this.lastBarTime) this.barCount++;
    this.lastBarTime = candle.time;
    this.candles.update(candle);
    this.volume.update(volume);
    this.describeChart();
  }

  /** Streams can bring many frames a second: draw once per animation frame. */
  scheduleDraw() {
    if (this.drawPending) return;
    this.drawPending = true;
    requestAnimationFrame(() => { this.drawPending = false; this.render(); });
  }

  render() {
    this.renderQuote();
    this.renderDepth();
    this.renderTrades();
    this.describeChart();
  }

  renderQuote() {
    const q = this.quote;
    const set = (id, text) => { document.getElementById(id).textContent = text; };
    set('q-name', this.instrument ? `${this.instrument.symbol} ${this.instrument.name}` : '');
    set('q-last', q && q.last ? q.last : '–');
    const change = document.getElementById('q-change');
    change.classList.remove('up', 'down');
    if (q && q.change !== null && q.change !== undefined) {
      const up = Number(q.change) > 0;
      const sign = up ? '+' : '';
      change.textContent = `${sign}${q.change} (${sign}${q.change_pct}%)`;
      if (Number(q.change) !== 0) change.classList.add(up ? 'up' : 'down');
    } else change.textContent = '';
    set('q-bid', q && q.bid ? `${q.bid} × ${num(q.bid_size)}` : '–');
    set('q-ask', q && q.ask ? `${q.ask} × ${num(q.ask_size)}` : '–');
    set('q-open', q && q.open ? q.open : '–');
    set('q-high', q && q.high ? q.high : '–');
    set('q-low', q && q.low ? q.low : '–');
    set('q-prev', q ? q.prev_close : (this.instrument ? this.instrument.prev_close : '–'));
    set('q-volume', q ? num(q.volume) : '–');
    set('q-turnover', q ? num(q.turnover, 2) : '–');
  }

  renderDepth() {
    const asks = [...this.asks].sort((a, b) => Number(a[0]) - Number(b[0])).slice(0, DEPTH_ROWS);
    const bids = [...this.bids].sort((a, b) => Number(b[0]) - Number(a[0])).slice(0, DEPTH_ROWS);
    const max = Math.max(1, ...asks.map((l) => l[1]), ...bids.map((l) => l[1]));
    const row = (side, i, [price, qty]) => {
      const bar = el('span', { class: 'bar ' + side });
      bar.style.width = `${Math.max(1, Math.round((qty / max) * 100))}%`; // element.style: allowed by the CSP
      return el('tr', { class: side, 'data-price': price },
        el('th', { scope: 'row' }, t(side === 'ask' ? 'depth.ask' : 'depth.bid', { n: i + 1 })),
        el('td', { class: 'num price' }, price), el('td', { class: 'num qty' }, num(qty)), el('td', { class: 'bar-col' }, bar));
    };
    document.getElementById('depth-asks').replaceChildren(...asks.map((l, i) => row('ask', i, l)).reverse());
    document.getElementById('depth-bids').replaceChildren(...bids.map((l, i) => row('bid', i, l)));
  }

  renderTrades() {
    document.getElementById('trades').replaceChildren(...this.trades.map((x) =>
      el('tr', {},
        el('td', {}, clock(x.time)), el('td', { class: 'num' }, x.price), el('td', { class: 'num' }, num(x.qty)),
        el('td', { class: x.side === 'buy' ? 'buy' : 'sell' }, t('side.' + x.side)))));
  }
}
