// The filter state: what the bar shows, what GET /events and the WebSocket subscribe receive, and
// the same rules applied in the browser (SPEC §3: repeated values OR, different filters AND).

export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const LEVEL_RANK = Object.fromEntries(LEVELS.map((l, i) => [l, i]));

/** An empty filter: every event. */
export function emptyFilter() {
  return { source: '', event_type: '', levels: [], since: '', until: '', q: '', tags: [], session_id: '' };
}

const UNITS = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/**
 * Turns what the user typed into an ISO-8601 UTC instant: relative (`30s`, `15m`, `2h`, `7d`,
 * `1w`, meaning that long before now), or a date-time. A date-time without an offset is local
 * time, as the list shows local time. Returns '' for blank input and null when unreadable.
 */
export function parseTime(text, now = Date.now()) {
  const s = (text || '').trim();
  if (!s) return '';
  const rel = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(s);
  if (rel) return new Date(now - Number(rel[1]) * UNITS[rel[2].toLowerCase()]).toISOString();
  if (s.toLowerCase() === 'now') return new Date(now).toISOString();
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (!iso) return null;
  const time = iso[2] || '00:00';
  const fraction = /\.(\d+)$/.exec(time);
  const base = fraction ? time.slice(0, time.indexOf('.')) : time;
  const millis = fraction ? '.' + fraction[1].slice(0, 3).padEnd(3, '0') : '';
  const text2 = `${iso[1]}T${base.length === 5 ? base + ':00' : base}${millis}`;
  const ms = iso[3] ? Date.parse(text2 + (iso[3].toUpperCase() === 'Z' ? 'Z' : normOffset(iso[3])))
                    : new Date(text2).getTime(); // no offset: local time
  if (Number.isNaN(ms)) return null;
  const out = new Date(ms).toISOString(); // millisecond precision
  // keep sub-millisecond digits the user typed, so `until` stays inclusive to the microsecond
  if (fraction && fraction[1].length > 3) return out.slice(0, 23) + fraction[1].slice(3, 6).padEnd(3, '0') + 'Z';
  return out;
}

function normOffset(off) {
  return off.includes(':') ? off : off.slice(0, 3) + ':' + off.slice(3);
}

/** Normalises an ISO instant to the server's form (6 fraction digits, Z) for string comparison. */
function sixDigits(iso) {
  // iso is either `…SS.mmmZ` or `…SS.mmmuuuZ`
  const body = iso.slice(0, -1);
  const dot = body.indexOf('.');
  return dot < 0 ? body + '.000000Z' : body.slice(0, dot + 1) + body.slice(dot + 1).padEnd(6, '0') + 'Z';
}

/**
 * Resolves the typed filter into absolute values once (relative times become instants), so the
 * history query, the subscription and the browser-side predicate agree.
 */
export function resolve(filter, now = Date.now()) {
  const since = parseTime(filter.since, now);
  const until = parseTime(filter.until, now);
  return {
    source: filter.source,
    event_type: filter.event_type,
    levels: [...filter.levels],
    since: since || '',
    until: until || '',
    q: filter.q.trim(),
    tags: filter.tags.filter(Boolean),
    session_id: filter.session_id.trim(),
    invalid: [since === null ? 'since' : null, until === null ? 'until' : null].filter(Boolean),
  };
}

/** Query parameters for GET /events (only the names the API accepts). */
export function queryParams(r) {
  return {
    source: r.source || undefined,
    event_type: r.event_type || undefined,
    level: r.levels.length ? r.levels : undefined,
    session_id: r.session_id || undefined,
    tag: r.tags.length ? r.tags : undefined,
    since: r.since || undefined,
    until: r.until || undefined,
    q: r.q || undefined,
  };
}

/** `filters` of a WebSocket subscribe (no time range there; the browser applies it). */
export function liveFilters(r) {
  const f = {};
  if (r.source) f.source = r.source;
  if (r.event_type) f.event_type = r.event_type;
  if (r.levels.length) f.level = r.levels.length === 1 ? r.levels[0] : r.levels;
  if (r.session_id) f.session_id = r.session_id;
  if (r.tags.length) f.tag = r.tags.length === 1 ? r.tags[0] : r.tags;
  if (r.q) f.q = r.q;
  return f;
}

/**
 * The server's case rule for `q` (TextFold in argus-service): Unicode's full upper-case mapping
 * without a locale on both sides, then a substring test. Upper-casing has no context rules, so a
 * word folds the same alone as inside a message (é finds É, straße finds STRASSE, σ finds ς).
 */
export function foldText(s) {
  return s.toUpperCase();
}

/** A predicate with the server's semantics, used for instant client-side filtering. */
export function predicate(r) {
  const levels = r.levels.length ? new Set(r.levels) : null;
  const tags = r.tags.length ? r.tags : null;
  const q = r.q ? foldText(r.q) : '';
  const since = r.since ? sixDigits(r.since) : '';
  const until = r.until ? sixDigits(r.until) : '';
  return (e) => {
    if (r.source && e.source !== r.source) return false;
    if (r.event_type && e.event_type !== r.event_type) return false;
    if (levels && !levels.has(e.level)) return false;
    if (r.session_id && e.session_id !== r.session_id) return false;
    if (tags && !(e.tags && tags.some((t) => e.tags.includes(t)))) return false;
    if (since && !(e.timestamp >= since)) return false;
    if (until && !(e.timestamp <= until)) return false;
    if (q && !(e.message && foldText(e.message).includes(q))) return false;
    return true;
  };
}

export function levelRank(level) {
  return LEVEL_RANK[level] ?? -1;
}
