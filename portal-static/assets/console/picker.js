// The console's instrument picker for a universe of any size: a search box filtering the instrument
// list (a plain <select>) by code or name as the user types. Keyboard: Enter in the box opens the
// instrument shown in the list, the down arrow moves to the list, Escape clears the search; the list
// itself switches instrument on change, like any select. The count of matches is a live region.
import { el, t } from '/assets/app.js';

/** Lower case, full-width letters and digits folded to ASCII (a Chinese keyboard may type them). */
function fold(s) {
  return String(s || '').normalize('NFKC').toLowerCase();
}

export class InstrumentPicker {
  /** onChoose(instrument) is called when the user picks another instrument. */
  constructor(instruments, onChoose) {
    this.instruments = instruments;
    this.onChoose = onChoose;
    this.current = null;
    this.search = document.getElementById('symbol-search');
    this.select = document.getElementById('symbol');
    this.count = document.getElementById('symbol-count');
    this.search.addEventListener('input', () => this.render());
    this.search.addEventListener('keydown', (e) => this.onKey(e));
    this.select.addEventListener('change', () => {
      const chosen = this.instruments.find((i) => i.symbol === this.select.value);
      if (chosen && chosen !== this.current) this.choose(chosen);
    });
  }

  /** The instruments whose code or name contains the search text (all of them for an empty one). */
  matches() {
    const q = fold(this.search.value.trim());
    if (!q) return this.instruments;
    return this.instruments.filter((i) => fold(i.symbol).includes(q) || fold(i.name).includes(q));
  }

  /** Shows an instrument as chosen and tells the console. */
  choose(instrument) {
    this.current = instrument;
    this.render();
    this.onChoose(instrument);
  }

  onKey(e) {
    if (e.key === 'Enter') {
      e.preventDefault();
      const shown = this.instruments.find((i) => i.symbol === this.select.value) || this.matches()[0];
      if (shown && shown !== this.current) this.choose(shown);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      this.select.focus();
    } else if (e.key === 'Escape' && this.search.value) {
      e.preventDefault();
      this.search.value = '';
      this.render();
    }
  }

  /**
   * The list of matches. When the chosen instrument is filtered out, a first placeholder option says
   * how many match, so the list never shows an instrument that is not the one on screen.
   */
  render() {
    const matches = this.matches();
    const options = matches.map((i) => el('option', { value: i.symbol }, `${i.symbol} ${i.name}`));
    const currentShown = this.current && matches.includes(this.current);
    if (!currentShown) {
      options.unshift(el('option', { value: '', disabled: true }, matches.length ? t('picker.matches', { n: matches.length })
        : t('picker.none', { q: this.search.value.trim() })));
    }
    this.select.replaceChildren(...options);
    this.select.value = currentShown ? this.current.symbol : '';
    if (!currentShown) this.select.selectedIndex = 0;
    this.count.textContent = matches.length ? t('picker.count', { n: matches.length, total: this.instruments.length })
      : t('picker.none', { q: this.search.value.trim() });
  }
}
