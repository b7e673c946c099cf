// The console's trading panels: the order ticket, the order list (live from the order stream, with
// cancel, replace and a link to the trace of the request that placed each order), the account and
// the positions (read again after fills), and the account reset.
import { api, el, t, showStatus, ApiError } from '/assets/app.js';
import { num, clock } from '/assets/console/market.js';

const OPEN = new Set(['pending_new', 'new', 'partially_filled', 'pending_cancel', 'pending_replace']);
const TRACES_KEY = 'opentrade.console.traces'; // sessionStorage: client_order_id -> X-Trace-Id of its placing
const MAX_ROWS = 50;
const CLIENT_ORDER_ID = /^[A-Za-z0-9._:-]{1,48}$/;
const PRICE = /^[0-9]+(\.[0-9]{1,2})?$/;
const HAS_PRICE = new Set(['limit', 'stop_limit']); // the contract's OrderCreate: price by type
const HAS_STOP = new Set(['stop', 'stop_limit']); // and stop_price

let sequence = 0;
function newClientOrderId() {
  sequence += 1;
  return `web-${Date.now().toString(36)}-${sequence}`;
}

/**
 * Why an open order cannot be replaced (a strings key), or null when it can. replaceOrder: market and
 * stop orders never (-4114); a stop-limit only once triggered (else the exchange answers -4009) —
 * an Order does not say whether its stop fired, but a fill proves it.
 */
function notReplaceable(o) {
  if (o.type === 'market' || o.type === 'stop') return 'orders.no_replace.' + o.type;
  if (o.type === 'stop_limit' && !(o.filled_qty > 0)) return 'orders.no_replace.stop_limit';
  return null;
}

export class TradingPanels {
  constructor(onError) {
    this.onError = onError;
    this.orders = new Map(); // order_id -> Order
    this.traces = this.loadTraces();
    this.instrument = null;
    this.lastPrice = null;
    this.replacing = null;
    this.account = null;
    this.positions = [];
    this.refreshTimer = null;
    this.ticketStatus = document.getElementById('ticket-status');
    this.wireTicket();
    this.wireReplace();
    this.wireReset();
  }

  loadTraces() {
    try { return JSON.parse(sessionStorage.getItem(TRACES_KEY) || '{}') || {}; } catch (e) { return {}; }
  }

  rememberTrace(clientOrderId, traceId) {
    if (!clientOrderId || !traceId) return;
    this.traces[clientOrderId] = traceId;
    const keys = Object.keys(this.traces);
    if (keys.length > 500) delete this.traces[keys[0]];
    sessionStorage.setItem(TRACES_KEY, JSON.stringify(this.traces));
  }

  /** The ticket follows the chosen instrument: lot size as the quantity step, a price near the market. */
  setInstrument(instrument) {
    this.instrument = instrument;
    this.lastPrice = null;
    const qty = document.getElementById('t-qty');
    const lot = String(instrument.lot_size || 1); // the arrows step in board lots; odd lots can be typed
    for (const input of [qty, document.getElementById('r-qty')]) { input.step = lot; input.min = lot; }
    document.getElementById('t-price').value = instrument.prev_close || '';
    document.getElementById('t-stop').value = instrument.prev_close || '';
  }

  /** A quote of the chosen instrument: fills the price field once, when the user has not typed one. */
  onQuote(q) {
    if (this.lastPrice === null && q && q.last) {
      this.lastPrice = q.last;
      for (const id of ['t-price', 't-stop']) {
        const input = document.getElementById(id);
        if (document.activeElement !== input) input.value = q.last;
      }
    }
  }

  wireTicket() {
    const type = document.getElementById('t-type');
    const tif = document.getElementById('t-tif');
    const coid = document.getElementById('t-coid');
    coid.value = newClientOrderId();
    const syncType = () => {
      const market = type.value === 'market';
      document.getElementById('t-price').disabled = !HAS_PRICE.has(type.value);
      document.getElementById('t-stop').disabled = !HAS_STOP.has(type.value);
      tif.querySelector('option[value="gtc"]').disabled = market; // a market order is never gtc (-4114)
      if (market && tif.value === 'gtc') tif.value = 'ioc';
      this.renderTypeHint();
    };
    type.addEventListener('change', syncType);
    document.querySelectorAll('#ticket input[name="side"]').forEach((r) => r.addEventListener('change', () => this.renderTypeHint()));
    syncType();
    document.getElementById('ticket').addEventListener('submit', (e) => { e.preventDefault(); this.place(); });
  }

  /** What the chosen type does with its prices, and when a stop of the chosen side triggers. */
  renderTypeHint() {
    const type = document.getElementById('t-type').value;
    const side = document.querySelector('#ticket input[name="side"]:checked').value;
    document.getElementById('t-type-hint').textContent = t('ticket.hint.' + type, { trigger: t('ticket.trigger.' + side) });
  }

  async place() {
    const side = document.querySelector('#ticket input[name="side"]:checked').value;
    const type = document.getElementById('t-type').value;
    const qty = Number(document.getElementById('t-qty').value);
    const price = document.getElementById('t-price').value.trim();
    const stopPrice = document.getElementById('t-stop').value.trim();
    const coidInput = document.getElementById('t-coid');
    const clientOrderId = coidInput.value.trim() || newClientOrderId();
    if (!Number.isInteger(qty) || qty < 1) { showStatus(this.ticketStatus, t('ticket.bad_qty'), true); return; }
    if (HAS_PRICE.has(type) && !PRICE.test(price)) { showStatus(this.ticketStatus, t('ticket.bad_price'), true); return; }
    if (HAS_STOP.has(type) && !PRICE.test(stopPrice)) { showStatus(this.ticketStatus, t('ticket.bad_stop'), true); return; }
    if (!CLIENT_ORDER_ID.test(clientOrderId)) { showStatus(this.ticketStatus, t('ticket.bad_coid'), true); return; }
    const body = { symbol: this.instrument.symbol, side, type, qty, time_in_force: document.getElementById('t-tif').value,
      client_order_id: clientOrderId };
    if (HAS_PRICE.has(type)) body.price = price;
    if (HAS_STOP.has(type)) body.stop_price = stopPrice;
    const button = document.getElementById('t-submit');
    button.disabled = true;
    try {
      const res = await api('POST', '/v1/orders', body);
      this.rememberTrace(clientOrderId, res.traceId);
      this.upsert(res.body);
      // The stream may have drawn this order before the answer came: draw again for its trace link.
      this.renderOrders();
      showStatus(this.ticketStatus, t('ticket.placed', { id: res.body.order_id, coid: clientOrderId, status: t('status.' + res.body.status) }));
      coidInput.value = newClientOrderId();
    } catch (err) {
      if (err instanceof ApiError && err.body && err.body.order) {
        this.rememberTrace(clientOrderId, err.traceId);
        this.upsert(err.body.order);
        this.renderOrders();
      }
      if (err instanceof ApiError && err.status !== 504) coidInput.value = newClientOrderId();
      showStatus(this.ticketStatus, err instanceof ApiError ? err : String(err), true);
    } finally {
      button.disabled = false;
    }
    this.refreshAccountSoon();
  }

  /** Keeps the newer of two versions of an order (the stream and REST answers may cross). */
  upsert(order) {
    if (!order || !order.order_id) return;
    const have = this.orders.get(order.order_id);
    if (have && Date.parse(have.updated_at) > Date.parse(order.updated_at)) return;
    if (have && have.updated_at === order.updated_at && !OPEN.has(have.status) && OPEN.has(order.status)) return;
    if (have && JSON.stringify(have) === JSON.stringify(order)) return; // the same version again: no redraw
    this.orders.set(order.order_id, order);
    this.renderOrders();
  }

  /** A data frame of the order stream. */
  onFrame(f) {
    if (f.type === 'snapshot') { this.reload(); return; } // a (re)started view: read the list again
    if (f.type === 'order') this.upsert(f.data);
    if (f.type === 'fill' || (f.type === 'order' && !OPEN.has(f.data.status))) this.refreshAccountSoon();
  }

  /** The recent orders, the account and the positions, read again over REST. */
  async reload() {
    try {
      const res = await api('GET', `/v1/orders?status=all&limit=${MAX_ROWS}`);
      (res.body.items || []).forEach((o) => this.upsert(o));
      this.renderOrders();
    } catch (e) { this.onError(e); }
    await this.refreshAccount();
  }

  refreshAccountSoon() {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refreshAccount(), 150);
  }

  async refreshAccount() {
    try {
      const [account, positions] = await Promise.all([api('GET', '/v1/account'), api('GET', '/v1/positions')]);
      this.account = account.body;
      this.positions = positions.body.items || [];
      this.renderAccount();
    } catch (e) { this.onError(e); }
  }

  renderAccount() {
    const a = this.account;
    const set = (id, v, d) => { document.getElementById(id).textContent = a ? num(v, d) : '–'; };
    set('a-cash', a && a.cash, 2); set('a-bp', a && a.buying_power, 2); set('a-equity', a && a.equity, 2);
    set('a-mv', a && a.market_value, 2); set('a-upnl', a && a.unrealized_pnl, 2); set('a-rpnl', a && a.realized_pnl, 2);
    set('a-fees', a && a.fees_paid, 2); set('a-open', a && a.open_orders);
    const body = document.getElementById('positions-body');
    if (!this.positions.length) {
      body.replaceChildren(el('tr', {}, el('td', { colspan: 8, class: 'empty' }, t('pos.none'))));
      return;
    }
    body.replaceChildren(...this.positions.map((p) => el('tr', { 'data-symbol': p.symbol },
      el('th', { scope: 'row' }, p.symbol), el('td', { class: 'num qty' }, num(p.qty)), el('td', { class: 'num sellable' }, num(p.sellable_qty)),
      el('td', { class: 'num' }, p.avg_cost), el('td', { class: 'num' }, p.last_price), el('td', { class: 'num' }, num(p.market_value, 2)),
      el('td', { class: 'num ' + (Number(p.unrealized_pnl) > 0 ? 'up' : Number(p.unrealized_pnl) < 0 ? 'down' : '') }, num(p.unrealized_pnl, 2)),
      this.closeCell(p))));
  }

  /** A position's close button: a market sell of its sellable shares (none today under T+1: no button). */
  closeCell(p) {
    const cell = el('td', { class: 'actions' });
    if (p.sellable_qty > 0) {
      const close = el('button', { type: 'button', class: 'secondary small close-position',
        'aria-label': t('pos.close.label', { qty: num(p.sellable_qty), symbol: p.symbol }) }, t('pos.close'));
      close.addEventListener('click', () => this.closePosition(p.symbol, close));
      cell.append(close);
    }
    return cell;
  }

  /**
   * DELETE /v1/positions/{symbol} under an Idempotency-Key of this click: a double click, or a retry of an answer
   * lost on the way, sells once.
   */
  async closePosition(symbol, button) {
    button.disabled = true;
    const key = newClientOrderId();
    try {
      const res = await api('DELETE', '/v1/positions/' + encodeURIComponent(symbol), undefined, { 'Idempotency-Key': key });
      this.rememberTrace(res.body.client_order_id, res.traceId);
      this.upsert(res.body);
      this.renderOrders();
      showStatus(this.ticketStatus, t('pos.closed', { symbol, qty: num(res.body.qty), status: t('status.' + res.body.status) }));
    } catch (err) {
      if (err instanceof ApiError && err.body && err.body.order) this.upsert(err.body.order);
      showStatus(this.ticketStatus, err, true);
      button.disabled = false;
    }
    this.refreshAccountSoon();
  }

  /** Open orders first, then the rest, newest first; at most MAX_ROWS. */
  renderOrders() {
    const rows = [...this.orders.values()].sort((a, b) =>
      (OPEN.has(b.status) - OPEN.has(a.status)) || (Date.parse(b.created_at) - Date.parse(a.created_at))
      || (Number(b.order_id) - Number(a.order_id))).slice(0, MAX_ROWS);
    const body = document.getElementById('orders-body');
    if (!rows.length) {
      body.replaceChildren(el('tr', {}, el('td', { colspan: 11, class: 'empty' }, t('orders.none'))));
      return;
    }
    // Keep the keyboard focus on the same action of the same order across a redraw.
    const active = document.activeElement;
    const focusRow = active && body.contains(active) ? active.closest('tr').dataset.orderId : null;
    const focusClass = focusRow ? active.classList[active.classList.length - 1] : null;
    body.replaceChildren(...rows.map((o) => this.orderRow(o)));
    if (focusRow) {
      const again = body.querySelector(`tr[data-order-id="${CSS.escape(focusRow)}"] .${CSS.escape(focusClass)}`);
      if (again) again.focus();
    }
  }

  orderRow(o) {
    const actions = el('td', { class: 'actions' });
    if (OPEN.has(o.status)) {
      const cancel = el('button', { type: 'button', class: 'secondary small cancel', 'aria-label': t('orders.cancel.label', { id: o.order_id }) }, t('orders.cancel'));
      cancel.addEventListener('click', () => this.cancel(o.order_id));
      actions.append(cancel);
      const why = notReplaceable(o);
      if (why) {
        // Said, not just left out: why this row has no replace, and what to do instead.
        actions.append(' ', el('span', { class: 'no-replace', title: t(why) }, t('orders.no_replace'),
          el('span', { class: 'visually-hidden' }, ': ' + t(why))));
      } else {
        const replace = el('button', { type: 'button', class: 'secondary small replace', 'aria-label': t('orders.replace.label', { id: o.order_id }) }, t('orders.replace'));
        replace.addEventListener('click', () => this.openReplace(o.order_id));
        actions.append(' ', replace);
      }
    }
    const traceId = this.traces[o.client_order_id];
    if (traceId) {
      actions.append(' ', el('a', { href: '/trace.html?id=' + encodeURIComponent(traceId), class: 'trace',
        'aria-label': t('orders.trace.label', { id: o.order_id }) }, t('orders.trace')));
    }
    return el('tr', { 'data-order-id': o.order_id, 'data-coid': o.client_order_id, 'data-status': o.status, class: OPEN.has(o.status) ? 'open' : 'closed' },
      el('td', {}, clock(o.created_at)), el('td', {}, o.symbol),
      el('td', { class: o.side }, t('side.' + o.side)), el('td', {}, t('type.' + o.type)),
      el('td', { class: 'num qty' }, num(o.qty)), el('td', { class: 'num price' }, o.price ?? '–'),
      el('td', { class: 'num stop' }, o.stop_price ?? '–'),
      el('td', { class: 'num' }, num(o.filled_qty)), el('td', { class: 'num' }, o.avg_fill_price ?? '–'),
      el('td', { class: 'status', title: o.reject_reason || null }, t('status.' + o.status)), actions);
  }

  async cancel(orderId) {
    try {
      const res = await api('DELETE', '/v1/orders/' + encodeURIComponent(orderId));
      this.upsert(res.body);
      showStatus(this.ticketStatus, t('orders.canceled', { id: orderId }));
    } catch (err) {
      if (err instanceof ApiError && err.body && err.body.order) this.upsert(err.body.order);
      showStatus(this.ticketStatus, err, true);
    }
    this.refreshAccountSoon();
  }

  wireReplace() {
    const form = document.getElementById('replace');
    form.addEventListener('submit', (e) => { e.preventDefault(); this.replace(); });
    document.getElementById('r-close').addEventListener('click', () => this.closeReplace());
  }

  openReplace(orderId) {
    const o = this.orders.get(orderId);
    if (!o) return;
    this.replacing = orderId;
    document.getElementById('r-price').value = o.price || '';
    document.getElementById('r-qty').value = String(o.qty);
    this.renderReplaceLegend();
    const form = document.getElementById('replace');
    form.hidden = false;
    document.getElementById('r-price').focus();
  }

  renderReplaceLegend() {
    const o = this.replacing && this.orders.get(this.replacing);
    if (o) document.getElementById('replace-legend').textContent = t('replace.legend', { id: o.order_id, symbol: o.symbol, side: t('side.' + o.side) });
  }

  closeReplace() {
    this.replacing = null;
    document.getElementById('replace').hidden = true;
  }

  async replace() {
    const o = this.orders.get(this.replacing);
    if (!o) return;
    const price = document.getElementById('r-price').value.trim();
    const qty = Number(document.getElementById('r-qty').value);
    const body = {};
    if (price && price !== o.price) {
      if (!PRICE.test(price)) { showStatus(this.ticketStatus, t('ticket.bad_price'), true); return; }
      body.price = price;
    }
    if (qty !== o.qty) {
      if (!Number.isInteger(qty) || qty < 1) { showStatus(this.ticketStatus, t('ticket.bad_qty'), true); return; }
      body.qty = qty;
    }
    if (!Object.keys(body).length) { this.closeReplace(); return; }
    try {
      const res = await api('PATCH', '/v1/orders/' + encodeURIComponent(o.order_id), body);
      this.upsert(res.body);
      showStatus(this.ticketStatus, t('orders.replaced', { id: o.order_id, qty: num(res.body.qty), price: res.body.price }));
      this.closeReplace();
    } catch (err) {
      if (err instanceof ApiError && err.body && err.body.order) this.upsert(err.body.order);
      showStatus(this.ticketStatus, err, true);
    }
    this.refreshAccountSoon();
  }

  wireReset() {
    const confirm = document.getElementById('reset-confirm');
    const reset = document.getElementById('reset');
    reset.addEventListener('click', () => {
      confirm.hidden = false;
      reset.setAttribute('aria-expanded', 'true');
      document.getElementById('reset-no').focus();
    });
    const close = () => { confirm.hidden = true; reset.setAttribute('aria-expanded', 'false'); reset.focus(); };
    document.getElementById('reset-no').addEventListener('click', close);
    document.getElementById('reset-yes').addEventListener('click', async () => {
      close();
      try {
        const res = await api('POST', '/v1/account/reset');
        this.account = res.body;
        showStatus(this.ticketStatus, t('account.reset.done', { cash: num(res.body.cash, 2) }));
      } catch (err) {
        showStatus(this.ticketStatus, err, true);
      }
      await this.reload();
    });
  }

  /** After a language switch: everything drawn from data. */
  render() {
    this.renderTypeHint();
    this.renderOrders();
    this.renderAccount();
    this.renderReplaceLegend();
  }
}
