import { register, start, t, onLanguageChange } from '/assets/app.js';

register({
  en: {
    'home.title': 'OpenTrade', 'home.tagline': 'An open trading cloud: market data and trading against a sandbox exchange, over REST, WebSocket and FIX 4.4.',
    'home.signup': 'Sign up and get a key', 'home.docs': 'Read the API docs', 'home.console': 'Open the sandbox console',
    'home.contract': 'API contract', 'home.contract.text': 'Every endpoint, parameter and error is described in the OpenAPI document; the streams in the AsyncAPI one:',
    'home.errors': 'Errors always have the form', 'home.quickstart': 'Quick start', 'home.qs.signup': 'Sign up:',
    'home.qs.login': 'Log in for a session (valid 15 minutes):', 'home.qs.key': 'Create an API key (the secret is shown once):',
    'home.qs.call': "Call the API and read your request's trace:", 'home.guides': 'Guides', 'home.status': 'Status',
    'home.status.text': 'Service status:', 'home.ready': 'ready', 'home.notready': 'not ready (HTTP {status})', 'home.unreachable': 'unreachable',
  },
  zh: {
    'home.title': 'OpenTrade 开放交易云', 'home.tagline': '开放交易云：通过 REST、WebSocket 和 FIX 4.4 访问沙盒交易所的行情与交易。',
    'home.signup': '注册并获取密钥', 'home.docs': '阅读 API 文档', 'home.console': '打开沙盒控制台',
    'home.contract': 'API 契约', 'home.contract.text': '每个接口、参数和错误都在 OpenAPI 文档中描述；推送流在 AsyncAPI 文档中：',
    'home.errors': '错误的格式始终为', 'home.quickstart': '快速开始', 'home.qs.signup': '注册：',
    'home.qs.login': '登录获取会话（15 分钟有效）：', 'home.qs.key': '创建 API 密钥（密钥只显示一次）：',
    'home.qs.call': '调用 API 并查看该请求的调用链：', 'home.guides': '指南', 'home.status': '状态',
    'home.status.text': '服务状态：', 'home.ready': '就绪', 'home.notready': '未就绪（HTTP {status}）', 'home.unreachable': '无法连接',
  },
});

let readyState = null;

function showReady() {
  const node = document.getElementById('ready');
  if (readyState === null) return;
  node.textContent = readyState === 'unreachable' ? t('home.unreachable')
    : readyState === 200 ? t('home.ready') : t('home.notready', { status: readyState });
}

start();
document.querySelectorAll('.origin').forEach((n) => { n.textContent = location.origin; });
fetch('/ready').then((r) => { readyState = r.status; showReady(); }).catch(() => { readyState = 'unreachable'; showReady(); });
onLanguageChange(showReady);
