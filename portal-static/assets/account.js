// The account page: sign up, log in (then back to where the visitor came from: ?next=), set a new
// password with an administrator's reset token; logged in: the developer's account from
// GET /v1/developers/me, a password change, and log-out everywhere.
import { api, el, logOut, register, session, showStatus, start, t, onLanguageChange, renderShell } from '/assets/app.js';

register({
  en: {
    'account.title': 'Your developer account', 'account.me': 'Logged in', 'account.loggedInAs': 'Logged in as',
    'account.toKeys': 'Manage API keys', 'account.toUsage': 'See usage and limits',
    'account.login': 'Log in', 'account.signup': 'Sign up', 'account.email': 'Email', 'account.password': 'Password',
    'account.name': 'Name', 'account.passwordHint': 'At least 10 characters.', 'account.loginButton': 'Log in',
    'account.signupButton': 'Create account', 'account.working': 'Working…',
    'account.signedUp': 'Account created for {email}. Log in with your password.',
    'account.missing': 'Please fill in every field.', 'account.shortPassword': 'The password needs at least 10 characters.',
    'account.loggedOut': 'You are logged out.', 'account.loginFirst': 'Log in to continue.',
    'account.id': 'Developer id', 'account.plan': 'Plan', 'account.created': 'Created', 'account.suspended': 'Suspended',
    'account.yes': 'yes', 'account.no': 'no', 'account.sessionEnds': 'Session ends',
    'account.logoutEverywhere': 'Log out everywhere', 'account.loggedOutEverywhere': 'Every session of yours has ended, here and elsewhere.',
    'account.changePassword': 'Change password', 'account.currentPassword': 'Current password',
    'account.newPassword': 'New password', 'account.newPasswordHint': 'At least 10 characters. Your other sessions end.',
    'account.changePasswordButton': 'Change password', 'account.samePassword': 'The new password must differ from the current one.',
    'account.passwordChanged': 'Password changed. Your other sessions have ended.',
    'account.reset': 'Reset your password', 'account.resetHint': "With a reset token from your broker's administrator (valid for an hour, once).",
    'account.resetToken': 'Reset token', 'account.resetButton': 'Set the new password',
    'account.passwordReset': 'Password set for {email}. Log in with it.',
    'account.forgot': 'Forgot your password? Ask your administrator for a reset token.',
  },
  zh: {
    'account.title': '开发者账户', 'account.me': '已登录', 'account.loggedInAs': '当前登录：',
    'account.toKeys': '管理 API 密钥', 'account.toUsage': '查看用量与限额',
    'account.login': '登录', 'account.signup': '注册', 'account.email': '邮箱', 'account.password': '密码',
    'account.name': '姓名', 'account.passwordHint': '至少 10 个字符。', 'account.loginButton': '登录',
    'account.signupButton': '创建账户', 'account.working': '处理中…',
    'account.signedUp': '已为 {email} 创建账户，请用密码登录。',
    'account.missing': '请填写所有字段。', 'account.shortPassword': '密码至少需要 10 个字符。',
    'account.loggedOut': '您已退出登录。', 'account.loginFirst': '请先登录。',
    'account.id': '开发者 ID', 'account.plan': '套餐', 'account.created': '创建时间', 'account.suspended': '已停用',
    'account.yes': '是', 'account.no': '否', 'account.sessionEnds': '会话到期',
    'account.logoutEverywhere': '退出所有会话', 'account.loggedOutEverywhere': '您在此处及其他地方的所有会话均已结束。',
    'account.changePassword': '修改密码', 'account.currentPassword': '当前密码',
    'account.newPassword': '新密码', 'account.newPasswordHint': '至少 10 个字符。您的其他会话将结束。',
    'account.changePasswordButton': '修改密码', 'account.samePassword': '新密码不能与当前密码相同。',
    'account.passwordChanged': '密码已修改，您的其他会话已结束。',
    'account.reset': '重置密码', 'account.resetHint': '使用券商管理员提供的重置令牌（一小时内有效，仅可使用一次）。',
    'account.resetToken': '重置令牌', 'account.resetButton': '设置新密码',
    'account.passwordReset': '已为 {email} 设置新密码，请用它登录。',
    'account.forgot': '忘记密码？请向管理员索取重置令牌。',
  },
});

/**
 * Where to go after logging in: ?next= only when it is a path on this origin. Anything else (another
 * origin, a scheme-relative //host, a /\host that browsers read as //host, control characters the
 * URL parser drops, dot segments that leave //host once resolved) is refused, so the page cannot be used as an open redirect.
 */
export function safeNext(raw) {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return null;
  let url;
  try { url = new URL(raw, location.origin); } catch (e) { return null; }
  if (url.origin !== location.origin) return null;
  // The parser drops dot segments: /.//evil.example and /..//evil.example have the path //evil.example, which
  // location.assign reads as another host.
  if (url.pathname.startsWith('//') || url.pathname.startsWith('/\\')) return null;
  return url.pathname + url.search + url.hash;
}

const next = safeNext(new URLSearchParams(location.search).get('next'));
let developer = null; // the last GET /v1/developers/me answer, drawn again on a language change

function when(iso) {
  return iso ? new Date(iso).toLocaleString(document.documentElement.lang || 'en') : '';
}

function drawMe() {
  const s = session.get();
  document.getElementById('me').hidden = !s;
  document.getElementById('forms').hidden = !!s;
  if (!s) return;
  document.getElementById('me-email').textContent = (developer && developer.email) || s.email || s.developerId;
  const facts = [['account.id', s.developerId], ['account.sessionEnds', when(new Date(s.expiresAt).toISOString())]];
  if (developer) {
    facts.splice(1, 0, ['account.name', developer.name], ['account.plan', developer.plan],
      ['account.suspended', t(developer.suspended ? 'account.yes' : 'account.no')],
      ['account.created', when(developer.created_at)]);
  }
  document.getElementById('me-details').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, t(k)), el('dd', {}, v)]));
}

async function loadMe() {
  drawMe();
  if (!session.get()) return;
  try {
    developer = (await api('GET', '/v1/developers/me')).body;
    drawMe();
  } catch (e) {
    showStatus(document.getElementById('account-status'), e, true);
    if (!session.get()) { renderShell(); drawMe(); } // the session ended (-2011/-2012): back to the forms
  }
}

function field(id) { return document.getElementById(id).value; }

/** Runs a form's request with its button disabled, showing errors (with error_no) in its status line. */
async function submitting(form, status, work) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  showStatus(status, t('account.working'));
  try {
    await work();
  } catch (e) {
    showStatus(status, e, true);
  } finally {
    button.disabled = false;
  }
}

document.getElementById('signup-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const status = document.getElementById('signup-status');
  const body = { name: field('signup-name').trim(), email: field('signup-email').trim(), password: field('signup-password') };
  if (!body.name || !body.email || !body.password) { showStatus(status, t('account.missing'), true); return; }
  if (body.password.length < 10) { showStatus(status, t('account.shortPassword'), true); return; }
  submitting(ev.target, status, async () => {
    await api('POST', '/v1/developers', body);
    showStatus(status, t('account.signedUp', { email: body.email }));
    ev.target.reset();
    document.getElementById('login-email').value = body.email;
    document.getElementById('login-password').focus();
  });
});

document.getElementById('login-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const status = document.getElementById('login-status');
  const body = { email: field('login-email').trim(), password: field('login-password') };
  if (!body.email || !body.password) { showStatus(status, t('account.missing'), true); return; }
  submitting(ev.target, status, async () => {
    const s = (await api('POST', '/v1/sessions', body)).body;
    session.set(s.token, s.developer_id, s.expires_in, body.email);
    ev.target.reset();
    showStatus(status, '');
    if (next) { location.assign(next); return; }
    renderShell();
    await loadMe();
    document.getElementById('me-title').focus();
  });
});

document.getElementById('password-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const status = document.getElementById('password-status');
  const body = { current_password: field('password-current'), new_password: field('password-new') };
  if (!body.current_password || !body.new_password) { showStatus(status, t('account.missing'), true); return; }
  if (body.new_password.length < 10) { showStatus(status, t('account.shortPassword'), true); return; }
  if (body.new_password === body.current_password) { showStatus(status, t('account.samePassword'), true); return; }
  submitting(ev.target, status, async () => {
    const before = session.get();
    const s = (await api('PUT', '/v1/developers/me/password', body)).body;
    // The answer is the session to go on with: every earlier one, this page's included, has ended.
    session.set(s.token, s.developer_id, s.expires_in, before && before.email);
    ev.target.reset();
    drawMe();
    showStatus(status, t('account.passwordChanged'));
  });
});

document.getElementById('reset-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const status = document.getElementById('reset-status');
  const body = { reset_token: field('reset-token').trim(), new_password: field('reset-password') };
  if (!body.reset_token || !body.new_password) { showStatus(status, t('account.missing'), true); return; }
  if (body.new_password.length < 10) { showStatus(status, t('account.shortPassword'), true); return; }
  submitting(ev.target, status, async () => {
    const dev = (await api('POST', '/v1/developers/password-reset', body)).body;
    ev.target.reset();
    showStatus(status, t('account.passwordReset', { email: dev.email }));
    document.getElementById('login-email').value = dev.email;
    document.getElementById('login-password').focus();
  });
});

document.getElementById('me-logout-everywhere').addEventListener('click', async (ev) => {
  const button = ev.currentTarget;
  const status = document.getElementById('account-status');
  button.disabled = true;
  try {
    await api('DELETE', '/v1/sessions');
    session.clear();
    developer = null;
    renderShell();
    drawMe();
    showStatus(status, t('account.loggedOutEverywhere'));
    document.getElementById('login-email').focus();
  } catch (e) {
    showStatus(status, e, true);
    if (!session.get()) { renderShell(); drawMe(); }
  } finally {
    button.disabled = false;
  }
});

document.getElementById('me-logout').addEventListener('click', async () => {
  await logOut();
  developer = null;
  renderShell();
  drawMe();
  showStatus(document.getElementById('account-status'), t('account.loggedOut'));
  document.getElementById('login-email').focus();
});

start();
document.getElementById('me-title').setAttribute('tabindex', '-1');
if (next && !session.get()) showStatus(document.getElementById('account-status'), t('account.loginFirst'));
if (next && session.get()) location.replace(next);
else loadMe();
onLanguageChange(drawMe);
