// Lanes view (SPEC §17): one lane per session or per task (toggle, kept in the URL as `lanes=`),
// each lane its newest events first; lanes ordered by latest activity, pinned lanes first (pins
// kept in localStorage). The lanes are built from the rows the event list holds for the current
// filters (history + live), so they are live and agree with the list; task lanes need events that
// carry a task_id (SPEC §12.1).

import { byTestId as $, clear, el, shortTime } from '../dom.js';
import { replaceViewParams, viewParams } from '../url-state.js';
import { emptyState, miniEvent } from './common.js';

const PIN_STORAGE = 'argus.lanePins';
const PER_LANE = 50;
const MAX_LANES = 60;
const CHECK_MS = 400;

const timeOnly = (ts) => shortTime(ts).slice(6, 14);

/**
 * @param {object} state the shared state (rows)
 * @param {object} ctx api(), failed(e)
 */
export function createLanesView(state, ctx) {
  const root = $('lanes-view');
  let shown = false;
  let timer = 0;
  let seen = null;
  let taskNames = new Map();
  let sessionNames = new Map();
  let drawMs = 0;

  const mode = () => (viewParams().lanes === 'task' ? 'task' : 'session');
  const field = () => (mode() === 'task' ? 'task_id' : 'session_id');

  function pins() {
    try {
      const p = JSON.parse(localStorage.getItem(PIN_STORAGE) || '{}');
      return new Set(Array.isArray(p[mode()]) ? p[mode()] : []);
    } catch { return new Set(); }
  }

  function togglePin(key) {
    let all = {};
    try { all = JSON.parse(localStorage.getItem(PIN_STORAGE) || '{}') || {}; } catch { all = {}; }
    const set = new Set(Array.isArray(all[mode()]) ? all[mode()] : []);
    if (set.has(key)) set.delete(key); else set.add(key);
    all[mode()] = [...set];
    localStorage.setItem(PIN_STORAGE, JSON.stringify(all));
    draw(true);
  }

  async function loadNames() {
    const api = ctx.api();
    if (!api) return;
    try {
      const t = await api.get('/api/tasks', { include_hidden: 'true' });
      taskNames = new Map(t.items.map((x) => [x.id, x.name]));
    } catch (e) { if (ctx.failed(e)) return; }
    try {
      const s = await api.get('/sessions', { limit: 500 });
      sessionNames = new Map(s.sessions.map((x) => [x.id, x.project || '']));
    } catch (e) { if (ctx.failed(e)) return; }
    seen = null;
  }

  /** Lanes from the listed rows: [{key, events (newest first, at most PER_LANE), last, count}]. */
  function lanes() {
    const f = field();
    const by = new Map();
    const rows = state.rows;
    for (let i = rows.length - 1; i >= 0; i--) {
      const e = rows[i];
      const key = e[f];
      if (key === null || key === undefined || key === '') continue;
      let lane = by.get(key);
      if (!lane) { lane = { key, events: [], last: e.timestamp, count: 0 }; by.set(key, lane); }
      lane.count += 1;
      if (lane.events.length < PER_LANE) lane.events.push(e);
      if (e.timestamp > lane.last) lane.last = e.timestamp;
    }
    const pinned = pins();
    return [...by.values()].sort((a, b) => (pinned.has(b.key) - pinned.has(a.key))
      || (a.last < b.last ? 1 : a.last > b.last ? -1 : 0)).slice(0, MAX_LANES).map((l) => ({ ...l, pinned: pinned.has(l.key) }));
  }

  function toolbar() {
    const by = (m, label) => el('button', {
      type: 'button', class: 'btn', 'data-testid': `lanes-by-${m}`, 'aria-pressed': String(mode() === m), text: label,
      onclick: () => { replaceViewParams({ lanes: m === 'session' ? '' : m }); draw(true); },
    });
    return el('div', { class: 'toolrow' }, el('h2', { text: 'Lanes' }), by('session', 'By session'), by('task', 'By task'),
      el('span', { class: 'dim', text: 'from the listed events (current filters), newest first; pinned lanes first' }));
  }

  function draw(force = false) {
    const rows = state.rows;
    const key = [rows, rows.length, rows.length ? rows[rows.length - 1].id : 0, rows.length ? rows[0].id : 0, mode()];
    if (!force && seen && key.every((v, i) => v === seen[i])) return;
    seen = key;
    const t0 = performance.now();
    const focusKey = document.activeElement && root.contains(document.activeElement) ? document.activeElement.getAttribute('data-focus-key') : null;
    clear(root);
    root.append(toolbar());
    const ls = lanes();
    if (!ls.length) {
      root.append(emptyState('lanes-empty', mode() === 'task'
        ? 'No listed event carries a task_id (updates to tasks do).'
        : 'No listed event carries a session_id.'));
    } else {
      const grid = el('div', { class: 'lanes', 'data-testid': 'lanes' });
      for (const l of ls) {
        const name = mode() === 'task' ? taskNames.get(l.key) : sessionNames.get(l.key);
        const body = el('div', { class: 'lane-body mini-events' });
        for (const e of l.events) body.append(miniEvent(e, timeOnly));
        grid.append(el('section', { class: `lane${l.pinned ? ' pinned' : ''}`, 'data-testid': 'lane', 'data-key': l.key, 'data-pinned': String(l.pinned) },
          el('div', { class: 'lane-head' },
            el('span', { class: 'lane-title', 'data-testid': 'lane-title', text: name || l.key, title: l.key }),
            el('span', { class: 'dim', text: `${l.count}` }),
            el('button', { type: 'button', class: 'btn btn-quiet', 'data-testid': 'lane-pin', 'data-focus-key': `pin-${l.key}`,
              'aria-pressed': String(l.pinned), text: l.pinned ? 'Unpin' : 'Pin', onclick: () => togglePin(l.key) })),
          body));
      }
      root.append(grid);
    }
    if (focusKey) {
      const again = root.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
      if (again) again.focus();
    }
    drawMs = performance.now() - t0;
  }

  return {
    show() {
      root.hidden = false;
      shown = true;
      seen = null;
      draw(true);
      loadNames();
      clearInterval(timer);
      timer = setInterval(() => draw(false), CHECK_MS);
    },
    hide() { root.hidden = true; shown = false; clearInterval(timer); },
    update() { draw(true); },
    refresh() { if (shown) loadNames(); },
    stats: () => ({ drawMs }),
  };
}
