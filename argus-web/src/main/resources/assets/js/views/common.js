// Helpers shared by the views (sessions, tasks, lanes). Text only through textContent/attributes.

import { el, shortTime, tsMillis } from '../dom.js';

/** "42s", "5m", "3h", "2d" since an Argus timestamp ('' when none). */
export function since(ts, now = Date.now()) {
  const ms = tsMillis(ts);
  if (Number.isNaN(ms)) return '';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** A status dot (colour by status) followed by the status as text. */
export function dot(status) {
  return el('span', { class: 'dot', 'data-status': status || '', 'aria-hidden': 'true' });
}

/** The empty state: a message box (data-testid given). */
export function emptyState(testid, text) {
  return el('div', { class: 'empty-state', 'data-testid': testid, text });
}

/** A compact event line (time, level, message) for session pages and lanes. */
export function miniEvent(e, time = shortTime) {
  return el('div', { class: 'me', 'data-testid': 'mini-event', 'data-id': e.id, title: e.message || '' },
    el('span', { class: 'dim', text: time(e.timestamp), title: e.timestamp }),
    el('span', { class: `lvl-text-${e.level || ''}`, text: e.level || '—' }),
    el('span', { text: e.message ?? `${e.source} ${e.event_type}` }));
}

/** A 404 from a route this server does not have yet (sessions, updates). */
export const isMissing = (e) => e && e.status === 404;
