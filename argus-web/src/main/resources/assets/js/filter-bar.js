// Filter bar: the filter form (selects, level chips, inputs), applying what it shows, and the known sources and event types.

import { byTestId as $, clear, el } from './dom.js';
import { LEVELS, predicate, resolve } from './filters.js';
import { filterFromHash, onHashChange, writeFilter } from './url-state.js';

const TYPING_DELAY_MS = 350;

/**
 * @param {object} state the shared state (filter, resolved, pred, api)
 * @param {object} h handlers: reload(), status(message, isError), authFailed(e)
 */
export function createFilterBar(state, h) {
  const knownSources = new Set();
  let knownTypes = new Set();
  let typingTimer = 0;

  function buildLevelChips() {
    const box = $('level-chips');
    for (const level of LEVELS) {
      box.append(el('button', {
        type: 'button', class: `chip lvl-${level}`, 'data-testid': `level-${level}`, 'data-level': level,
        'aria-pressed': 'false', text: level,
        onclick: (ev) => {
          const b = ev.currentTarget;
          b.setAttribute('aria-pressed', b.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
          apply();
        },
      }));
    }
  }

  /** The filter as typed in the bar. */
  function read() {
    const split = (s) => s.split(',').map((t) => t.trim()).filter(Boolean);
    return {
      source: $('filter-source').value,
      event_type: $('filter-event-type').value,
      levels: [...document.querySelectorAll('.chip[aria-pressed="true"]')].map((b) => b.dataset.level),
      since: $('filter-since').value,
      until: $('filter-until').value,
      q: $('filter-q').value,
      tags: split($('filter-tag').value),
      session_id: $('filter-session').value,
    };
  }

  /** Puts a filter into the bar (without applying it). */
  function show(f) {
    $('filters').reset();
    const setSelect = (select, value) => {
      if (value && ![...select.options].some((o) => o.value === value)) select.append(el('option', { value, text: value }));
      select.value = value || '';
    };
    setSelect($('filter-source'), f.source);
    setSelect($('filter-event-type'), f.event_type);
    const levels = new Set(f.levels);
    for (const b of document.querySelectorAll('.chip')) b.setAttribute('aria-pressed', String(levels.has(b.dataset.level)));
    $('filter-since').value = f.since;
    $('filter-until').value = f.until;
    $('filter-q').value = f.q;
    $('filter-tag').value = f.tags.join(', ');
    $('filter-session').value = f.session_id;
  }

  /** Makes what the bar shows the current filter (when valid and changed), in the URL too, and reloads. */
  function apply() {
    clearTimeout(typingTimer);
    const typed = read();
    const resolved = resolve(typed);
    for (const name of ['since', 'until']) {
      const input = $(`filter-${name}`);
      const bad = resolved.invalid.includes(name);
      input.classList.toggle('invalid', bad);
      if (input.dataset.help === undefined) input.dataset.help = input.title;
      input.title = bad ? 'Not a time: use 30s, 15m, 2h, 7d or 2026-01-31T08:00[:00][Z|+01:00]' : input.dataset.help;
    }
    if (resolved.invalid.length) {
      h.status(`Invalid ${resolved.invalid.join(' and ')}: filters not applied.`, true);
      return;
    }
    if (JSON.stringify(typed) === JSON.stringify(state.filter)) return;
    const sourceChanged = typed.source !== state.filter.source;
    state.filter = typed;
    state.resolved = resolved;
    state.pred = predicate(resolved);
    writeFilter(typed);
    if (sourceChanged) refreshTypes();
    h.reload();
  }

  /** Adopts the filter in the URL fragment as the current filter before the first load. */
  function adoptHashFilter() {
    const f = filterFromHash();
    if (!f) return;
    show(f);
    const typed = read();
    const resolved = resolve(typed);
    if (resolved.invalid.length) return;
    state.filter = typed;
    state.resolved = resolved;
    state.pred = predicate(resolved);
  }

  function wire() {
    buildLevelChips();
    const form = $('filters');
    form.addEventListener('submit', (ev) => { ev.preventDefault(); apply(); });
    for (const id of ['filter-source', 'filter-event-type']) $(id).addEventListener('change', apply);
    for (const id of ['filter-since', 'filter-until', 'filter-q', 'filter-tag', 'filter-session']) {
      const input = $(id);
      input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); apply(); } });
      input.addEventListener('change', apply);
      input.addEventListener('input', () => {
        clearTimeout(typingTimer);
        typingTimer = setTimeout(apply, TYPING_DELAY_MS);
      });
    }
    $('filter-source').addEventListener('focus', refreshSources);
    onHashChange(() => {
      const f = filterFromHash();
      if (f) { show(f); apply(); }
    });
    $('filter-clear').addEventListener('click', () => {
      form.reset();
      for (const b of document.querySelectorAll('.chip')) b.setAttribute('aria-pressed', 'false');
      apply();
    });
  }

  async function refreshSources() {
    if (!state.api) return;
    try {
      const body = await state.api.get('/sources');
      for (const s of body.sources) knownSources.add(s);
      fillSelect($('filter-source'), knownSources, 'all sources');
    } catch (e) {
      h.authFailed(e);
    }
  }

  async function refreshTypes() {
    if (!state.api) return;
    const source = $('filter-source').value;
    try {
      const body = await state.api.get('/event-types', { source: source || undefined });
      if (source !== $('filter-source').value) return;
      knownTypes = new Set(body.event_types);
      fillSelect($('filter-event-type'), knownTypes, 'all event types');
    } catch (e) {
      h.authFailed(e);
    }
  }

  /** Adds a live event's source and event type to the selects when new. */
  function noteDiscovery(e) {
    if (!knownSources.has(e.source)) {
      knownSources.add(e.source);
      fillSelect($('filter-source'), knownSources, 'all sources');
    }
    const source = $('filter-source').value;
    if ((!source || source === e.source) && !knownTypes.has(e.event_type)) {
      knownTypes.add(e.event_type);
      fillSelect($('filter-event-type'), knownTypes, 'all event types');
    }
  }

  const focusSearch = () => $('filter-q').focus();

  /** Puts a time range into the bar (the chart's drag) and applies it; '' clears that end. */
  function setRange(since, until) {
    $('filter-since').value = since;
    $('filter-until').value = until;
    apply();
  }

  return { wire, adoptHashFilter, refreshSources, refreshTypes, noteDiscovery, focusSearch, setRange };
}

/** Rebuilds a select's options (sorted by code point) keeping its value. */
function fillSelect(select, values, allLabel) {
  const current = select.value;
  const sorted = [...new Set([...values, ...(current ? [current] : [])])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (select.options.length === sorted.length + 1
      && sorted.every((v, i) => select.options[i + 1].value === v)) return;
  clear(select);
  select.append(el('option', { value: '', text: allLabel }));
  for (const v of sorted) select.append(el('option', { value: v, text: v }));
  select.value = current;
}
