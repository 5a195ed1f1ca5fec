// Toolbar: the header (title, connection state, counters, pause/follow, export), the status line and the keyboard shortcuts.

import { byTestId as $, tsMillis } from './dom.js';
import { download, exportName, toCsv, toNdjson } from './export.js';
import { MAX_ROWS } from './state.js';

/**
 * @param {object} state the shared state (rows, pending, paused, follow, selected)
 * @param {object} d dependencies: list (EventList), live (LiveStream), merge (live merge),
 *   detail (detail panel), focusSearch(), promptOpen()
 */
export function createToolbar(state, { list, live, merge, detail, focusSearch, promptOpen }) {
  function status(message, isError = false) {
    const s = $('status');
    s.textContent = message || '';
    s.classList.toggle('error', Boolean(isError));
  }

  function showConnection(liveState, info) {
    const box = $('connection-state');
    box.dataset.state = liveState;
    let text = liveState;
    if (liveState === 'reconnecting' && info.retryAt) {
      text = `reconnecting (attempt ${info.attempt})`;
      box.title = 'Lost the live stream; click to retry now';
    } else {
      box.title = 'live stream state';
    }
    if (liveState === 'offline' && info.note) text = `offline (${info.note})`;
    $('connection-text').textContent = text;
  }

  /** How long the browser took to filter the listed rows after a filter change. */
  function filterTiming(before, kept, ms) {
    const timing = $('filter-timing');
    if (before > 0) {
      timing.textContent = `filtered ${before.toLocaleString('en')} → ${kept.toLocaleString('en')} rows in ${ms.toFixed(1)} ms`;
    }
    timing.dataset.rows = String(before);
    timing.dataset.ms = ms.toFixed(2);
  }

  function showRowCount() {
    $('row-count').textContent = state.rows.length.toLocaleString('en');
  }

  function showPending() {
    const p = $('pending');
    p.hidden = !state.paused;
    p.textContent = state.pendingOverflow ? `paused: over ${MAX_ROWS.toLocaleString('en')} buffered, will reload`
      : `paused: ${state.pending.length.toLocaleString('en')} buffered`;
  }

  /** Events and errors with received_at in the last 60 seconds (listed or buffered). */
  function updateCounters() {
    const since = Date.now() - 60_000;
    let n = 0;
    let errors = 0;
    const scan = (rows) => {
      for (let i = rows.length - 1; i >= 0; i--) {
        const e = rows[i];
        if (!(tsMillis(e.received_at) >= since)) break;
        n += 1;
        if (e.level === 'error' || e.level === 'fatal') errors += 1;
      }
    };
    scan(state.rows);
    scan(state.pending);
    $('rate').textContent = n.toLocaleString('en');
    $('errors').textContent = errors.toLocaleString('en');
    $('errors').parentElement.classList.toggle('hot', errors > 0);
  }

  function setPaused(paused) {
    state.paused = paused;
    const b = $('pause');
    b.setAttribute('aria-pressed', String(paused));
    b.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) merge.releasePending();
    showPending();
  }

  function setFollow(follow) {
    if (state.follow === follow) return;
    state.follow = follow;
    $('autoscroll').setAttribute('aria-pressed', String(follow));
    if (follow) list.added(0, true);
  }

  function onKey(ev) {
    if (ev.target.closest('input, select, textarea') || promptOpen()) return;
    if (ev.key === 'Escape') { detail.close(); return; }
    if (ev.key === '/') { ev.preventDefault(); focusSearch(); return; }
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp' && ev.key !== 'j' && ev.key !== 'k') return;
    if (document.querySelector('[data-view="events"]').hidden) return; // the list's keys, on its view only
    if (!state.rows.length) return;
    ev.preventDefault();
    const down = ev.key === 'ArrowDown' || ev.key === 'j';
    const at = state.selected ? list.indexOf(state.selected.id) : -1;
    const next = Math.max(0, Math.min(state.rows.length - 1, at < 0 ? 0 : at + (down ? 1 : -1)));
    detail.select(list.eventAt(next));
    list.reveal(next);
  }

  /** The configured dashboard title (`web.title`), shown as text in the header and the tab. */
  function applyTitle(cfg) {
    if (cfg && typeof cfg.title === 'string' && cfg.title.trim()) {
      document.title = cfg.title;
      $('brand').textContent = cfg.title;
    }
  }

  function wire() {
    $('pause').addEventListener('click', () => setPaused(!state.paused));
    $('autoscroll').addEventListener('click', () => setFollow(!state.follow));
    $('export-csv').addEventListener('click', () => download(`${exportName()}.csv`, toCsv(state.rows), 'text/csv;charset=utf-8'));
    $('export-ndjson').addEventListener('click', () => download(`${exportName()}.ndjson`, toNdjson(state.rows), 'application/x-ndjson'));
    $('connection-state').addEventListener('click', () => live.retryNow());
    document.addEventListener('keydown', onKey);
    setInterval(updateCounters, 1000);
  }

  return { wire, applyTitle, status, showConnection, filterTiming, showRowCount, showPending, setFollow };
}
