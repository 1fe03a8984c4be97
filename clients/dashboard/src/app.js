// The AICF registry dashboard: a static page against any node's RPC URL (README, "Dashboard").
//
// - Providers: one page of `aicf_listProviders` at a time (status, capability, region and
//   min-health filters; `next_cursor` pages forward, the cursors seen page back).
// - A provider: `aicf_getProvider` and `aicf_getBalance`, with its stake ledger (unbonding
//   schedule) and QoS window (recent heartbeat reports) read from the registry's storage.
// - Live: every new best block refreshes the page and the provider shown, and the block's
//   registry and attestation events are added to the feed.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { rpc } from '@aicf/polkadot-js';

const PLANCKS = 10n ** 12n;
const FEED_SECTIONS = new Set(['aicfRegistry', 'aicfAttestation', 'aicfJobs']);
const FEED_MAX = 100;

const $ = (id) => document.getElementById(id);

const state = {
  api: null,
  unsubscribe: null,
  // Cursors of the pages seen: cursors[i] opens page i (null: the first).
  cursors: [null],
  page: 0,
  next: null,
  selected: null,
  refreshing: false,
  generation: 0,
  // The last list and detail queries sent: an older one answering later (a refresh on a new
  // block sent before the filters changed, a query to a node since left) is dropped.
  listRequest: 0,
  detailRequest: 0,
  // The filters as last applied (the form may hold edits not applied yet).
  filters: {},
};

/** Plancks (decimal string) as AICF with up to 4 decimals. */
export function aicf(plancks) {
  if (plancks === null || plancks === undefined) return '–';
  const p = BigInt(plancks);
  const whole = p / PLANCKS;
  const frac = ((p % PLANCKS) * 10000n) / PLANCKS;
  return frac === 0n ? whole.toString() : `${whole}.${frac.toString().padStart(4, '0').replace(/0+$/, '')}`;
}

/** Unix seconds as `YYYY-MM-DD hh:mm:ss UTC`. */
function utc(secs) {
  if (!secs) return '–';
  return `${new Date(secs * 1000).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

/** `provider:<24 hex>` as the 0x key of the registry's storage maps. */
function storageKey(id) {
  return `0x${id.slice('provider:'.length)}`;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function statusBadge(status) {
  return el('span', { class: `status status-${status}` }, status);
}

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = !message;
}

function capabilities(view) {
  const caps = [];
  if (view.capabilities?.ai) caps.push(`ai (${(view.capabilities.ai.models ?? []).join(', ')})`);
  if (view.capabilities?.quantum) caps.push(`quantum (${(view.capabilities.quantum.trap_families ?? []).join(', ')})`);
  return caps.join('; ') || '–';
}

/** Take the form's filters as the ones applied from now on. */
function applyFilters() {
  const filters = {};
  const status = $('filter-status').value;
  const capability = $('filter-capability').value;
  const region = $('filter-region').value.trim();
  const minHealth = $('filter-min-health').value.trim();
  if (status) filters.status = status;
  if (capability) filters.capability = capability;
  if (region) filters.region = region;
  if (minHealth !== '') filters.minHealth = Number(minHealth);
  filters.limit = Number($('limit').value);
  state.filters = filters;
}

function filterParams() {
  const params = { ...state.filters };
  const cursor = state.cursors[state.page];
  if (cursor) params.cursor = cursor;
  return params;
}

async function loadPage() {
  const { api } = state;
  if (!api) return;
  const request = ++state.listRequest;
  let res;
  try {
    res = (await api.rpc.aicf.listProviders(filterParams())).toJSON();
  } catch (e) {
    if (request !== state.listRequest) return false;
    throw e;
  }
  if (request !== state.listRequest) return false;
  const body = $('providers').tBodies[0];
  body.replaceChildren(
    ...res.providers.map((p) =>
      el(
        'tr',
        { 'data-provider': p.provider_id, onclick: () => select(p.provider_id) },
        el('td', {}, el('code', {}, p.provider_id)),
        el('td', {}, statusBadge(p.status)),
        el('td', {}, capabilities(p)),
        el('td', {}, p.region),
        el('td', { class: 'health' }, p.health.score.toFixed(4)),
        el('td', {}, aicf(p.stake.bonded)),
        el('td', {}, utc(p.health.last_heartbeat)),
      ),
    ),
  );
  if (res.providers.length === 0) body.append(el('tr', {}, el('td', { colSpan: 7, class: 'muted' }, 'no provider matches')));
  state.next = res.next_cursor;
  $('next').disabled = !state.next;
  $('prev').disabled = state.page === 0;
  $('page-info').textContent = `page ${state.page + 1} · ${res.providers.length} shown`;
  return true;
}

async function loadDetail() {
  const { api, selected } = state;
  if (!api || !selected) return;
  const request = ++state.detailRequest;
  const query = { provider_id: selected };
  const key = storageKey(selected);
  const [view, balance, ledger, window] = await Promise.all([
    api.rpc.aicf.getProvider(query).then((v) => v.toJSON()),
    api.rpc.aicf.getBalance(query).then((v) => v.toJSON()),
    api.query.aicfRegistry.ledgers(key),
    api.query.aicfRegistry.qosWindows(key),
  ]);
  // Another provider was chosen, or a newer query for this one sent, meanwhile.
  if (selected !== state.selected || request !== state.detailRequest) return;
  const best = Number($('best').textContent) || 0;
  $('detail').hidden = false;
  $('detail-id').textContent = selected;
  $('detail-status').replaceChildren(
    statusBadge(view.status),
    view.stored_status ? ` (stored ${view.stored_status})` : '',
  );
  $('detail-region').textContent = view.region;
  $('detail-endpoint').textContent = `${view.metadata.endpoint} · ${view.metadata.contact}`;
  $('detail-controller').textContent = balance.controller;
  $('detail-health').textContent = view.health.score.toFixed(4);
  $('detail-rtt').textContent = window.isSome ? `${view.health.rtt_ms_p50} ms (median of the window)` : '–';
  $('detail-bonded').textContent = `${aicf(view.stake.bonded)} AICF (minimum ${aicf(view.stake.min_required)}; ${view.stake.status})`;
  $('detail-withdrawable').textContent = `${aicf(balance.withdrawable)} AICF`;
  $('detail-liabilities').textContent = `${aicf(balance.liabilities)} AICF`;

  $('attestations').tBodies[0].replaceChildren(
    ...(view.attestations ?? []).map((a) =>
      el(
        'tr',
        {},
        el('td', {}, a.capability),
        el('td', { class: 'attest-kind' }, a.kind),
        el('td', {}, a.updated_height),
        el('td', { class: 'attest-expires' }, a.expires_height),
        el('td', {}, Math.max(0, a.expires_height - best)),
      ),
    ),
  );
  if (!view.attestations?.length) $('attestations').tBodies[0].append(el('tr', {}, el('td', { colSpan: 5, class: 'muted' }, 'none')));

  const chunks = ledger.isSome ? ledger.unwrap().unbonding : [];
  $('unbonding').tBodies[0].replaceChildren(
    ...chunks.map((c) =>
      el('tr', {}, el('td', {}, aicf(c.amount.toString())), el('td', {}, aicf(c.withdrawn.toString())), el('td', {}, c.start.toNumber()), el('td', {}, c.end.toNumber())),
    ),
  );
  if (chunks.length === 0) $('unbonding').tBodies[0].append(el('tr', {}, el('td', { colSpan: 4, class: 'muted' }, 'nothing unbonding')));

  let samples = [];
  if (window.isSome) {
    const w = window.unwrap();
    const all = w.samples.map((s) => ({ rtt: s.rttMsP50.toNumber(), bps: s.availabilityBps.toNumber() }));
    const next = w.next.toNumber();
    samples = next > 0 && next < all.length ? [...all.slice(next), ...all.slice(0, next)] : all;
  }
  $('detail-window').tBodies[0].replaceChildren(
    ...samples.map((s, i) => el('tr', {}, el('td', {}, i + 1), el('td', {}, s.rtt), el('td', {}, `${(s.bps / 100).toFixed(2)} %`))),
  );
  if (samples.length === 0) $('detail-window').tBodies[0].append(el('tr', {}, el('td', { colSpan: 3, class: 'muted' }, 'no heartbeat yet')));

  $('payouts').tBodies[0].replaceChildren(
    ...(balance.pending_payouts ?? []).map((p) => el('tr', {}, el('td', {}, p.epoch), el('td', {}, aicf(p.amount)))),
  );
  if (!balance.pending_payouts?.length) $('payouts').tBodies[0].append(el('tr', {}, el('td', { colSpan: 2, class: 'muted' }, 'none')));
}

async function select(id) {
  state.selected = id;
  try {
    await loadDetail();
    showError('');
  } catch (e) {
    showError(`aicf_getProvider: ${e.message}`);
  }
}

/** An event field for people: provider ids as `provider:…`, balances in AICF. */
function fieldText(typeName, value) {
  if (typeName === 'ProviderId') return `provider:${value.toHex().slice(2)}`;
  if (/Balance/.test(typeName)) return `${aicf(value.toString())} AICF`;
  return value.toString();
}

/** Add the registry's events of block `n` to the top of the feed. */
function feed(n, records) {
  const list = $('events');
  for (const { event } of records) {
    if (!FEED_SECTIONS.has(event.section)) continue;
    const fields = event.meta.fields.map((f, i) => `${f.name.unwrapOr(i)}: ${fieldText(f.typeName.unwrapOr('').toString(), event.data[i])}`).join(', ');
    list.prepend(el('li', { 'data-event': `${event.section}.${event.method}` }, el('b', {}, `#${n} ${event.section}.${event.method}`), ` ${fields}`));
  }
  while (list.children.length > FEED_MAX) list.lastChild.remove();
}

/** Refresh what is shown after a new best block (skipped while the last refresh runs). */
async function onHead(header) {
  const { api } = state;
  const generation = state.generation;
  const n = header.number.toNumber();
  $('best').textContent = n;
  try {
    const events = await (await api.at(header.hash)).query.system.events();
    if (generation !== state.generation) return;
    feed(n, events);
  } catch {
    // A block pruned or retracted meanwhile: its events are gone with it.
  }
  if (state.refreshing) return;
  state.refreshing = true;
  try {
    await loadPage();
    await loadDetail();
  } catch (e) {
    showError(e.message);
  } finally {
    state.refreshing = false;
  }
}

async function connect(url) {
  state.generation += 1;
  state.listRequest += 1;
  state.detailRequest += 1;
  if (state.unsubscribe) state.unsubscribe();
  if (state.api) await state.api.disconnect().catch(() => {});
  state.api = null;
  state.cursors = [null];
  state.page = 0;
  $('conn-status').textContent = `connecting to ${url}…`;
  showError('');
  try {
    const api = await ApiPromise.create({ provider: new WsProvider(url, 2_000), rpc, noInitWarn: true, throwOnConnect: true });
    state.api = api;
    const chain = await api.rpc.system.chain();
    $('conn-status').textContent = `connected: ${chain} (spec ${api.runtimeVersion.specVersion})`;
    const url_ = new URL(window.location.href);
    url_.searchParams.set('rpc', url);
    window.history.replaceState(null, '', url_);
    state.unsubscribe = await api.rpc.chain.subscribeNewHeads(onHead);
    await loadPage();
  } catch (e) {
    $('conn-status').textContent = 'not connected';
    showError(`${url}: ${e.message}`);
  }
}

async function reload(resetPaging) {
  if (resetPaging) {
    state.cursors = [null];
    state.page = 0;
  }
  try {
    if (await loadPage()) showError('');
  } catch (e) {
    showError(`aicf_listProviders: ${e.message}`);
    $('next').disabled = !state.next;
    $('prev').disabled = state.page === 0;
  }
}

window.addEventListener('DOMContentLoaded', () => {
  $('connect-form').addEventListener('submit', (e) => {
    e.preventDefault();
    connect($('url').value.trim());
  });
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    applyFilters();
    reload(true);
  });
  // Paging waits for the page it asked for: the buttons are off until it is shown.
  $('next').addEventListener('click', () => {
    const next = state.next;
    if (!next) return;
    state.next = null;
    $('next').disabled = true;
    $('prev').disabled = true;
    state.cursors[state.page + 1] = next;
    state.page += 1;
    reload(false);
  });
  $('prev').addEventListener('click', () => {
    if (state.page === 0) return;
    $('next').disabled = true;
    $('prev').disabled = true;
    state.page -= 1;
    reload(false);
  });
  $('detail-close').addEventListener('click', () => {
    state.selected = null;
    $('detail').hidden = true;
  });
  const fromQuery = new URLSearchParams(window.location.search).get('rpc');
  if (fromQuery) $('url').value = fromQuery;
  applyFilters();
  connect($('url').value.trim());
});
