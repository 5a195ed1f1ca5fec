// History paging: GET /events for the current filter — the first pages after a filter change, "load older" (before_id) and catch-up (after_id).

import { byTestId as $ } from './dom.js';
import { liveFilters, queryParams } from './filters.js';

/** Events per history request (first load and each "load older"). */
const PAGE = 500;
/** The server's maximum `limit`. */
const MAX_LIMIT = 1000;
/** A filter change reloads at most this many rows to replace what the browser filtered. */
const MAX_RELOAD = 10_000;

/**
 * @param {object} state the shared state
 * @param {object} d dependencies: list (EventList), live (LiveStream), merge (live merge),
 *   ui (toolbar: status, filterTiming, showRowCount), authFailed(e) (signs out on a 401, true when it did)
 */
export function createHistory(state, { list, live, merge, ui, authFailed }) {
  /**
   * Applies the current filter: filters the listed rows in the browser at once (timed), then loads
   * history from the server and subscribes from its newest id, so live continues without a gap.
   */
  async function reload() {
    if (!state.api) return;
    const gen = ++state.generation;
    if (state.abort) state.abort.abort();
    const abort = new AbortController();
    state.abort = abort;
    live.hold();
    state.historyReady = false;
    state.loading = true;
    merge.flushIncoming();

    // buffered events are committed, so the reloaded history holds those that match
    merge.dropPending();

    const t0 = performance.now();
    const before = state.rows.length;
    const kept = state.rows.filter(state.pred);
    merge.replace(kept);
    list.render();
    state.filterMs = performance.now() - t0;
    ui.filterTiming(before, kept.length, state.filterMs);
    ui.status('Loading…');

    const params = queryParams(state.resolved);
    const want = Math.min(MAX_RELOAD, Math.max(PAGE, kept.length));
    const loaded = [];
    let next = null;
    try {
      do {
        const limit = Math.min(MAX_LIMIT, want - loaded.length);
        const page = await state.api.get('/events', { ...params, limit, before_id: next ?? undefined }, abort.signal);
        loaded.push(...page.events);
        next = page.next_before_id;
      } while (next !== null && next !== undefined && loaded.length < want);
    } catch (e) {
      if (gen !== state.generation || e.name === 'AbortError') return;
      state.loading = false;
      if (authFailed(e)) return;
      const transient = e.status === 0 || e.status >= 500;
      ui.status(`History unavailable: ${e.message}${transient ? ' (retrying)' : ''}`, true);
      if (transient) setTimeout(() => { if (gen === state.generation && !state.historyReady && !state.loading) reload(); }, 3000);
      return;
    }
    if (gen !== state.generation) return;
    state.loading = false;
    loaded.reverse();
    merge.replace(loaded);
    state.cursor = loaded.length ? loaded[loaded.length - 1].id : 0;
    state.hasOlder = next !== null && next !== undefined;
    state.historyReady = true;
    list.added(0, state.follow);
    showOlder();
    ui.status(loaded.length ? '' : 'No events match these filters yet.');
    live.subscribe(liveFilters(state.resolved), () => state.cursor);
  }

  /** Stops a reload in flight and forgets the history (sign-out). */
  function cancel() {
    if (state.abort) state.abort.abort();
    state.generation += 1;
    state.api = null;
    state.historyReady = false;
    state.loading = false;
  }

  /** Pages forward from `afterId` after a replay_truncated, merging what the replay left out. */
  async function fillFrom(afterId, gen = state.generation) {
    state.catchUps += 1;
    let after = afterId;
    let failures = 0;
    ui.status(`Catching up from #${afterId}…`);
    for (;;) {
      try {
        const page = await state.api.get('/events',
          { ...queryParams(state.resolved), after_id: after, order: 'asc', limit: MAX_LIMIT });
        if (gen !== state.generation) return;
        merge.acceptPage(page.events);
        if (page.events.length < MAX_LIMIT) break;
        after = page.events[page.events.length - 1].id;
        failures = 0;
      } catch (e) {
        if (gen !== state.generation) return;
        if (authFailed(e)) return;
        failures += 1;
        if (failures > 3) {
          // the live stream has moved past the hole: start over rather than show a gap
          ui.status(`Catching up failed (${e.message}); reloading.`, true);
          reload();
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** (failures - 1)));
        if (gen !== state.generation) return;
      }
    }
    ui.status('');
  }

  async function loadOlder() {
    if (!state.api || !state.rows.length) return;
    const gen = state.generation;
    const button = $('load-older');
    button.disabled = true;
    try {
      const page = await state.api.get('/events',
        { ...queryParams(state.resolved), before_id: state.rows[0].id, limit: PAGE });
      if (gen !== state.generation) return;
      const added = merge.prepend(page.events);
      state.hasOlder = page.next_before_id !== null && page.next_before_id !== undefined;
      ui.showRowCount();
      ui.status(added ? `Loaded ${added} older events.` : 'No older events.');
    } catch (e) {
      if (!authFailed(e)) ui.status(`Loading older events failed: ${e.message}`, true);
    } finally {
      showOlder();
    }
  }

  /** The "load older" button: enabled while the server holds older matching events. */
  function showOlder() {
    const b = $('load-older');
    b.disabled = !state.hasOlder || !state.rows.length;
    b.textContent = state.hasOlder ? 'Load older' : 'No older events';
  }

  function wire() {
    $('load-older').addEventListener('click', loadOlder);
  }

  return { reload, cancel, fillFrom, loadOlder, showOlder, wire };
}
