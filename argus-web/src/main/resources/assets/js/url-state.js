// URL state: the filter (and the view) kept in the URL fragment, so a view can be bookmarked.

/** Fragment names that carry the filter; `view` names the view (absent for the default one). */
const FILTER_NAMES = ['source', 'event_type', 'level', 'since', 'until', 'q', 'tag', 'session_id'];
export const DEFAULT_VIEW = 'events';

const params = (hash) => new URLSearchParams(hash.slice(1));

/** The fragment for a filter on a view (`#source=a&level=error&level=warn`); '' for no filter on the default view. */
export function toHash(f, view = DEFAULT_VIEW) {
  const p = new URLSearchParams();
  if (view && view !== DEFAULT_VIEW) p.append('view', view);
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

/** Shows `filter` in the URL fragment of the current view, without a history entry or a hashchange. */
export function writeFilter(filter) {
  const hash = toHash(filter, viewFromHash());
  if (hash !== location.hash) history.replaceState(null, '', hash || location.pathname + location.search);
}

/** Calls `fn()` when the user changes the fragment (back/forward, an edited or followed link). */
export function onHashChange(fn) {
  window.addEventListener('hashchange', fn);
}
