// Detail panel: the selected event with every field and its data as highlighted JSON (json-view.js).

import { byTestId as $, clear, el } from './dom.js';
import { jsonView } from './json-view.js';

/**
 * @param {object} state the shared state (selected)
 * @param {object} list the EventList (marks the selected row)
 * @param {object} h handlers: status(message, isError)
 */
export function createDetail(state, list, h) {
  function select(e) {
    state.selected = e;
    list.select(e.id);
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

  function close() {
    state.selected = null;
    list.select(null);
    $('detail').hidden = true;
  }

  function wire() {
    $('detail-close').addEventListener('click', close);
    $('detail-copy').addEventListener('click', () => {
      if (state.selected) navigator.clipboard.writeText(JSON.stringify(state.selected, null, 2)).then(
        () => h.status('Copied.'), () => h.status('Copy failed (clipboard not available).', true));
    });
  }

  return { select, close, wire };
}
