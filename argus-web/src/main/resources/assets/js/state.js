// Shared state: the one plain object the dashboard's modules read and write (no logic here).

import { emptyFilter, resolve } from './filters.js';

/** Rows kept in the list; beyond it the oldest are dropped (and "load older" brings them back). */
export const MAX_ROWS = 50_000;

export function createState() {
  return {
    api: null,         // Api with the current key, null while signed out
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
    generation: 0,     // bumped by each reload and sign-out; stale answers compare and drop
    abort: null,
    hasOlder: false,
    paused: false,
    follow: true,
    selected: null,
    filterMs: null,
    frame: 0,
    catchUps: 0,       // replay_truncated answers handled
  };
}
