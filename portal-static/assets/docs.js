// The docs page: Swagger UI renders the OpenAPI contract (try-it with the portal session or a pasted
// key), the AsyncAPI renderer the streams (at build time: see renderStreams); tabs between them and
// the guides. Swagger UI is a classic script loaded (deferred) before this module: SwaggerUIBundle.
import { register, start, t, session, onLanguageChange } from '/assets/app.js';

register({
  en: {
    'docs.title': 'API documentation', 'docs.intro': 'Rendered from the contract this server serves:',
    'docs.tabs': 'API documentation', 'docs.tab.rest': 'REST (OpenAPI)', 'docs.tab.streams': 'Streams (AsyncAPI)',
    'docs.tab.guides': 'Guides', 'docs.loading': 'Loading the contract…',
    'docs.load.failed': 'The contract could not be rendered: {reason}',
    'docs.try.session': 'Try it out sends your portal session ({who}) as Authorization: Bearer, unless you authorize with a key.',
    'docs.try.nosession': 'Log in to try the API with your session (no key needed).',
    'docs.try.login': 'Log in',
    'docs.try.key': 'Or use an API key: press Authorize and paste its id (X-API-Key) and secret (X-API-Secret). They stay in this page only and are forgotten when you leave it.',
    'docs.streams.intro': 'Two WebSocket streams: market data and your own orders and fills. Browsers cannot set headers on a WebSocket: send an auth frame first.',
    'docs.streams.guide': 'Read the WebSocket guide: subscribe, resume, epoch, snapshots, heartbeats',
    'docs.guide.rest': 'REST', 'docs.guide.rest.text': 'Credentials, errors, rate limits, idempotency, pagination, tracing; the curl quick start.',
    'docs.guide.ws': 'WebSocket streams', 'docs.guide.ws.text': 'The auth frame, subscribe and resume with seq and epoch, snapshots, heartbeats, limits.',
    'docs.guide.sdk': 'Java and Python SDKs', 'docs.guide.sdk.text': 'Install, place an order, follow the order stream.',
    'docs.guide.fix': 'FIX 4.4', 'docs.guide.fix.text': 'Logon with an API key, orders, market data, a QuickFIX/J initiator.',
    'docs.guide.tested': "Every example in the guides is a quick start of the repository's README, which the test suite runs.",
  },
  zh: {
    'docs.title': 'API 文档', 'docs.intro': '由本服务器提供的契约渲染而成：',
    'docs.tabs': 'API 文档', 'docs.tab.rest': 'REST（OpenAPI）', 'docs.tab.streams': '推送流（AsyncAPI）',
    'docs.tab.guides': '指南', 'docs.loading': '正在加载契约…',
    'docs.load.failed': '无法渲染契约：{reason}',
    'docs.try.session': '“Try it out” 会以 Authorization: Bearer 发送您的门户会话（{who}），除非您用密钥授权。',
    'docs.try.nosession': '登录后即可用您的会话试用 API（无需密钥）。',
    'docs.try.login': '登录',
    'docs.try.key': '也可以使用 API 密钥：点击 Authorize，粘贴密钥 ID（X-API-Key）和密钥（X-API-Secret）。它们只保存在本页面中，离开页面即被清除。',
    'docs.streams.intro': '两个 WebSocket 推送流：行情数据，以及您自己的订单和成交。浏览器无法为 WebSocket 设置请求头：请先发送 auth 帧。',
    'docs.streams.guide': '阅读 WebSocket 指南：订阅、续传、epoch、快照、心跳',
    'docs.guide.rest': 'REST', 'docs.guide.rest.text': '凭证、错误、限流、幂等、分页、调用链；curl 快速开始。',
    'docs.guide.ws': 'WebSocket 推送流', 'docs.guide.ws.text': 'auth 帧，用 seq 和 epoch 订阅与续传，快照，心跳，限制。',
    'docs.guide.sdk': 'Java 和 Python SDK', 'docs.guide.sdk.text': '安装、下单、跟踪订单推送流。',
    'docs.guide.fix': 'FIX 4.4', 'docs.guide.fix.text': '用 API 密钥登录、订单、行情、QuickFIX/J 发起方配置。',
    'docs.guide.tested': '指南中的每个示例都是仓库 README 中的快速开始，并由测试套件实际运行。',
  },
});

// ---------------------------------------------------------------- tabs

const TABS = ['rest', 'streams', 'guides'];

/** The tab to show for a location hash: a tab's name, or the panel holding the element it names. */
function tabFor(hash) {
  if (TABS.includes(hash)) return hash;
  if (hash.startsWith('streams')) return 'streams'; // the AsyncAPI fragment's ids (loaded with its tab)
  const target = hash && document.getElementById(hash);
  const panel = target && target.closest('[role="tabpanel"]');
  return panel ? panel.id.replace('panel-', '') : 'rest';
}

function showTab(name, focus) {
  const tab = tabFor(name);
  for (const n of TABS) {
    const button = document.getElementById('tab-' + n);
    const selected = n === tab;
    button.setAttribute('aria-selected', String(selected));
    button.tabIndex = selected ? 0 : -1;
    document.getElementById('panel-' + n).hidden = !selected;
    if (selected && focus) button.focus();
  }
  if (tab === 'streams') renderStreams();
  if (tabFor(location.hash.slice(1)) !== tab) history.replaceState(null, '', '#' + tab);
}

function wireTabs() {
  document.querySelectorAll('[role="tab"]').forEach((button) => {
    button.addEventListener('click', () => showTab(button.dataset.tab, false));
    // The WAI-ARIA tabs pattern: arrows, Home and End move between tabs.
    button.addEventListener('keydown', (e) => {
      const i = TABS.indexOf(button.dataset.tab);
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      showTab(TABS[(next + TABS.length) % TABS.length], true);
    });
  });
  window.addEventListener('hashchange', () => showTab(location.hash.slice(1), false));
}

// ---------------------------------------------------------------- REST: Swagger UI

function showTrySession() {
  const node = document.getElementById('try-session');
  const s = session.get();
  if (s) {
    node.textContent = t('docs.try.session', { who: s.email || s.developerId });
  } else {
    const link = document.createElement('a');
    link.href = '/account.html?next=' + encodeURIComponent('/docs.html');
    link.textContent = t('docs.try.login');
    node.replaceChildren(t('docs.try.nosession') + ' ', link);
  }
}

/** True for a call to this server's API (not the contract file Swagger UI fetches first). */
function isApiCall(url) {
  const u = new URL(url, location.href);
  return u.origin === location.origin && u.pathname.startsWith('/v1/');
}

/**
 * Try-it with the developer's own credentials: a key pasted into Authorize wins; otherwise the
 * portal session, read at each call (so a log-in in another tab counts, an expired one is not sent).
 */
function withSession(request) {
  if (!isApiCall(request.url)) return request;
  const names = Object.keys(request.headers || {}).map((h) => h.toLowerCase());
  if (names.includes('authorization') || names.includes('x-api-key')) return request;
  const token = session.token();
  if (token) request.headers.Authorization = 'Bearer ' + token;
  return request;
}

/**
 * The contract names http://localhost:8080 (the default all-in-one); try-it must call the server
 * this page came from (the Content-Security-Policy allows no other origin anyway), so the parsed
 * document's servers are replaced by this origin before Swagger UI stores it, and so is its contact
 * link (the portal: this origin, not the default port's).
 */
function thisOriginServer() {
  return {
    statePlugins: {
      spec: {
        wrapActions: {
          updateJsonSpec: (original) => (json) => {
            if (json && typeof json === 'object' && json.openapi) {
              const info = json.info && json.info.contact
                ? Object.assign({}, json.info, { contact: Object.assign({}, json.info.contact, { url: location.origin + '/' }) })
                : json.info;
              json = Object.assign({}, json, { servers: [{ url: location.origin, description: 'This server' }], info });
            }
            return original(json);
          },
        },
      },
    },
  };
}

function renderRest() {
  const status = document.getElementById('rest-status');
  if (typeof window.SwaggerUIBundle !== 'function') {
    status.textContent = t('docs.load.failed', { reason: 'swagger-ui-bundle.js did not load' });
    status.classList.add('error');
    return;
  }
  window.SwaggerUIBundle({
    url: '/openapi/opentrade.yaml',
    dom_id: '#swagger-ui',
    plugins: [thisOriginServer],
    requestInterceptor: withSession,
    validatorUrl: null,            // no call to an outside validator (and its badge image)
    persistAuthorization: false,   // a pasted key secret is never written to local storage
    tryItOutEnabled: false,
    displayOperationId: true,
    defaultModelsExpandDepth: 0,
    docExpansion: 'list',
    filter: true,
    onComplete: () => { status.hidden = true; },
  });
}

// ---------------------------------------------------------------- Streams: AsyncAPI

/*
 * The AsyncAPI React component rendered the streams document at build time (build-vendor.sh): its
 * parser compiles validators with new Function as soon as it loads, which this page's CSP refuses.
 * The fragment is this server's own build output from the contract (no user data), parsed here
 * without running anything in it (DOMParser runs no scripts; the renderer emits none). Its
 * collapsible sections were React state: toggleSection and expandAll do their job.
 */
let streamsRendered = false;

/** The region a collapse button opens: the next sibling of the button's header, shown "block" or "hidden". */
function regionOf(button) {
  for (let n = button, depth = 0; n && depth < 4; n = n.parentElement, depth += 1) {
    const next = n.nextElementSibling;
    if (next && (next.classList.contains('hidden') || next.classList.contains('block'))) return next;
  }
  return null;
}

function setOpen(button, open) {
  const region = regionOf(button);
  if (!region) return;
  region.classList.toggle('hidden', !open);
  region.classList.toggle('block', open);
  button.setAttribute('aria-expanded', String(open));
  const chevron = button.querySelector('svg');
  if (chevron) chevron.classList.toggle('-rotate-90', open);
}

const isCollapseButton = (b) => b.classList.contains('focus:ring-2');
const isExpandAll = (b) => b.classList.contains('ml-1') && /^(Expand|Collapse) all$/.test(b.textContent);

function wireSections(root) {
  root.querySelectorAll('button').forEach((b) => {
    if (isCollapseButton(b) && regionOf(b)) b.setAttribute('aria-expanded', String(regionOf(b).classList.contains('block')));
  });
  root.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b || !root.contains(b)) return;
    if (isCollapseButton(b)) {
      setOpen(b, b.getAttribute('aria-expanded') !== 'true');
    } else if (isExpandAll(b)) {
      // The schema whose header holds this button: open (or close) it and everything inside.
      const schema = b.closest('.flex').parentElement;
      const open = b.textContent === 'Expand all';
      schema.querySelectorAll('button').forEach((inner) => {
        if (isCollapseButton(inner)) setOpen(inner, open);
        else if (isExpandAll(inner)) inner.textContent = open ? 'Collapse all' : 'Expand all';
      });
    }
  });
}

/** Fetched the first time its tab is shown: most visits read the REST docs only. */
function renderStreams() {
  if (streamsRendered) return;
  streamsRendered = true;
  const status = document.getElementById('streams-status');
  const target = document.getElementById('asyncapi');
  fetch('/openapi/opentrade-streams.asyncapi.html')
    .then((res) => {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.text();
    })
    .then((html) => {
      const parsed = new DOMParser().parseFromString(html, 'text/html');
      target.replaceChildren(...Array.from(parsed.body.childNodes, (n) => document.adoptNode(n)));
      wireSections(target);
      status.hidden = true;
      // A link into the fragment (#streams-...) opened before it was there: go to it now.
      const wanted = location.hash.length > 1 && document.getElementById(location.hash.slice(1));
      if (wanted) wanted.scrollIntoView();
    })
    .catch((e) => {
      status.textContent = t('docs.load.failed', { reason: e.message });
      status.classList.add('error');
    });
}

// ---------------------------------------------------------------- start

start();
wireTabs();
showTrySession();
onLanguageChange(showTrySession);
renderRest();
showTab(location.hash.slice(1), false);
