// URL state: the filter (and the view) kept in the URL fragment, so a view can be bookmarked.

/** Fragment names that carry the filter; `view` names the view (absent for the default one). */
const FILTER_NAMES = ['source', 'event_type', 'level', 'since', 'until', 'q', 'tag', 'session_id'];
export const DEFAULT_VIEW = 'events';
/** Fragment names a view keeps for itself (the open task or session, the lane grouping). */
const VIEW_NAMES = ['task', 'session', 'lanes'];

const params = (hash) => new URLSearchParams(hash.slice(1));

/** The fragment for a filter on a view (`#source=a&level=error&level=warn`); '' for no filter on the default view. */
export function toHash(f, view = DEFAULT_VIEW, extras = {}) {
  const p = new URLSearchParams();
  if (view && view !== DEFAULT_VIEW) p.append('view', view);
  for (const name of VIEW_NAMES) if (extras[name]) p.append(name, extras[name]);
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

/** The filter a fragment names, as the filter bar shows it; null when it names none. */
export function filterFromHash(hash = location.hash) {
  const p = params(hash);
  if (![...p.keys()].some((k) => FILTER_NAMES.includes(k))) return null;
  return {
    source: p.get('source') || '',
    event_type: p.get('event_type') || '',
    levels: p.getAll('level'),
    since: p.get('since') || '',
    until: p.get('until') || '',
    q: p.get('q') || '',
    tags: p.getAll('tag'),
    session_id: p.get('session_id') || '',
  };
}

/** The view a fragment names (the default view when none). */
export function viewFromHash(hash = location.hash) {
  return params(hash).get('view') || DEFAULT_VIEW;
}

/** The view's own fragment values (`task`, `session`, `lanes`). */
export function viewParams(hash = location.hash) {
  const p = params(hash);
  return Object.fromEntries(VIEW_NAMES.map((n) => [n, p.get(n) || '']));
}

/** Shows `filter` in the URL fragment of the current view, without a history entry or a hashchange. */
export function writeFilter(filter) {
  const hash = toHash(filter, viewFromHash(), viewParams());
  if (hash !== location.hash) history.replaceState(null, '', hash || location.pathname + location.search);
}

/** Goes to a view (a history entry and a hashchange), keeping the filter the fragment holds. */
export function goTo(view, extras = {}) {
  const f = filterFromHash() || { source: '', event_type: '', levels: [], since: '', until: '', q: '', tags: [], session_id: '' };
  const hash = toHash(f, view, extras);
  if (hash === location.hash || (!hash && !location.hash)) return;
  location.hash = hash || '#';
}

/** Replaces the view's own values in the fragment without a history entry. */
export function replaceViewParams(extras) {
  const f = filterFromHash() || { source: '', event_type: '', levels: [], since: '', until: '', q: '', tags: [], session_id: '' };
  const hash = toHash(f, viewFromHash(), { ...viewParams(), ...extras });
  if (hash !== location.hash) history.replaceState(null, '', hash || location.pathname + location.search);
}

/** Calls `fn()` when the user changes the fragment (back/forward, an edited or followed link). */
export function onHashChange(fn) {
  window.addEventListener('hashchange', fn);
}
