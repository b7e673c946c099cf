// The portal's page for an address with no page (served with status 404 to browsers).
import { register, start } from '/assets/app.js';

register({
  en: {
    'notfound.title': 'Page not found', 'notfound.text': 'There is no portal page at this address. These are:',
    'notfound.home': 'Home: quick start and status', 'notfound.docs': 'API docs (REST and streams)',
    'notfound.guides': 'Guides: REST, WebSocket, SDKs, FIX 4.4', 'notfound.keys': 'Your API keys',
    'notfound.api': 'API paths start with /v1/ and answer JSON errors.',
  },
  zh: {
    'notfound.title': '页面不存在', 'notfound.text': '此地址没有门户页面。可以访问：',
    'notfound.home': '首页：快速上手与服务状态', 'notfound.docs': 'API 文档（REST 与推送流）',
    'notfound.guides': '指南：REST、WebSocket、SDK、FIX 4.4', 'notfound.keys': '我的 API 密钥',
    'notfound.api': 'API 路径以 /v1/ 开头，错误以 JSON 返回。',
  },
});

start();
