'use strict';
// The admin console: static page, JSON from /console/api, live federation progress over server-sent events.
const api = '/console/api';
const pages = ['federation', 'sites', 'rounds', 'models', 'audit', 'tokens'];
let me = null;
let federations = [];
let events = null;

const $ = (id) => document.getElementById(id);
const text = (value) => (value === null || value === undefined ? '' : String(value));
const cell = (value) => { const td = document.createElement('td'); td.textContent = text(value); return td; };
const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');

async function call(method, path, body) {
  const response = await fetch(api + path, {
    method, credentials: 'same-origin',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status === 401 && path !== '/login') { showLogin(); throw new Error('logged out'); }
  const payload = response.status === 204 ? null : await response.json();
  if (!response.ok) { throw new Error(payload && payload.error ? payload.error : response.statusText); }
  return payload;
}

function showLogin() {
  me = null;
  if (events) { events.close(); events = null; }
  $('login').hidden = false; $('nav').hidden = true; $('logout').hidden = true; $('who').textContent = '';
  document.querySelectorAll('.page').forEach((p) => { p.hidden = true; });
}

async function start() {
  try { me = await call('GET', '/me'); } catch (e) { showLogin(); return; }
  $('login').hidden = true; $('nav').hidden = false; $('logout').hidden = false;
  $('who').textContent = `${me.name} (${me.role.toLowerCase()})`;
  document.querySelectorAll('.admin-only').forEach((e) => { e.hidden = me.role !== 'ADMIN'; });
  document.querySelectorAll('.operator-only').forEach((e) => { e.hidden = me.role === 'VIEWER'; });
  listen();
  show();
}

function listen() {
  events = new EventSource(api + '/events');
  events.onopen = () => { $('live').textContent = 'live'; $('live').className = 'badge ok'; };
  events.onerror = () => { $('live').textContent = 'reconnecting…'; $('live').className = 'badge bad'; };
  events.onmessage = (message) => {
    federations = JSON.parse(message.data);
    renderFederations();
    renderRounds();
  };
}

function page() { const name = location.hash.slice(1); return pages.includes(name) ? name : 'federation'; }

async function show() {
  if (!me) { return; }
  const current = page();
  pages.forEach((name) => { $('page-' + name).hidden = name !== current; });
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === current));
  $('error').textContent = '';
  try {
    if (current === 'federation' && me.role !== 'VIEWER' && !$('start-plan').value) { await loadTemplate(); }
    if (current === 'sites') { renderSites(await call('GET', '/sites')); }
    if (current === 'models') { renderModels(await call('GET', '/models')); }
    if (current === 'audit') { renderAudit(await call('GET', '/audit?limit=200')); }
    if (current === 'tokens') { renderTokens(await call('GET', '/tokens')); }
  } catch (e) { $('error').textContent = e.message; }
}

function renderFederations() {
  const box = $('federations');
  box.replaceChildren(...federations.map((f) => {
    const div = document.createElement('div');
    div.className = 'federation'; div.dataset.name = f.name;
    const title = document.createElement('h3');
    title.textContent = `${f.name} `;
    const status = document.createElement('span');
    status.className = 'badge status ' + (f.status === 'failed' ? 'bad' : f.status === 'completed' ? 'ok' : '');
    status.textContent = f.status;
    title.append(status);
    const progress = document.createElement('p');
    progress.className = 'progress';
    const running = f.rounds.length ? f.rounds[f.rounds.length - 1] : null;
    progress.textContent = `${f.completedRounds} / ${f.plannedRounds} rounds completed`
      + (running && f.status === 'running' ? `; round ${running.round} ${running.status}` : '')
      + (f.failureReason ? ` (${f.failureReason})` : '');
    const bar = document.createElement('div'); bar.className = 'bar';
    const fill = document.createElement('div'); fill.style.width = `${100 * f.completedRounds / f.plannedRounds}%`;
    bar.append(fill);
    div.append(title, progress, bar);
    if (me.role !== 'VIEWER' && (f.status === 'running' || f.status === 'created')) {
      const stop = document.createElement('button');
      stop.className = 'stop'; stop.textContent = 'Stop federation';
      stop.onclick = () => call('POST', `/federations/${encodeURIComponent(f.name)}/stop`)
        .catch((e) => { $('error').textContent = e.message; });
      div.append(stop);
    }
    return div;
  }));
}

/** Loss and probe curves per modality: one small inline SVG per metric, over completed rounds. */
function renderRounds() {
  const box = $('rounds');
  box.replaceChildren(...federations.filter((f) => f.rounds.length).map((f) => {
    const section = document.createElement('div');
    section.className = 'federation'; section.dataset.name = f.name;
    const title = document.createElement('h3'); title.textContent = f.name;
    const curves = document.createElement('div'); curves.className = 'curves';
    const done = f.rounds.filter((r) => r.status === 'completed');
    const keys = [...new Set(done.flatMap((r) => Object.keys(r.metrics || {})))]
      .filter((k) => /loss|probe_accuracy/.test(k)).sort();
    keys.forEach((key) => curves.append(curve(key, done.map((r) => [r.round, r.metrics[key]]))));
    const table = document.createElement('table');
    table.innerHTML = '<thead><tr><th>Round</th><th>Attempt</th><th>Status</th><th>Failure</th></tr></thead>';
    const body = document.createElement('tbody');
    f.rounds.forEach((r) => {
      const tr = document.createElement('tr');
      tr.append(cell(r.round), cell(r.attempt), cell(r.status), cell(r.failureReason));
      body.append(tr);
    });
    table.append(body);
    section.append(title, curves, table);
    return section;
  }));
}

function curve(name, points) {
  const valid = points.filter(([, y]) => typeof y === 'number');
  const w = 220; const h = 90; const pad = 6;
  const div = document.createElement('div'); div.className = 'curve';
  const title = document.createElement('h4'); title.textContent = name; div.append(title);
  if (!valid.length) { return div; }
  const xs = valid.map(([x]) => x); const ys = valid.map(([, y]) => y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x) => pad + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (w - 2 * pad);
  const sy = (y) => h - pad - (y1 === y0 ? 0.5 : (y - y0) / (y1 - y0)) * (h - 2 * pad);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', w); svg.setAttribute('height', h);
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', valid.map(([x, y]) => `${sx(x)},${sy(y)}`).join(' '));
  line.setAttribute('fill', 'none'); line.setAttribute('stroke', '#3b6fd8'); line.setAttribute('stroke-width', '2');
  svg.append(line);
  const label = document.createElementNS(ns, 'text');
  label.setAttribute('x', pad); label.setAttribute('y', 12); label.setAttribute('font-size', '10');
  label.textContent = `${y1.toPrecision(3)} … ${y0.toPrecision(3)}`;
  svg.append(label);
  div.append(svg);
  return div;
}

async function loadTemplate() {
  const plan = await call('GET', '/federations/template');
  $('start-plan').value = JSON.stringify(plan, null, 2);
  $('start-rounds').value = plan.rounds; $('start-min-sites').value = plan.minSites;
}

function certificateCell(c) {
  if (!c) { return cell('none presented'); }
  const td = cell(`serial ${c.serial}, expires ${when(c.notAfter)} (`
    + (c.expired ? `expired ${-c.daysLeft} days ago)` : `${c.daysLeft} days left)`));
  td.className = 'certificate' + (c.expired ? ' bad-cell' : c.expiresSoon ? ' warn' : '');
  return td;
}

function privacyCell(p) {
  if (!p) { return cell('none reported'); }
  const td = cell(`${p.epsilon.toFixed(3)}` + (p.budgetEpsilon !== null && p.budgetEpsilon !== undefined
    ? ` of ${p.budgetEpsilon}` : '') + ` at δ ${p.delta}`);
  td.className = 'privacy' + (p.budgetEpsilon && p.epsilon >= 0.9 * p.budgetEpsilon ? ' warn' : '');
  return td;
}

function siteStatus(s) {
  if (s.revocation) { return `certificate revoked by ${s.revocation.revokedBy}: ${s.revocation.reason}`; }
  if (s.exclusion) { return `excluded by ${s.exclusion.excludedBy}: ${s.exclusion.reason}`; }
  return s.status;
}

function siteAction(label, className, method, path) {
  const button = document.createElement('button');
  button.className = className; button.textContent = label;
  button.onclick = async () => {
    const reason = $('action-reason').value.trim();
    if (method === 'POST' && !reason) { $('error').textContent = 'give a reason for the action first'; return; }
    try { await call(method, path, method === 'POST' ? { reason } : undefined); await show(); }
    catch (e) { $('error').textContent = e.message; }
  };
  return button;
}

function renderSites(sites) {
  $('sites').replaceChildren(...sites.map((s) => {
    const tr = document.createElement('tr'); tr.dataset.site = s.name;
    tr.classList.toggle('excluded', Boolean(s.exclusion));
    const status = cell(siteStatus(s)); status.className = 'site-status';
    tr.append(cell(s.name), cell(s.connected ? 'yes' : 'no'), status, cell(s.modalities.join(', ')),
      cell(Object.entries(s.subjects).map(([m, n]) => `${m} ${n}`).join(', ')), cell(when(s.lastSeenAt)),
      certificateCell(s.certificate), privacyCell(s.privacy));
    const actions = document.createElement('td');
    if (me.role !== 'VIEWER') {
      const site = encodeURIComponent(s.name);
      actions.append(s.exclusion
        ? siteAction('Re-include', 'include', 'DELETE', `/sites/${site}/exclusion`)
        : siteAction('Exclude', 'exclude', 'POST', `/sites/${site}/exclusion`));
      if (s.certificate && !s.revocation) {
        actions.append(siteAction('Revoke certificate', 'revoke-certificate', 'POST',
          `/sites/${site}/certificate/revocation`));
      }
    }
    tr.append(actions);
    return tr;
  }));
}

/** A version's ancestors, nearest first, as far as the listed versions go. */
function lineage(model, byId) {
  const chain = [];
  for (let parent = model.parentId; parent !== null && parent !== undefined && byId.has(parent);
    parent = byId.get(parent).parentId) {
    chain.push(parent);
  }
  return chain.length ? `← ${chain.map((id) => 'v' + id).join(' ← ')}` : 'initial';
}

function download(id, format) {
  const a = document.createElement('a');
  a.href = `${api}/models/${id}/download?format=${format}`; a.textContent = format;
  a.className = 'download-' + format; a.setAttribute('download', '');
  return a;
}

function renderModels(models) {
  const byId = new Map(models.map((m) => [m.id, m]));
  $('models').replaceChildren(...models.slice().reverse().map((m) => {
    const tr = document.createElement('tr'); tr.dataset.version = m.id;
    const links = document.createElement('td');
    if (me.role !== 'VIEWER') { links.append(download(m.id, 'npz'), ' ', download(m.id, 'tensors')); }
    tr.append(cell('v' + m.id), cell(m.federation), cell(m.round), cell(lineage(m, byId)),
      cell(m.modalities.join(', ')), cell(`${m.byteSize} B`), cell(m.contentHash.slice(0, 16) + '…'),
      cell(when(m.createdAt)), links);
    return tr;
  }));
}

function renderAudit(view) {
  const chain = view.chain;
  $('chain-status').textContent = chain.intact
    ? `hash chain verified over ${chain.entries} entries` : `hash chain BROKEN at entry ${chain.brokenAt}: ${chain.problem}`;
  $('chain-status').className = 'badge ' + (chain.intact ? 'ok' : 'bad');
  $('audit').replaceChildren(...view.entries.map((e) => {
    const tr = document.createElement('tr'); tr.dataset.entry = e.id;
    const hash = cell(e.hash.slice(0, 12) + '…'); hash.className = 'hash';
    const action = cell(e.action); action.className = 'audit-action';
    const subject = cell(e.subject); subject.className = 'audit-subject';
    tr.append(cell(e.id), cell(when(e.at)), cell(e.actor), action, subject, cell(JSON.stringify(e.detail)), hash);
    return tr;
  }));
}

function renderTokens(tokens) {
  $('tokens').replaceChildren(...tokens.slice().reverse().map((t) => {
    const tr = document.createElement('tr'); tr.dataset.tokenId = t.id;
    tr.append(cell(t.id), cell(t.name), cell(t.prefix + '…'), cell(t.scopes.join(', ').toLowerCase()),
      cell(t.createdBy), cell(when(t.lastUsedAt)), cell(t.revokedAt ? `revoked by ${t.revokedBy}` : 'active'));
    const actions = document.createElement('td');
    if (!t.revokedAt && me.role !== 'VIEWER') {
      const revoke = document.createElement('button');
      revoke.className = 'revoke'; revoke.textContent = 'Revoke';
      revoke.onclick = async () => {
        try { await call('DELETE', `/tokens/${t.id}`); await show(); } catch (e) { $('error').textContent = e.message; }
      };
      actions.append(revoke);
    }
    tr.append(actions);
    return tr;
  }));
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').textContent = '';
  try {
    await call('POST', '/login', { name: $('login-name').value, password: $('login-password').value });
    $('login-password').value = '';
    await start();
  } catch (e) { $('login-error').textContent = e.message; }
});

$('token-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const scopes = [...document.querySelectorAll('input[name=scope]:checked')].map((c) => c.value);
  try {
    const issued = await call('POST', '/tokens', { name: $('token-name').value, scopes });
    $('token-secret').hidden = false;
    $('token-secret').textContent = `New token (shown once, copy it now): ${issued.secret}`;
    await show();
  } catch (e) { $('error').textContent = e.message; }
});

$('start-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const plan = JSON.parse($('start-plan').value);
    plan.name = $('start-name').value;
    if ($('start-rounds').value) { plan.rounds = Number($('start-rounds').value); }
    if ($('start-min-sites').value) { plan.minSites = Number($('start-min-sites').value); }
    await call('POST', '/federations', plan);
    $('start').open = false;
  } catch (e) { $('error').textContent = e.message; }
});

$('logout').addEventListener('click', async () => { await call('POST', '/logout'); showLogin(); });
window.addEventListener('hashchange', show);
start();
