// The portal's shared module: the session, the API client, the page shell (navigation, language
// switch) and translation. Every page is static HTML plus one module of its own that imports this.
// The Content-Security-Policy allows scripts from this origin only: no inline script, no eval.

const SESSION_KEY = 'opentrade.session'; // sessionStorage: gone when the browser session ends
const LANG_KEY = 'opentrade.lang';       // localStorage: only the language, never a credential

/** The portal session (a JWT from POST /v1/sessions), kept for this browser session only. */
export const session = {
  get() {
    try {
      const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
      if (s && s.token && s.expiresAt > Date.now()) return s;
    } catch (e) { /* a damaged entry is no session */ }
    return null;
  },
  token() { const s = session.get(); return s ? s.token : null; },
  set(token, developerId, expiresInSeconds, email) {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token, developerId, email,
      expiresAt: Date.now() + expiresInSeconds * 1000, lifetime: expiresInSeconds * 1000 }));
    scheduleRefresh();
  },
  clear() { sessionStorage.removeItem(SESSION_KEY); clearTimeout(refreshTimer); },
};

/**
 * Logs this session out: the gateway ends it (and its refreshes) on every gateway, then this browser forgets
 * it. A session that already ended, or a gateway out of reach, still leaves the browser logged out.
 */
export async function logOut() {
  if (session.get()) {
    try { await api('DELETE', '/v1/sessions/current'); } catch (e) { /* ended already, or unreachable */ }
  }
  session.clear();
}

/**
 * Keeps the session while a page is open: a refresh (POST /v1/sessions/refresh) when a third of the token's
 * life is left (5 of 15 minutes). The gateway never extends a session past its maximum age from the log-in
 * (12 h): a refresh that no longer extends it is the last, and the session then ends as it would have.
 */
let refreshTimer = null;
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  const s = session.get();
  if (!s) return;
  const lifetime = s.lifetime || (s.expiresAt - Date.now());
  refreshTimer = setTimeout(refreshSession, Math.max(1000, s.expiresAt - Date.now() - lifetime / 3));
}

async function refreshSession() {
  const s = session.get();
  if (!s) return;
  try {
    const r = (await api('POST', '/v1/sessions/refresh')).body;
    if (Date.now() + r.expires_in * 1000 <= s.expiresAt + 1000) {
      // At the session's maximum age: keep the token, schedule nothing more.
      return;
    }
    session.set(r.token, r.developer_id, r.expires_in, s.email);
  } catch (e) {
    // Ended (-2011/-2012: api() cleared it, and a page that needs it goes to log in) or unreachable: try
    // again in a minute while some of the token's life is left.
    const left = session.get();
    if (left) refreshTimer = setTimeout(refreshSession, Math.min(60000, Math.max(1000, left.expiresAt - Date.now() - 1000)));
  }
}

/** An answer in the error model: {error, error_no, trace_id}, with the HTTP status. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : 'HTTP ' + status);
    this.status = status;
    this.errorNo = body && body.error_no;
    this.traceId = body && body.trace_id;
    this.body = body;
  }
}

/** Set by requireSession(): this page works only with a session, so one that ends sends the visitor to log in. */
let sessionPage = false;

/** To the log-in page, and back here after it (account.js honours ?next=). */
function toLogIn() {
  location.assign('/account.html?next=' + encodeURIComponent(location.pathname + location.search));
}

/** Session errors: no credentials (-2001), the session expired (-2011) or its token is not valid (-2012). */
const SESSION_ENDED = [-2001, -2011, -2012];

/**
 * Calls the gateway with the portal session (if any). Resolves to {status, body, traceId, headers};
 * rejects with an ApiError for a 4xx/5xx, with retryAfter (seconds, from Retry-After) and traceable
 * (false when the trace cannot be viewed: the request carried no accepted credential, so the trace is
 * nobody's). When the session ends (expired here, or refused with -2011/-2012) the session is cleared,
 * and on a page that needs one the visitor is sent to log in (a polling page stops with it).
 */
export async function api(method, path, body, extraHeaders) {
  const headers = Object.assign({ Accept: 'application/json' }, extraHeaders || {});
  const bySession = !headers.Authorization && !headers['X-API-Key'];
  const token = session.token();
  if (bySession && token) headers.Authorization = 'Bearer ' + token;
  if (bySession && !token && sessionPage) {
    session.clear();
    toLogIn();
    throw new ApiError(401, { error: t('status.sessionEnded'), error_no: -2011 });
  }
  const init = { method, headers };
  if (body !== undefined && body !== null) {
    headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  const traceId = res.headers.get('X-Trace-Id');
  if (!res.ok) {
    const err = new ApiError(res.status, json || { error: text || res.statusText, trace_id: traceId });
    const wait = Number(res.headers.get('Retry-After'));
    err.retryAfter = Number.isInteger(wait) && wait > 0 ? wait : null;
    err.traceable = !!headers.Authorization || !!headers['X-API-Key'];
    if (res.status === 401) {
      err.traceable = false;
      if (bySession && token && SESSION_ENDED.includes(err.errorNo)) {
        session.clear();
        if (sessionPage) toLogIn();
      }
    }
    throw err;
  }
  return { status: res.status, body: json, traceId, headers: res.headers };
}

/**
 * Builds an element without HTML parsing: attributes (on* handlers are refused, use addEventListener)
 * and children (strings become text nodes, so user data is never markup).
 */
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) throw new Error('use addEventListener, not ' + k);
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// ---------------------------------------------------------------- translation

const dictionaries = { en: {}, zh: {} };

/** Adds a page's strings: {en: {key: text}, zh: {key: text}}. */
export function register(dict) {
  for (const lang of Object.keys(dictionaries)) Object.assign(dictionaries[lang], dict[lang] || {});
}

export function lang() {
  const l = localStorage.getItem(LANG_KEY);
  return l === 'zh' || l === 'en' ? l : (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The text for a key in the current language ({name} placeholders filled from vars). */
export function t(key, vars) {
  const text = dictionaries[lang()][key] ?? dictionaries.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (vars && name in vars ? String(vars[name]) : m));
}

/** Translates [data-i18n] (text), [data-i18n-placeholder], [data-i18n-aria-label], [data-i18n-title]. */
export function translate(root) {
  const r = root || document;
  r.querySelectorAll('[data-i18n]').forEach((n) => { n.textContent = t(n.dataset.i18n); });
  r.querySelectorAll('[data-i18n-placeholder]').forEach((n) => { n.placeholder = t(n.dataset.i18nPlaceholder); });
  r.querySelectorAll('[data-i18n-aria-label]').forEach((n) => { n.setAttribute('aria-label', t(n.dataset.i18nAriaLabel)); });
  r.querySelectorAll('[data-i18n-title]').forEach((n) => { n.title = t(n.dataset.i18nTitle); });
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
}

const languageListeners = [];

/** Called after the language changes (pages re-render what they drew from data). */
export function onLanguageChange(fn) { languageListeners.push(fn); }

export function setLang(l) {
  localStorage.setItem(LANG_KEY, l);
  translate();
  renderShell();
  languageListeners.forEach((fn) => fn(l));
}

// ---------------------------------------------------------------- the shell

const NAV = [
  ['/', 'nav.home'], ['/docs.html', 'nav.docs'], ['/keys.html', 'nav.keys'], ['/usage.html', 'nav.usage'],
  ['/console.html', 'nav.console'], ['/trace.html', 'nav.traces'],
];

/** Draws the header: navigation, the session, the language switch. Idempotent. */
export function renderShell() {
  const header = document.getElementById('shell');
  if (!header) return;
  const s = session.get();
  const here = location.pathname === '/index.html' ? '/' : location.pathname;
  const nav = el('nav', { 'aria-label': t('nav.label') }, el('ul', {}, NAV.map(([href, key]) =>
    el('li', {}, el('a', { href, 'aria-current': href === here ? 'page' : null }, t(key))))));
  const who = s
    ? el('span', { class: 'who' }, el('span', { id: 'who-email' }, s.email || s.developerId), ' ',
      el('button', { type: 'button', id: 'logout', class: 'link' }, t('nav.logout')))
    : el('a', { href: '/account.html', id: 'login-link' }, t('nav.login'));
  const switcher = el('select', { id: 'lang', 'aria-label': t('nav.language') },
    el('option', { value: 'en', selected: lang() === 'en' }, 'English'),
    el('option', { value: 'zh', selected: lang() === 'zh' }, '简体中文'));
  switcher.addEventListener('change', () => setLang(switcher.value));
  header.replaceChildren(el('a', { href: '/', class: 'brand' }, 'OpenTrade'), nav, el('div', { class: 'tools' }, who, switcher));
  const logout = document.getElementById('logout');
  if (logout) {
    logout.addEventListener('click', async () => { await logOut(); location.href = '/account.html'; });
  }
}

/**
 * A status line for a page: role=status, so screen readers hear it. Errors show how long to wait when the
 * answer said (Retry-After) and a link to their trace when the caller may view it.
 */
export function showStatus(node, message, isError) {
  node.replaceChildren();
  node.classList.toggle('error', !!isError);
  if (message instanceof ApiError) {
    node.append(el('span', {}, '[' + (message.errorNo ?? message.status) + '] ' + message.message));
    if (message.retryAfter) node.append(' ', el('span', { class: 'retry' }, t('status.retryAfter', { s: message.retryAfter })));
    if (message.traceId && message.traceable !== false) {
      node.append(' ', el('a', { href: '/trace.html?id=' + encodeURIComponent(message.traceId) }, t('status.trace')));
    }
  } else {
    node.append(String(message));
  }
}

/** For pages that need a session: sends the visitor to log in (and back) when there is none. */
export function requireSession() {
  sessionPage = true;
  if (!session.get()) {
    location.href = '/account.html?next=' + encodeURIComponent(location.pathname + location.search);
    return false;
  }
  return true;
}

register({
  en: {
    'nav.label': 'Portal', 'nav.home': 'Home', 'nav.docs': 'Docs', 'nav.keys': 'API keys', 'nav.usage': 'Usage',
    'nav.console': 'Sandbox console', 'nav.traces': 'Traces', 'nav.login': 'Log in', 'nav.logout': 'Log out',
    'nav.language': 'Language', 'status.trace': 'see its trace',
    'status.retryAfter': '(try again in {s} s)', 'status.sessionEnded': 'your session ended: log in again',
  },
  zh: {
    'nav.label': '门户', 'nav.home': '首页', 'nav.docs': '文档', 'nav.keys': 'API 密钥', 'nav.usage': '用量',
    'nav.console': '沙盒控制台', 'nav.traces': '调用链', 'nav.login': '登录', 'nav.logout': '退出',
    'nav.language': '语言', 'status.trace': '查看调用链',
    'status.retryAfter': '（{s} 秒后重试）', 'status.sessionEnded': '会话已结束，请重新登录',
  },
});

// ---------------------------------------------------------------- scrollable regions

const SCROLLABLE = 'pre, table, .scroll, .trades-panel, .key-list, [data-scrollable]';

/**
 * Makes every region that scrolls (a long code block or table on a phone, a trades list) reachable by
 * keyboard (tabindex 0), and only those: keyboard users can then scroll it (WCAG 2.1.1).
 */
function focusScrollables() {
  document.querySelectorAll(SCROLLABLE).forEach((n) => {
    const scrolls = n.scrollWidth > n.clientWidth + 1 || n.scrollHeight > n.clientHeight + 1;
    if (scrolls && !n.hasAttribute('tabindex')) {
      n.tabIndex = 0;
      n.dataset.scrollFocus = '';
    } else if (!scrolls && 'scrollFocus' in n.dataset) {
      n.removeAttribute('tabindex');
      delete n.dataset.scrollFocus;
    }
  });
}

let scrollCheck = 0;
function scheduleScrollCheck() {
  if (!scrollCheck) scrollCheck = requestAnimationFrame(() => { scrollCheck = 0; focusScrollables(); });
}

/** Every page's start: the shell, the translation of its static text, keyboard access to scrolling regions. */
export function start() {
  scheduleRefresh();
  renderShell();
  translate();
  scheduleScrollCheck();
  window.addEventListener('resize', scheduleScrollCheck);
  new MutationObserver(scheduleScrollCheck).observe(document.body, { childList: true, subtree: true });
}
