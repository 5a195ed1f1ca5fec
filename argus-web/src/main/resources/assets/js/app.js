// The Argus dashboard: wires the key prompt, filters, history, live stream, list, detail panel,
// counters and export together. Every piece of event text is written with textContent.

import { Api, ApiError, AuthError } from './api.js';
import { byTestId, clear, el, tsMillis } from './dom.js';
import { download, exportName, toCsv, toNdjson } from './export.js';
import { LEVELS, emptyFilter, liveFilters, predicate, queryParams, resolve } from './filters.js';
import { jsonView } from './json-view.js';
import { EventList } from './list.js';
import { LiveStream } from './live.js';

const KEY_STORAGE = 'argus.apiKey';
/** Events per history request (first load and each "load older"). */
const PAGE = 500;
/** The server's maximum `limit`. */
const MAX_LIMIT = 1000;
/** Rows kept in the list; beyond it the oldest are dropped (and "load older" brings them back). */
const MAX_ROWS = 50_000;
/** A filter change reloads at most this many rows to replace what the browser filtered. */
const MAX_RELOAD = 10_000;
const TYPING_DELAY_MS = 350;

const $ = (id) => byTestId(id);

const app = {
  api: null,
  live: null,
  list: null,
  filter: emptyFilter(),
  resolved: resolve(emptyFilter()),
  pred: () => true,
  rows: [],          // ascending by id
  ids: new Set(),    // ids in rows or pending: dedupe
  incoming: [],      // accepted, waiting for the next frame
  pending: [],       // accepted while paused
  pendingOverflow: false,
  cursor: 0,         // highest id accepted for the current filter: the resume point
  historyReady: false,
  loading: false,
  generation: 0,
  abort: null,
  hasOlder: false,
  paused: false,
  follow: true,
  selected: null,
  filterMs: null,
  frame: 0,
  catchUps: 0,       // replay_truncated answers handled
  knownSources: new Set(),
  knownTypes: new Set(),
};

// ---------------------------------------------------------------------------------------- start

/** The configured dashboard title (`web.title`), shown as text in the header and the tab. */
async function applyTitle() {
  try {
    const r = await fetch('ui-config.json', { cache: 'no-store' });
    if (!r.ok) return;
    const cfg = await r.json();
    if (typeof cfg.title === 'string' && cfg.title.trim()) {
      document.title = cfg.title;
      byTestId('brand').textContent = cfg.title;
    }
  } catch (e) {
    // keep the built-in title
  }
}

function init() {
  applyTitle();
  app.list = new EventList($('event-list'), {
    onSelect: (e) => select(e),
    onScrollAway: () => setFollow(false),
    onScrollTop: () => setFollow(true),
  });
  app.live = new LiveStream({
    state: showConnection,
    authenticated: onAuthenticated,
    event: onLiveEvent,
    authError: (msg) => signOut(msg || 'Invalid API key'),
    truncated: (after) => fillFrom(after, app.generation),
    lagged: (missed) => {
      status(`The stream fell behind (${missed} missed); resuming from #${app.cursor}.`);
      app.live.resubscribe();
    },
    notice: status,
  });
  buildLevelChips();
  wireFilters();
  wireToolbar();
  wireKeyPrompt();
  setInterval(updateCounters, 1000);
  exposeTestHook();
  showOlder();
  adoptHashFilter();
  const key = localStorage.getItem(KEY_STORAGE);
  if (key) startWith(key);
  else showPrompt('');
}

function startWith(key) {
  app.api = new Api(key);
  $('key-prompt').hidden = true;
  refreshSources();
  refreshTypes();
  reload();
  app.live.start(key);
}

/** Back to the key prompt: a wrong key, or "forget key". */
function signOut(message) {
  localStorage.removeItem(KEY_STORAGE);
  app.live.stop();
  if (app.abort) app.abort.abort();
  app.generation += 1;
  app.api = null;
  app.historyReady = false;
  app.loading = false;
  replaceRows([]);
  app.pending = [];
  app.incoming = [];
  showPending();
  closeDetail();
  showPrompt(message);
}

function showPrompt(message) {
  $('key-prompt').hidden = false;
  $('key-message').textContent = message || '';
  const input = $('key-input');
  input.value = '';
  input.focus();
}

function wireKeyPrompt() {
  $('key-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const key = $('key-input').value.trim();
    if (!key) return;
    $('key-message').textContent = 'Checking…';
    try {
      await new Api(key).get('/sources');
    } catch (e) {
      $('key-message').textContent = e instanceof AuthError ? 'Invalid API key'
        : `Cannot check the key: ${e.message}`;
      return;
    }
    localStorage.setItem(KEY_STORAGE, key);
    startWith(key);
  });
  $('forget-key').addEventListener('click', () => signOut('The key was removed from this browser.'));
}

// -------------------------------------------------------------------------------- history & live

/**
 * Applies the current filter: filters the listed rows in the browser at once (timed), then loads
 * history from the server and subscribes from its newest id, so live continues without a gap.
 */
async function reload() {
  if (!app.api) return;
  const gen = ++app.generation;
  if (app.abort) app.abort.abort();
  const abort = new AbortController();
  app.abort = abort;
  app.live.hold();
  app.historyReady = false;
  app.loading = true;
  flushIncoming();

  // buffered events are committed, so the reloaded history holds those that match
  app.pending = [];
  app.pendingOverflow = false;
  showPending();

  const t0 = performance.now();
  const before = app.rows.length;
  const kept = app.rows.filter(app.pred);
  replaceRows(kept);
  app.list.render();
  app.filterMs = performance.now() - t0;
  const timing = $('filter-timing');
  if (before > 0) {
    timing.textContent = `filtered ${before.toLocaleString('en')} → ${kept.length.toLocaleString('en')} rows in ${app.filterMs.toFixed(1)} ms`;
  }
  timing.dataset.rows = String(before);
  timing.dataset.ms = app.filterMs.toFixed(2);
  status('Loading…');

  const params = queryParams(app.resolved);
  const want = Math.min(MAX_RELOAD, Math.max(PAGE, kept.length));
  const loaded = [];
  let next = null;
  try {
    do {
      const limit = Math.min(MAX_LIMIT, want - loaded.length);
      const page = await app.api.get('/events', { ...params, limit, before_id: next ?? undefined }, abort.signal);
      loaded.push(...page.events);
      next = page.next_before_id;
    } while (next !== null && next !== undefined && loaded.length < want);
  } catch (e) {
    if (gen !== app.generation || e.name === 'AbortError') return;
    app.loading = false;
    if (e instanceof AuthError) { signOut(e.message); return; }
    const transient = e.status === 0 || e.status >= 500;
    status(`History unavailable: ${e.message}${transient ? ' (retrying)' : ''}`, true);
    if (transient) setTimeout(() => { if (gen === app.generation && !app.historyReady && !app.loading) reload(); }, 3000);
    return;
  }
  if (gen !== app.generation) return;
  app.loading = false;
  loaded.reverse();
  replaceRows(loaded);
  app.cursor = loaded.length ? loaded[loaded.length - 1].id : 0;
  app.hasOlder = next !== null && next !== undefined;
  app.historyReady = true;
  app.list.added(0, app.follow);
  showOlder();
  status(loaded.length ? '' : 'No events match these filters yet.');
  app.live.subscribe(liveFilters(app.resolved), () => app.cursor);
}

function onAuthenticated() {
  if (!app.historyReady && !app.loading) reload();
  refreshSources();
}

function onLiveEvent(e) {
  if (app.ids.has(e.id)) return;
  if (e.id > app.cursor) app.cursor = e.id;
  if (!app.pred(e)) return;
  app.ids.add(e.id);
  noteDiscovery(e);
  if (app.paused) {
    if (app.pending.length >= MAX_ROWS) { app.pendingOverflow = true; app.ids.delete(e.id); }
    else app.pending.push(e);
    showPending();
    return;
  }
  app.incoming.push(e);
  if (!app.frame) app.frame = requestAnimationFrame(() => { app.frame = 0; flushIncoming(); });
}

/** Moves events that arrived since the last frame into the list. */
function flushIncoming() {
  if (!app.incoming.length) return;
  const batch = app.incoming;
  app.incoming = [];
  insert(batch);
}

/** Inserts events (any order, already deduplicated) keeping `rows` ascending by id. */
function insert(events) {
  if (!events.length) return;
  const rows = app.rows;
  let above = 0;
  const lastVisibleId = rows.length ? rows[rows.length - 1].id : -Infinity;
  for (const e of events) {
    if (!rows.length || e.id > rows[rows.length - 1].id) {
      rows.push(e);
    } else {
      const at = lowerBound(rows, e.id);
      if (at < rows.length && rows[at].id === e.id) continue;
      rows.splice(at, 0, e);
    }
    if (e.id > lastVisibleId) above += 1;
  }
  trim();
  app.list.setRows(rows);
  app.list.added(above, app.follow);
  showCount();
}

function lowerBound(rows, id) {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].id < id) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function trim() {
  const excess = app.rows.length - MAX_ROWS;
  if (excess > 0) {
    for (const e of app.rows.splice(0, excess)) app.ids.delete(e.id);
    app.hasOlder = true;
    showOlder();
  }
}

function replaceRows(rows) {
  app.rows = rows;
  app.ids = new Set(rows.map((e) => e.id));
  for (const e of app.pending) app.ids.add(e.id);
  app.list.setRows(rows);
  showCount();
}

/** Pages forward from `afterId` after a replay_truncated, merging what the replay left out. */
async function fillFrom(afterId, gen) {
  app.catchUps += 1;
  let after = afterId;
  let failures = 0;
  status(`Catching up from #${afterId}…`);
  for (;;) {
    try {
      const page = await app.api.get('/events',
        { ...queryParams(app.resolved), after_id: after, order: 'asc', limit: MAX_LIMIT });
      if (gen !== app.generation) return;
      const fresh = page.events.filter((e) => !app.ids.has(e.id) && app.pred(e));
      for (const e of fresh) { app.ids.add(e.id); if (e.id > app.cursor) app.cursor = e.id; }
      if (app.paused) app.pending.push(...fresh); else insert(fresh);
      if (page.events.length < MAX_LIMIT) break;
      after = page.events[page.events.length - 1].id;
      failures = 0;
    } catch (e) {
      if (gen !== app.generation) return;
      if (e instanceof AuthError) { signOut(e.message); return; }
      failures += 1;
      if (failures > 3) {
        // the live stream has moved past the hole: start over rather than show a gap
        status(`Catching up failed (${e.message}); reloading.`, true);
        reload();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** (failures - 1)));
      if (gen !== app.generation) return;
    }
  }
  status('');
}

async function loadOlder() {
  if (!app.api || !app.rows.length) return;
  const gen = app.generation;
  const button = $('load-older');
  button.disabled = true;
  try {
    const page = await app.api.get('/events',
      { ...queryParams(app.resolved), before_id: app.rows[0].id, limit: PAGE });
    if (gen !== app.generation) return;
    const older = page.events.filter((e) => !app.ids.has(e.id)).reverse();
    for (const e of older) app.ids.add(e.id);
    app.rows = older.concat(app.rows);
    app.hasOlder = page.next_before_id !== null && page.next_before_id !== undefined;
    app.list.setRows(app.rows);
    showCount();
    status(older.length ? `Loaded ${older.length} older events.` : 'No older events.');
  } catch (e) {
    if (e instanceof AuthError) signOut(e.message);
    else status(`Loading older events failed: ${e.message}`, true);
  } finally {
    showOlder();
  }
}

// ------------------------------------------------------------------------------------ filters

function buildLevelChips() {
  const box = $('level-chips');
  for (const level of LEVELS) {
    box.append(el('button', {
      type: 'button', class: `chip lvl-${level}`, 'data-testid': `level-${level}`, 'data-level': level,
      'aria-pressed': 'false', text: level,
      onclick: (ev) => {
        const b = ev.currentTarget;
        b.setAttribute('aria-pressed', b.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
        applyFilters();
      },
    }));
  }
}

function readFilter() {
  const split = (s) => s.split(',').map((t) => t.trim()).filter(Boolean);
  return {
    source: $('filter-source').value,
    event_type: $('filter-event-type').value,
    levels: [...document.querySelectorAll('.chip[aria-pressed="true"]')].map((b) => b.dataset.level),
    since: $('filter-since').value,
    until: $('filter-until').value,
    q: $('filter-q').value,
    tags: split($('filter-tag').value),
    session_id: $('filter-session').value,
  };
}

let typingTimer = 0;

function applyFilters() {
  clearTimeout(typingTimer);
  const typed = readFilter();
  const resolved = resolve(typed);
  for (const name of ['since', 'until']) {
    const input = $(`filter-${name}`);
    const bad = resolved.invalid.includes(name);
    input.classList.toggle('invalid', bad);
    if (input.dataset.help === undefined) input.dataset.help = input.title;
    input.title = bad ? 'Not a time: use 30s, 15m, 2h, 7d or 2026-01-31T08:00[:00][Z|+01:00]' : input.dataset.help;
  }
  if (resolved.invalid.length) {
    status(`Invalid ${resolved.invalid.join(' and ')}: filters not applied.`, true);
    return;
  }
  if (JSON.stringify(typed) === JSON.stringify(app.filter)) return;
  const sourceChanged = typed.source !== app.filter.source;
  app.filter = typed;
  app.resolved = resolved;
  app.pred = predicate(resolved);
  const hash = filterHash(typed);
  if (hash !== location.hash) history.replaceState(null, '', hash || location.pathname + location.search);
  if (sourceChanged) refreshTypes();
  reload();
}

const HASH_NAMES = ['source', 'event_type', 'level', 'since', 'until', 'q', 'tag', 'session_id'];

/** The filter as a URL fragment (`#source=a&level=error&level=warn`), so a view can be bookmarked. */
function filterHash(f) {
  const p = new URLSearchParams();
  if (f.source) p.append('source', f.source);
  if (f.event_type) p.append('event_type', f.event_type);
  for (const l of f.levels) p.append('level', l);
  if (f.since) p.append('since', f.since);
  if (f.until) p.append('until', f.until);
  if (f.q) p.append('q', f.q);
  for (const t of f.tags) p.append('tag', t);
  if (f.session_id) p.append('session_id', f.session_id);
  const text = p.toString();
  return text ? `#${text}` : '';
}

/** Puts the filter from the URL fragment into the filter bar (without applying it). */
function showHashInBar() {
  const p = new URLSearchParams(location.hash.slice(1));
  if (![...p.keys()].some((k) => HASH_NAMES.includes(k))) return false;
  $('filters').reset();
  const setSelect = (select, value) => {
    if (value && ![...select.options].some((o) => o.value === value)) select.append(el('option', { value, text: value }));
    select.value = value || '';
  };
  setSelect($('filter-source'), p.get('source'));
  setSelect($('filter-event-type'), p.get('event_type'));
  const levels = new Set(p.getAll('level'));
  for (const b of document.querySelectorAll('.chip')) b.setAttribute('aria-pressed', String(levels.has(b.dataset.level)));
  $('filter-since').value = p.get('since') || '';
  $('filter-until').value = p.get('until') || '';
  $('filter-q').value = p.get('q') || '';
  $('filter-tag').value = p.getAll('tag').join(', ');
  $('filter-session').value = p.get('session_id') || '';
  return true;
}

/** Adopts the filter in the URL fragment as the current filter before the first load. */
function adoptHashFilter() {
  if (!showHashInBar()) return;
  const typed = readFilter();
  const resolved = resolve(typed);
  if (resolved.invalid.length) return;
  app.filter = typed;
  app.resolved = resolved;
  app.pred = predicate(resolved);
}

function wireFilters() {
  const form = $('filters');
  form.addEventListener('submit', (ev) => { ev.preventDefault(); applyFilters(); });
  for (const id of ['filter-source', 'filter-event-type']) $(id).addEventListener('change', applyFilters);
  for (const id of ['filter-since', 'filter-until', 'filter-q', 'filter-tag', 'filter-session']) {
    const input = $(id);
    input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); applyFilters(); } });
    input.addEventListener('change', applyFilters);
    input.addEventListener('input', () => {
      clearTimeout(typingTimer);
      typingTimer = setTimeout(applyFilters, TYPING_DELAY_MS);
    });
  }
  $('filter-source').addEventListener('focus', refreshSources);
  window.addEventListener('hashchange', () => { if (showHashInBar()) applyFilters(); });
  $('filter-clear').addEventListener('click', () => {
    form.reset();
    for (const b of document.querySelectorAll('.chip')) b.setAttribute('aria-pressed', 'false');
    applyFilters();
  });
}

async function refreshSources() {
  if (!app.api) return;
  try {
    const body = await app.api.get('/sources');
    for (const s of body.sources) app.knownSources.add(s);
    fillSelect($('filter-source'), app.knownSources, 'all sources');
  } catch (e) {
    if (e instanceof AuthError) signOut(e.message);
  }
}

async function refreshTypes() {
  if (!app.api) return;
  const source = $('filter-source').value;
  try {
    const body = await app.api.get('/event-types', { source: source || undefined });
    if (source !== $('filter-source').value) return;
    app.knownTypes = new Set(body.event_types);
    fillSelect($('filter-event-type'), app.knownTypes, 'all event types');
  } catch (e) {
    if (e instanceof AuthError) signOut(e.message);
  }
}

function noteDiscovery(e) {
  if (!app.knownSources.has(e.source)) {
    app.knownSources.add(e.source);
    fillSelect($('filter-source'), app.knownSources, 'all sources');
  }
  const source = $('filter-source').value;
  if ((!source || source === e.source) && !app.knownTypes.has(e.event_type)) {
    app.knownTypes.add(e.event_type);
    fillSelect($('filter-event-type'), app.knownTypes, 'all event types');
  }
}

/** Rebuilds a select's options (sorted by code point) keeping its value. */
function fillSelect(select, values, allLabel) {
  const current = select.value;
  const sorted = [...new Set([...values, ...(current ? [current] : [])])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (select.options.length === sorted.length + 1
      && sorted.every((v, i) => select.options[i + 1].value === v)) return;
  clear(select);
  select.append(el('option', { value: '', text: allLabel }));
  for (const v of sorted) select.append(el('option', { value: v, text: v }));
  select.value = current;
}

// ----------------------------------------------------------------------------------- toolbar

function wireToolbar() {
  $('pause').addEventListener('click', () => setPaused(!app.paused));
  $('autoscroll').addEventListener('click', () => setFollow(!app.follow));
  $('load-older').addEventListener('click', loadOlder);
  $('export-csv').addEventListener('click', () => download(`${exportName()}.csv`, toCsv(app.rows), 'text/csv;charset=utf-8'));
  $('export-ndjson').addEventListener('click', () => download(`${exportName()}.ndjson`, toNdjson(app.rows), 'application/x-ndjson'));
  $('detail-close').addEventListener('click', closeDetail);
  $('detail-copy').addEventListener('click', () => {
    if (app.selected) navigator.clipboard.writeText(JSON.stringify(app.selected, null, 2)).then(
      () => status('Copied.'), () => status('Copy failed (clipboard not available).', true));
  });
  $('connection-state').addEventListener('click', () => app.live.retryNow());
  document.addEventListener('keydown', onKey);
}

function setPaused(paused) {
  app.paused = paused;
  const b = $('pause');
  b.setAttribute('aria-pressed', String(paused));
  b.textContent = paused ? 'Resume' : 'Pause';
  if (!paused) {
    const buffered = app.pending;
    app.pending = [];
    if (app.pendingOverflow) {
      app.pendingOverflow = false;
      reload();
    } else {
      insert(buffered);
    }
  }
  showPending();
}

function setFollow(follow) {
  if (app.follow === follow) return;
  app.follow = follow;
  $('autoscroll').setAttribute('aria-pressed', String(follow));
  if (follow) app.list.added(0, true);
}

function onKey(ev) {
  if (ev.target.closest('input, select, textarea') || !$('key-prompt').hidden) return;
  if (ev.key === 'Escape') { closeDetail(); return; }
  if (ev.key === '/') { ev.preventDefault(); $('filter-q').focus(); return; }
  if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp' && ev.key !== 'j' && ev.key !== 'k') return;
  if (!app.rows.length) return;
  ev.preventDefault();
  const down = ev.key === 'ArrowDown' || ev.key === 'j';
  const at = app.selected ? app.list.indexOf(app.selected.id) : -1;
  const next = Math.max(0, Math.min(app.rows.length - 1, at < 0 ? 0 : at + (down ? 1 : -1)));
  select(app.list.eventAt(next));
  app.list.reveal(next);
}

// ------------------------------------------------------------------------------------- detail

function select(e) {
  app.selected = e;
  app.list.select(e.id);
  const panel = $('detail');
  panel.hidden = false;
  $('detail-title').textContent = `#${e.id} · ${e.event_type}`;
  const body = $('detail-body');
  clear(body);
  const fields = el('dl', { class: 'fields' });
  const add = (name, value, cls) => {
    fields.append(el('dt', { text: name }), el('dd', { class: cls, 'data-field': name, text: value ?? '—' }));
  };
  add('id', String(e.id));
  add('timestamp', e.timestamp);
  add('received_at', e.received_at);
  add('level', e.level, e.level ? `lvl-text-${e.level}` : 'dim');
  add('source', e.source);
  add('event_type', e.event_type);
  add('session_id', e.session_id);
  add('uuid', e.uuid);
  const tags = el('dd', { 'data-field': 'tags' });
  if (e.tags && e.tags.length) for (const t of e.tags) tags.append(el('span', { class: 'tag', text: t }));
  else tags.textContent = '—';
  fields.append(el('dt', { text: 'tags' }), tags);
  body.append(fields);
  body.append(el('h3', { text: 'message' }));
  body.append(el('pre', { class: 'message', 'data-testid': 'detail-message', text: e.message ?? '' }));
  body.append(el('h3', { text: 'data' }));
  body.append(e.data === null || e.data === undefined
    ? el('pre', { class: 'json dim', 'data-testid': 'detail-data', text: 'null' })
    : jsonView(e.data));
}

function closeDetail() {
  app.selected = null;
  app.list.select(null);
  $('detail').hidden = true;
}

// ------------------------------------------------------------------------------- status & counters

function showConnection(state, detail) {
  const box = $('connection-state');
  box.dataset.state = state;
  let text = state;
  if (state === 'reconnecting' && detail.retryAt) {
    text = `reconnecting (attempt ${detail.attempt})`;
    box.title = 'Lost the live stream; click to retry now';
  } else {
    box.title = 'live stream state';
  }
  if (state === 'offline' && detail.note) text = `offline (${detail.note})`;
  $('connection-text').textContent = text;
}

function status(message, isError = false) {
  const s = $('status');
  s.textContent = message || '';
  s.classList.toggle('error', Boolean(isError));
}

function showCount() {
  $('row-count').textContent = app.rows.length.toLocaleString('en');
  showOlder();
}

function showOlder() {
  const b = $('load-older');
  b.disabled = !app.hasOlder || !app.rows.length;
  b.textContent = app.hasOlder ? 'Load older' : 'No older events';
}

function showPending() {
  const p = $('pending');
  p.hidden = !app.paused;
  p.textContent = app.pendingOverflow ? `paused: over ${MAX_ROWS.toLocaleString('en')} buffered, will reload`
    : `paused: ${app.pending.length.toLocaleString('en')} buffered`;
}

/** Events and errors with received_at in the last 60 seconds (listed or buffered). */
function updateCounters() {
  const since = Date.now() - 60_000;
  let n = 0;
  let errors = 0;
  const scan = (list) => {
    for (let i = list.length - 1; i >= 0; i--) {
      const e = list[i];
      if (!(tsMillis(e.received_at) >= since)) break;
      n += 1;
      if (e.level === 'error' || e.level === 'fatal') errors += 1;
    }
  };
  scan(app.rows);
  scan(app.pending);
  $('rate').textContent = n.toLocaleString('en');
  $('errors').textContent = errors.toLocaleString('en');
  $('errors').parentElement.classList.toggle('hot', errors > 0);
}

/** Read-only hook for tests and the browser console. */
function exposeTestHook() {
  window.argus = Object.freeze({
    ids: () => app.rows.map((e) => e.id),
    pendingIds: () => app.pending.map((e) => e.id),
    cursor: () => app.cursor,
    filterMs: () => app.filterMs,
    state: () => app.live.state,
    historyReady: () => app.historyReady,
    catchUps: () => app.catchUps,
  });
}

init();
