// The exchange's session phase in the console head, from GET /v1/market/clock: read again when the phase
// changes (at next_phase_at), at the latest every 10 minutes, and 30 s after a failed read (market data
// still starting); a failed read shows a dash rather than an error, the panels report their own.
import { api, t, lang } from '/assets/app.js';

const REFRESH_MS = 10 * 60 * 1000;
const RETRY_MS = 30 * 1000;

/** A moment in the browser's time: the time of day when it is today, else with the day of the week. */
function when(iso) {
  const d = new Date(iso);
  const locale = lang() === 'zh' ? 'zh-CN' : 'en-GB';
  const time = d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hour12: false });
  return d.toDateString() === new Date().toDateString() ? time : `${d.toLocaleDateString(locale, { weekday: 'short' })} ${time}`;
}

export class MarketClock {
  constructor() {
    this.clock = null;
    this.timer = null;
  }

  async read() {
    clearTimeout(this.timer);
    let wait = RETRY_MS;
    try {
      this.clock = (await api('GET', '/v1/market/clock')).body;
      const next = this.clock.next_phase_at ? Date.parse(this.clock.next_phase_at) - Date.now() + 1000 : REFRESH_MS;
      wait = Math.max(1000, Math.min(next, REFRESH_MS));
    } catch (e) {
      this.clock = null;
    }
    this.render();
    this.timer = setTimeout(() => this.read(), wait);
  }

  render() {
    const node = document.getElementById('market-clock');
    const c = this.clock;
    node.dataset.phase = c ? c.phase : '';
    if (!c) { node.textContent = '–'; return; }
    const phase = t('phase.' + c.phase);
    node.textContent = c.next_phase_at ? t('clock.until', { phase, time: when(c.next_phase_at) }) : t('clock.always', { phase });
  }

  stop() {
    clearTimeout(this.timer);
  }
}
