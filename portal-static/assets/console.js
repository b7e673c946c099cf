// The sandbox console: pick an instrument, watch its market live, trade against the sandbox exchange.
// Two WebSockets (the market stream and the order stream), authenticated by the session's token in
// the first frame; REST for history and actions. The panels live in assets/console/.
import { start, requireSession, session, showStatus, t, onLanguageChange, api } from '/assets/app.js';
import '/assets/console/strings.js';
import { Stream } from '/assets/console/stream.js';
import { MarketPanels } from '/assets/console/market.js';
import { TradingPanels } from '/assets/console/trading.js';
import { InstrumentPicker } from '/assets/console/picker.js';
import { MarketClock } from '/assets/console/clock.js';

const DEFAULT_SYMBOL = '600000.SH';
const status = document.getElementById('status');
const streamState = { market: 'connecting', orders: 'connecting' };

function showError(e) { showStatus(status, e, true); }

function renderStreamState() {
  for (const [name, state] of Object.entries(streamState)) {
    const node = document.getElementById(name + '-state');
    node.dataset.state = state;
    node.textContent = `${t('conn.' + name)}: ${t('conn.' + state)}`;
  }
}

function onStreamState(name) {
  return (state, frame) => {
    if (state === 'error') {
      showStatus(status, t('stream.error', { no: frame.error_no, message: frame.error }), true);
      return;
    }
    streamState[name] = state;
    renderStreamState();
  };
}

async function main() {
  start();
  if (!requireSession()) return;
  renderStreamState();

  const marketStream = new Stream('/v1/stream/market', () => session.token(), (f) => {
    market.onFrame(f);
    if (f.channel === 'quotes:' + market.symbol) trading.onQuote(f.data);
  }, onStreamState('market'));
  const orderStream = new Stream('/v1/stream/orders', () => session.token(), (f) => trading.onFrame(f), onStreamState('orders'));
  const market = new MarketPanels(marketStream, showError);
  const trading = new TradingPanels(showError);
  marketStream.start();
  orderStream.start();
  orderStream.subscribe(['orders']); // its snapshot frame makes the trading panels read the list
  trading.render();
  const clock = new MarketClock();
  clock.read();

  onLanguageChange(() => { renderStreamState(); market.render(); trading.render(); clock.render(); });

  let instruments;
  try {
    instruments = (await api('GET', '/v1/market/instruments')).body.items || [];
  } catch (e) {
    showError(e);
    return;
  }
  const wanted = new URLSearchParams(location.search).get('symbol');
  const first = instruments.find((i) => i.symbol === wanted) || instruments.find((i) => i.symbol === DEFAULT_SYMBOL) || instruments[0];
  if (!first) return;
  const picker = new InstrumentPicker(instruments, (instrument) => {
    trading.setInstrument(instrument);
    market.show(instrument);
  });
  onLanguageChange(() => picker.render());
  picker.choose(first);
  window.addEventListener('pagehide', () => { marketStream.stop(); orderStream.stop(); clock.stop(); });
}

main();
