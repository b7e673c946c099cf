// The API keys page: the developer's keys (GET /v1/keys), create (POST /v1/keys), rotate with a grace
// period (POST /v1/keys/{id}/rotate), revoke with a confirming second click (DELETE /v1/keys/{id}) and set an
// active key's plan up to the developer's own (PUT /v1/keys/{id}/plan).
// A new secret is shown once, in a dialog, and lives only in this module's memory while the dialog is
// open: never in sessionStorage, localStorage, the URL or the key list; closing the dialog drops it.
import { api, el, register, requireSession, showStatus, start, t, onLanguageChange } from '/assets/app.js';

register({
  en: {
    'keys.title': 'API keys', 'keys.intro': 'Keys call the market and trading APIs. Send the key id as X-API-Key and its secret as X-API-Secret.',
    'keys.list': 'Your keys', 'keys.create': 'Create a key', 'keys.label': 'Label', 'keys.type': 'Type',
    'keys.type.secret': 'Secret (X-API-Secret)', 'keys.type.ed25519': 'Ed25519 (signed requests)', 'keys.plan': 'Plan',
    'keys.plan.mine': 'My plan', 'keys.expires': 'Expires (your local time; empty: never)', 'keys.scopes': 'Scopes',
    'keys.scope.market': 'market data and its stream', 'keys.scope.trade': 'paper trading and the order stream',
    'keys.scope.fix': 'FIX 4.4 logon', 'keys.cidrs': 'Allowed client addresses (CIDR, one per line; empty: any)',
    'keys.publicKey': 'Ed25519 public key (base64 of the X.509 DER encoding)', 'keys.createButton': 'Create key',
    'keys.col.label': 'Label', 'keys.col.id': 'Key id', 'keys.col.type': 'Type', 'keys.col.scopes': 'Scopes',
    'keys.col.plan': 'Plan', 'keys.col.cidrs': 'Allowed addresses', 'keys.col.expires': 'Expires',
    'keys.col.status': 'Status', 'keys.col.created': 'Created', 'keys.col.actions': 'Actions',
    'keys.none': 'No keys yet: create one below.', 'keys.noLabel': '(no label)', 'keys.anyAddress': 'any',
    'keys.never': 'never', 'keys.status.active': 'active', 'keys.status.revoked': 'revoked', 'keys.status.killed': 'killed by an administrator',
    'keys.previousValid': 'previous secret valid until {time}', 'keys.loading': 'Loading…',
    'keys.quota': '{used} of {max} keys in use on your {plan} plan (revoked keys do not count).',
    'keys.rotate': 'Rotate…', 'keys.rotateNow': 'Rotate now', 'keys.grace': 'Grace period for the old secret (seconds, 0–604800)',
    'keys.cancel': 'Cancel', 'keys.revoke': 'Revoke', 'keys.confirmRevoke': 'Confirm: revoke {id}',
    'keys.revoked': 'Key {id} is revoked.', 'keys.revokedOn': 'since {time}', 'keys.created': 'Key {id} created.', 'keys.working': 'Working…',
    'keys.planOf': 'Plan of {id}', 'keys.planSet': 'Key {id} is now on the {plan} plan.',
    'keys.noScope': 'Choose at least one scope.', 'keys.badExpiry': 'The expiry is not a valid date and time.',
    'keys.needPublicKey': 'An Ed25519 key needs its public key.', 'keys.badGrace': 'The grace period is a whole number of seconds from 0 to 604800.',
    'secret.title': 'Your new secret', 'secret.titleRotated': 'The new secret of {id}',
    'secret.warning': 'Copy it now: you will not see it again. OpenTrade keeps only a hash of it.',
    'secret.keyId': 'Key id (X-API-Key)', 'secret.secret': 'Secret (X-API-Secret)', 'secret.copy': 'Copy secret',
    'secret.copied': 'Copied to the clipboard.', 'secret.selected': 'The clipboard is not available: the secret is selected, press Ctrl+C (⌘C).',
    'secret.previous': 'The previous secret keeps working until {time}.', 'secret.previousEnded': 'The previous secret no longer works.',
    'secret.example': 'Try it:', 'secret.dismiss': 'I have stored it: close',
  },
  zh: {
    'keys.title': 'API 密钥', 'keys.intro': '密钥用于调用行情和交易 API：将密钥 ID 放在 X-API-Key，将密钥放在 X-API-Secret。',
    'keys.list': '我的密钥', 'keys.create': '创建密钥', 'keys.label': '名称', 'keys.type': '类型',
    'keys.type.secret': '共享密钥（X-API-Secret）', 'keys.type.ed25519': 'Ed25519（请求签名）', 'keys.plan': '套餐',
    'keys.plan.mine': '我的套餐', 'keys.expires': '过期时间（本地时间；留空表示永不过期）', 'keys.scopes': '权限范围',
    'keys.scope.market': '行情数据及行情推送', 'keys.scope.trade': '模拟交易及订单推送', 'keys.scope.fix': 'FIX 4.4 登录',
    'keys.cidrs': '允许的客户端地址（CIDR，每行一个；留空表示任意地址）',
    'keys.publicKey': 'Ed25519 公钥（X.509 DER 编码的 base64）', 'keys.createButton': '创建密钥',
    'keys.col.label': '名称', 'keys.col.id': '密钥 ID', 'keys.col.type': '类型', 'keys.col.scopes': '权限范围',
    'keys.col.plan': '套餐', 'keys.col.cidrs': '允许的地址', 'keys.col.expires': '过期时间',
    'keys.col.status': '状态', 'keys.col.created': '创建时间', 'keys.col.actions': '操作',
    'keys.none': '还没有密钥，请在下方创建。', 'keys.noLabel': '（无名称）', 'keys.anyAddress': '任意',
    'keys.never': '永不', 'keys.status.active': '有效', 'keys.status.revoked': '已吊销', 'keys.status.killed': '已被管理员禁用',
    'keys.previousValid': '旧密钥有效至 {time}', 'keys.loading': '加载中…',
    'keys.quota': '您的 {plan} 套餐已使用 {used} / {max} 个密钥（已吊销的不计）。',
    'keys.rotate': '轮换…', 'keys.rotateNow': '立即轮换', 'keys.grace': '旧密钥的宽限期（秒，0–604800）',
    'keys.cancel': '取消', 'keys.revoke': '吊销', 'keys.confirmRevoke': '确认吊销 {id}',
    'keys.revoked': '密钥 {id} 已吊销。', 'keys.revokedOn': '自 {time} 起', 'keys.created': '密钥 {id} 已创建。', 'keys.working': '处理中…',
    'keys.planOf': '{id} 的套餐', 'keys.planSet': '密钥 {id} 已改为 {plan} 套餐。',
    'keys.noScope': '请至少选择一个权限范围。', 'keys.badExpiry': '过期时间不是有效的日期时间。',
    'keys.needPublicKey': 'Ed25519 密钥需要提供公钥。', 'keys.badGrace': '宽限期须为 0 到 604800 之间的整数秒。',
    'secret.title': '新密钥', 'secret.titleRotated': '{id} 的新密钥',
    'secret.warning': '请立即复制：关闭后将无法再次查看。OpenTrade 只保存其哈希值。',
    'secret.keyId': '密钥 ID（X-API-Key）', 'secret.secret': '密钥（X-API-Secret）', 'secret.copy': '复制密钥',
    'secret.copied': '已复制到剪贴板。', 'secret.selected': '剪贴板不可用：密钥已选中，请按 Ctrl+C（⌘C）。',
    'secret.previous': '旧密钥在 {time} 之前仍然有效。', 'secret.previousEnded': '旧密钥已失效。',
    'secret.example': '试一试：', 'secret.dismiss': '我已保存，关闭',
  },
});

const PLANS = ['free', 'pro', 'partner'];
const MAX_GRACE = 604800;

let keys = null;             // the last GET /v1/keys answer (never holds a secret)
let limits = null;           // the last GET /v1/limits answer: quota and the developer's plan
const confirming = new Set(); // key ids whose revoke button waits for its confirming click
let rotating = null;         // the key id whose rotate form is open
let shown = null;            // the secret on screen: {key, secret}; dropped when the dialog closes

const status = () => document.getElementById('keys-status');

function when(iso) {
  return iso ? new Date(iso).toLocaleString(document.documentElement.lang || 'en') : '';
}

function timeEl(iso) {
  return el('time', { datetime: iso }, when(iso));
}

// ---------------------------------------------------------------- the list

async function load() {
  try {
    const [list, lim] = await Promise.all([api('GET', '/v1/keys'), api('GET', '/v1/limits')]);
    keys = list.body.keys || [];
    limits = lim.body;
    drawList();
    drawPlans();
  } catch (e) {
    showStatus(status(), e, true);
  }
}

function drawList() {
  const box = document.getElementById('key-list');
  if (keys === null) { box.replaceChildren(el('p', {}, t('keys.loading'))); return; }
  const quota = document.getElementById('quota');
  quota.textContent = limits ? t('keys.quota', {
    used: keys.filter((k) => k.status !== 'revoked').length, max: limits.max_keys, plan: limits.developer_plan,
  }) : '';
  if (keys.length === 0) { box.replaceChildren(el('p', { id: 'no-keys' }, t('keys.none'))); return; }
  const cols = ['label', 'id', 'type', 'scopes', 'plan', 'cidrs', 'expires', 'status', 'created', 'actions'];
  const head = el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col' }, t('keys.col.' + c)))));
  const body = el('tbody', {}, keys.flatMap((k) => rowsOf(k, cols)));
  box.replaceChildren(el('table', { id: 'keys-table', class: 'keys' }, el('caption', { class: 'visually-hidden' }, t('keys.list')), head, body));
}

function rowsOf(k, cols) {
  const cell = (col, ...content) => el('td', { 'data-label': t('keys.col.' + col), class: 'col-' + col }, ...content);
  const previous = k.previous_secret_valid_until && Date.parse(k.previous_secret_valid_until) > Date.now()
    ? el('span', { class: 'previous' }, t('keys.previousValid', { time: when(k.previous_secret_valid_until) })) : null;
  const row = el('tr', { 'data-key-id': k.key_id, class: 'status-' + k.status },
    cell('label', k.label ? el('span', { class: 'key-label' }, k.label) : el('span', { class: 'hint' }, t('keys.noLabel'))),
    cell('id', el('code', {}, k.key_id)),
    cell('type', k.type),
    cell('scopes', el('ul', { class: 'tags' }, k.scopes.map((s) => el('li', {}, s)))),
    cell('plan', planOf(k)),
    cell('cidrs', k.allowed_cidrs.length ? el('ul', { class: 'tags' }, k.allowed_cidrs.map((c) => el('li', {}, c))) : t('keys.anyAddress')),
    cell('expires', k.expires_at ? timeEl(k.expires_at) : t('keys.never')),
    cell('status', el('span', { class: 'key-status' }, t('keys.status.' + k.status)), previous ? el('br') : null, previous,
      k.revoked_at ? el('br') : null, k.revoked_at ? el('span', { class: 'revoked-at' }, t('keys.revokedOn', { time: when(k.revoked_at) })) : null),
    cell('created', timeEl(k.created_at)),
    cell('actions', actionsOf(k)));
  if (rotating !== k.key_id) return [row];
  return [row, el('tr', { class: 'rotate-row', 'data-rotate-for': k.key_id }, el('td', { colspan: cols.length }, rotateForm(k)))];
}

function actionsOf(k) {
  if (k.status !== 'active') return null;
  const box = el('div', { class: 'row-actions' });
  if (k.type === 'secret' && rotating !== k.key_id) {
    const rotate = el('button', { type: 'button', class: 'secondary rotate' }, t('keys.rotate'));
    rotate.addEventListener('click', () => { rotating = k.key_id; drawList(); focusIn(`[data-rotate-for="${CSS.escape(k.key_id)}"] input`); });
    box.append(rotate);
  }
  if (confirming.has(k.key_id)) {
    const yes = el('button', { type: 'button', class: 'danger confirm-revoke' }, t('keys.confirmRevoke', { id: k.key_id }));
    yes.addEventListener('click', () => revoke(k.key_id, yes));
    const no = el('button', { type: 'button', class: 'secondary cancel-revoke' }, t('keys.cancel'));
    no.addEventListener('click', () => { confirming.delete(k.key_id); drawList(); focusIn(rowOf(k.key_id) + ' button.revoke'); });
    box.append(yes, no);
  } else {
    const revokeButton = el('button', { type: 'button', class: 'secondary revoke' }, t('keys.revoke'));
    revokeButton.addEventListener('click', () => {
      confirming.add(k.key_id);
      drawList();
      focusIn(rowOf(k.key_id) + ' button.confirm-revoke');
    });
    box.append(revokeButton);
  }
  return box;
}

/**
 * An active key's plan as a choice of the plans up to the developer's own (PUT /v1/keys/{id}/plan), so a key
 * can follow a raise of the developer's plan; plain text when there is nothing to choose.
 */
function planOf(k) {
  const top = limits ? PLANS.indexOf(limits.developer_plan) : -1;
  const choices = PLANS.slice(0, top + 1);
  if (k.status !== 'active' || choices.length < 2 || !choices.includes(k.plan)) return k.plan;
  const select = el('select', { class: 'key-plan', 'aria-label': t('keys.planOf', { id: k.key_id }) },
    choices.map((p) => el('option', p === k.plan ? { value: p, selected: true } : { value: p }, p)));
  select.addEventListener('change', async () => {
    select.disabled = true;
    try {
      await api('PUT', '/v1/keys/' + encodeURIComponent(k.key_id) + '/plan', { plan: select.value });
      showStatus(status(), t('keys.planSet', { id: k.key_id, plan: select.value }));
      await load();
    } catch (e) {
      showStatus(status(), e, true);
      select.disabled = false;
      select.value = k.plan;
    }
  });
  return select;
}

/** The selector of a key's row (key ids are opaque: escaped, never pasted into CSS as they are). */
function rowOf(keyId) {
  return `[data-key-id="${CSS.escape(keyId)}"]`;
}

function focusIn(selector) {
  const n = document.querySelector(selector);
  if (n) n.focus();
}

function rotateForm(k) {
  const id = 'grace-' + k.key_id;
  const input = el('input', { id, type: 'number', min: 0, max: MAX_GRACE, step: 1, value: 86400, class: 'grace', inputmode: 'numeric' });
  const go = el('button', { type: 'submit', class: 'rotate-now' }, t('keys.rotateNow'));
  const cancel = el('button', { type: 'button', class: 'secondary' }, t('keys.cancel'));
  const line = el('p', { role: 'status', 'aria-live': 'polite', class: 'rotate-status' });
  const form = el('form', { class: 'rotate-form', novalidate: true }, el('label', { for: id }, t('keys.grace')), input, ' ', go, ' ', cancel, line);
  cancel.addEventListener('click', () => { rotating = null; drawList(); focusIn(rowOf(k.key_id) + ' button.rotate'); });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const grace = Number(input.value);
    if (input.value.trim() === '' || !Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE) {
      showStatus(line, t('keys.badGrace'), true);
      return;
    }
    go.disabled = true;
    try {
      const rotated = (await api('POST', '/v1/keys/' + encodeURIComponent(k.key_id) + '/rotate', { grace_seconds: grace })).body;
      rotating = null;
      showSecret(rotated, true);
      await load();
    } catch (e) {
      showStatus(line, e, true);
      go.disabled = false;
    }
  });
  return form;
}

async function revoke(keyId, button) {
  button.disabled = true;
  try {
    await api('DELETE', '/v1/keys/' + encodeURIComponent(keyId));
    confirming.delete(keyId);
    showStatus(status(), t('keys.revoked', { id: keyId }));
    await load();
  } catch (e) {
    showStatus(status(), e, true);
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- the secret, once

/** Shows a secret from a create or rotate answer. `answer` carries `secret`; only the dialog keeps it. */
function showSecret(answer, rotated) {
  shown = { key: answer.key_id, secret: answer.secret, rotated, previous: answer.previous_secret_valid_until };
  const dialog = document.getElementById('secret-dialog');
  drawSecret();
  if (!dialog.open) dialog.showModal();
  document.getElementById('secret-copy').focus();
}

function drawSecret() {
  const dialog = document.getElementById('secret-dialog');
  if (!shown) { dialog.replaceChildren(); return; }
  const copyStatus = el('p', { id: 'secret-copy-status', role: 'status', 'aria-live': 'polite' });
  const value = el('code', { id: 'secret-value', class: 'secret', tabindex: 0, 'aria-labelledby': 'secret-value-label' }, shown.secret);
  const copy = el('button', { type: 'button', id: 'secret-copy' }, t('secret.copy'));
  copy.addEventListener('click', () => copySecret(value, copyStatus));
  const dismiss = el('button', { type: 'button', id: 'secret-dismiss', class: 'secondary' }, t('secret.dismiss'));
  // Forget first: the dialog's close event comes a task later, and the secret must not outlive the click.
  dismiss.addEventListener('click', () => { forgetSecret(); dialog.close(); });
  let previous = null;
  if (shown.rotated) {
    previous = el('p', { id: 'secret-previous' }, shown.previous && Date.parse(shown.previous) > Date.now()
      ? t('secret.previous', { time: when(shown.previous) }) : t('secret.previousEnded'));
  }
  dialog.replaceChildren(...[
    el('h2', { id: 'secret-title' }, shown.rotated ? t('secret.titleRotated', { id: shown.key }) : t('secret.title')),
    el('p', { id: 'secret-warning', class: 'warning' }, el('strong', {}, t('secret.warning'))),
    el('p', {}, el('span', { class: 'field-name' }, t('secret.keyId')), ' ', el('code', { id: 'secret-key-id' }, shown.key)),
    el('p', {}, el('span', { class: 'field-name', id: 'secret-value-label' }, t('secret.secret'))),
    value,
    previous,
    el('p', { class: 'dialog-actions' }, copy, ' ', dismiss),
    copyStatus,
    el('p', {}, t('secret.example')),
    el('pre', {}, 'curl ' + location.origin + '/v1/limits -H "X-API-Key: ' + shown.key + '" -H "X-API-Secret: $SECRET"'),
  ].filter(Boolean));
}

/** The secret leaves the page and memory (idempotent: the dismiss button and the close event both call it). */
function forgetSecret() {
  shown = null;
  document.getElementById('secret-dialog').replaceChildren();
}

async function copySecret(value, line) {
  try {
    if (!navigator.clipboard || !window.isSecureContext) throw new Error('no clipboard');
    await navigator.clipboard.writeText(value.textContent);
    showStatus(line, t('secret.copied'));
  } catch (e) {
    // Headless browsers and plain-HTTP origins other than localhost have no clipboard: select the text instead.
    const selection = window.getSelection();
    selection.removeAllRanges();
    const range = document.createRange();
    range.selectNodeContents(value);
    selection.addRange(range);
    showStatus(line, t('secret.selected'));
  }
}

// ---------------------------------------------------------------- create

function drawPlans() {
  // Plans above the developer's own would be refused (-2020): offer them disabled.
  const top = limits ? PLANS.indexOf(limits.developer_plan) : PLANS.length - 1;
  document.querySelectorAll('#key-plan option').forEach((o) => {
    if (o.value) o.disabled = PLANS.indexOf(o.value) > top;
  });
}

function createBody() {
  const type = document.getElementById('key-type').value;
  const body = { type, scopes: [...document.querySelectorAll('input[name=scopes]:checked')].map((c) => c.value) };
  const label = document.getElementById('key-label').value.trim();
  if (label) body.label = label;
  if (body.scopes.length === 0) throw new Error(t('keys.noScope'));
  const cidrs = document.getElementById('key-cidrs').value.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
  if (cidrs.length) body.allowed_cidrs = cidrs;
  const expires = document.getElementById('key-expires').value;
  if (expires) {
    const at = new Date(expires); // datetime-local: the visitor's local time
    if (Number.isNaN(at.getTime())) throw new Error(t('keys.badExpiry'));
    body.expires_at = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  const plan = document.getElementById('key-plan').value;
  if (plan) body.plan = plan;
  if (type === 'ed25519') {
    body.public_key = document.getElementById('key-public').value.replace(/\s+/g, '');
    if (!body.public_key) throw new Error(t('keys.needPublicKey'));
  }
  return body;
}

function wireCreate() {
  const form = document.getElementById('create-form');
  const line = document.getElementById('create-status');
  const type = document.getElementById('key-type');
  type.addEventListener('change', () => { document.getElementById('public-key-field').hidden = type.value !== 'ed25519'; });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    let body;
    try { body = createBody(); } catch (e) { showStatus(line, e.message, true); return; }
    const button = document.getElementById('create-submit');
    button.disabled = true;
    showStatus(line, t('keys.working'));
    try {
      const created = (await api('POST', '/v1/keys', body)).body;
      showStatus(line, t('keys.created', { id: created.key_id }));
      form.reset();
      document.getElementById('public-key-field').hidden = true;
      if (created.secret) showSecret(created, false);
      await load();
    } catch (e) {
      showStatus(line, e, true);
    } finally {
      button.disabled = false;
    }
  });
}

start();
if (requireSession()) {
  const dialog = document.getElementById('secret-dialog');
  // Closed by its button or Escape: the secret leaves the page and memory, focus returns to the list.
  dialog.addEventListener('close', () => {
    forgetSecret();
    focusIn('#list-title');
  });
  wireCreate();
  drawList();
  load();
  onLanguageChange(() => { drawList(); drawSecret(); });
}
