// Live merge: events from the stream and from catch-up pages go into the rows once each (dedupe by id), in id order.

import { MAX_ROWS } from './state.js';

/**
 * @param {object} state the shared state (rows, ids, incoming, pending, cursor, paused, follow)
 * @param {object} list the EventList showing `state.rows`
 * @param {object} h handlers: discovered(e) for each new event, counted() after the rows changed,
 *   trimmed() after the oldest rows were dropped, pendingChanged(), reload()
 */
export function createLiveMerge(state, list, h) {
  /** A live event: listed at the next frame, buffered while paused, dropped when seen or filtered out. */
  function accept(e) {
    if (state.ids.has(e.id)) return;
    if (e.id > state.cursor) state.cursor = e.id;
    if (!state.pred(e)) return;
    state.ids.add(e.id);
    h.discovered(e);
    if (state.paused) {
      if (state.pending.length >= MAX_ROWS) { state.pendingOverflow = true; state.ids.delete(e.id); }
      else state.pending.push(e);
      h.pendingChanged();
      return;
    }
    state.incoming.push(e);
    if (!state.frame) state.frame = requestAnimationFrame(() => { state.frame = 0; flushIncoming(); });
  }

  /** Events of a catch-up page (ascending): the new ones that match are listed, or buffered while paused. */
  function acceptPage(events) {
    const fresh = events.filter((e) => !state.ids.has(e.id) && state.pred(e));
    for (const e of fresh) { state.ids.add(e.id); if (e.id > state.cursor) state.cursor = e.id; }
    if (state.paused) state.pending.push(...fresh); else insert(fresh);
  }

  /** Moves events that arrived since the last frame into the list. */
  function flushIncoming() {
    if (!state.incoming.length) return;
    const batch = state.incoming;
    state.incoming = [];
    insert(batch);
  }

  /** Inserts events (any order, already deduplicated) keeping `rows` ascending by id. */
  function insert(events) {
    if (!events.length) return;
    const rows = state.rows;
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
    list.setRows(rows);
    list.added(above, state.follow);
    h.counted();
  }

  function trim() {
    const excess = state.rows.length - MAX_ROWS;
    if (excess > 0) {
      for (const e of state.rows.splice(0, excess)) state.ids.delete(e.id);
      state.hasOlder = true;
      h.trimmed();
    }
  }

  /** Replaces the rows (ascending by id); buffered events stay known for the dedupe. */
  function replace(rows) {
    state.rows = rows;
    state.ids = new Set(rows.map((e) => e.id));
    for (const e of state.pending) state.ids.add(e.id);
    list.setRows(rows);
    h.counted();
  }

  /** Puts older events (descending, as a page comes) before the rows; returns how many were new. */
  function prepend(page) {
    const older = page.filter((e) => !state.ids.has(e.id)).reverse();
    for (const e of older) state.ids.add(e.id);
    state.rows = older.concat(state.rows);
    list.setRows(state.rows);
    return older.length;
  }

  /** Drops what was buffered while paused (a reload brings back what matches). */
  function dropPending() {
    state.pending = [];
    state.pendingOverflow = false;
    h.pendingChanged();
  }

  /** After a resume: lists what was buffered, or reloads when the buffer overflowed. */
  function releasePending() {
    const buffered = state.pending;
    state.pending = [];
    if (state.pendingOverflow) {
      state.pendingOverflow = false;
      h.reload();
    } else {
      insert(buffered);
    }
  }

  /** Empties the rows and buffers (sign-out). */
  function clearAll() {
    replace([]);
    state.pending = [];
    state.incoming = [];
    h.pendingChanged();
  }

  return { accept, acceptPage, flushIncoming, replace, prepend, dropPending, releasePending, clearAll };
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
