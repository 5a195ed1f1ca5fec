// Sessions view (SPEC §17, the API of §12.3): active, idle and ended sessions with project, age,
// counts and a status dot; `#view=sessions&session=ID` opens one: its agents nested by
// parent_agent_id, its events (GET /events?session_id=), its task, and a button to close it.
// Live: the WebSocket's lifecycle messages (session_started, agent_completed, …) reload the list or
// the open session (coalesced); a slow poll covers idle detection. When the server has no
// /sessions route (404) the view says so instead of failing.

import { byTestId as $, clear, el, shortTime } from '../dom.js';
import { goTo, viewParams } from '../url-state.js';
import { dot, emptyState, isMissing, miniEvent, since } from './common.js';

const POLL_MS = 15_000;
const EVENTS = 200;

/**
 * @param {object} ctx api(), failed(e), status(message, isError)
 */
export function createSessionsView(ctx) {
  const root = $('sessions-view');
  let shown = false;
  let timer = 0;
  let soon = 0;
  let statusFilter = '';
  let openId = '';

  function report(e, what) {
    if (ctx.failed(e)) return;
    ctx.status(`${what}: ${e.message}`, true);
  }

  async function load() {
    const api = ctx.api();
    if (!api || !shown) return;
    if (openId) return loadOne(api, openId);
    let body;
    try {
      body = await api.get('/sessions', { status: statusFilter || undefined, limit: 500 });
    } catch (e) {
      if (isMissing(e)) { renderList(null); return; }
      report(e, 'Loading sessions failed');
      return;
    }
    if (!openId) renderList(body.sessions);
  }

  async function loadOne(api, id) {
    let session;
    let events = [];
    try {
      session = await api.get(`/sessions/${encodeURIComponent(id)}`);
    } catch (e) {
      if (!isMissing(e)) { report(e, 'Loading the session failed'); return; }
      session = null;
    }
    try {
      events = (await api.get('/events', { session_id: id, limit: EVENTS })).events;
    } catch (e) {
      report(e, 'Loading its events failed');
    }
    if (openId === id) renderOne(id, session, events);
  }

  function filterRow() {
    const select = el('select', { 'data-testid': 'sessions-status', title: 'status', 'aria-label': 'session status' });
    for (const [v, label] of [['', 'all statuses'], ['active', 'active'], ['idle', 'idle'], ['ended', 'ended']]) {
      select.append(el('option', { value: v, text: label }));
    }
    select.value = statusFilter;
    select.addEventListener('change', () => { statusFilter = select.value; load(); });
    return el('div', { class: 'toolrow' }, el('h2', { text: 'Sessions' }), select,
      el('button', { type: 'button', class: 'btn btn-quiet', 'data-testid': 'sessions-refresh', text: 'Refresh', onclick: load }));
  }

  function renderList(sessions) {
    const focusedStatus = document.activeElement && document.activeElement.getAttribute('data-testid') === 'sessions-status';
    clear(root);
    root.append(filterRow());
    if (focusedStatus) root.querySelector('[data-testid=sessions-status]').focus();
    if (sessions === null) {
      root.append(emptyState('sessions-unavailable',
        'Sessions are not available on this server yet (GET /sessions answered 404). They come from Claude Code hooks (SPEC §12).'));
      return;
    }
    if (!sessions.length) {
      root.append(emptyState('sessions-empty', 'No sessions yet. Install the hooks with `argus hooks install claude`.'));
      return;
    }
    const table = el('table', { class: 'sess-table', 'data-testid': 'sessions-table' },
      el('thead', {}, el('tr', {}, ...['', 'project', 'status', 'age', 'last event', 'events', 'tools', 'errors', 'agents', 'task']
        .map((h) => el('th', { text: h })))));
    const body = el('tbody');
    for (const s of sessions) {
      body.append(el('tr', { 'data-testid': 'session-row', 'data-id': s.id, 'data-status': s.status },
        el('td', {}, dot(s.status)),
        el('td', {}, el('button', { type: 'button', class: 'linkish', 'data-testid': 'session-open', text: s.project || s.id,
          title: `${s.id}${s.cwd ? ` in ${s.cwd}` : ''}`, onclick: () => goTo('sessions', { session: s.id }) })),
        el('td', { text: s.status }),
        el('td', { text: since(s.started_at), title: s.started_at }),
        el('td', { text: s.last_event_at ? `${since(s.last_event_at)} ago` : '', title: s.last_event_at || '' }),
        el('td', { text: String(s.event_count ?? '') }),
        el('td', { text: String(s.tool_count ?? '') }),
        el('td', { class: s.error_count ? 'lvl-text-error' : '', text: String(s.error_count ?? '') }),
        el('td', { text: String(s.agent_count ?? '') }),
        el('td', {}, s.task_id ? el('button', { type: 'button', class: 'linkish', text: 'task', 'data-testid': 'session-task',
          onclick: () => goTo('tasks', { task: s.task_id }) }) : '')));
    }
    table.append(body);
    root.append(table);
  }

  function agentTree(agents) {
    const children = new Map();
    const ids = new Set(agents.map((a) => a.agent_id).concat(agents.map((a) => a.id)));
    for (const a of agents) {
      const parent = a.parent_agent_id && ids.has(a.parent_agent_id) ? a.parent_agent_id : '';
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(a);
    }
    const build = (parent, depth) => {
      const ul = el('ul', depth ? {} : { class: 'agents', 'data-testid': 'agents' });
      for (const a of children.get(parent) || []) {
        const li = el('li', { 'data-testid': 'agent', 'data-id': a.id, 'data-status': a.status },
          dot(a.status),
          el('span', { text: a.name || a.type || a.id }),
          el('span', { class: 'dim', text: ` ${a.type || ''} · ${a.status} · ${a.event_count ?? 0} events · ${a.started_at ? shortTime(a.started_at) : ''}` }));
        const key = a.agent_id || a.id;
        if (depth < 20 && (children.has(key) || children.has(a.id))) {
          if (children.has(key)) li.append(build(key, depth + 1));
          if (a.agent_id && a.agent_id !== a.id && children.has(a.id)) li.append(build(a.id, depth + 1));
        }
        ul.append(li);
      }
      return ul;
    };
    return build('', 0);
  }

  function renderOne(id, s, events) {
    clear(root);
    const back = el('button', { type: 'button', class: 'btn', 'data-testid': 'session-back', text: '← Sessions', onclick: () => goTo('sessions', {}) });
    const page = el('section', { 'data-testid': 'session-page', 'data-id': id });
    root.append(el('div', { class: 'toolrow' }, back), page);
    if (s) {
      const close = el('button', {
        type: 'button', class: 'btn', 'data-testid': 'session-close', text: 'Close session', disabled: s.status === 'ended',
        onclick: async () => {
          try {
            await ctx.api().patch(`/sessions/${encodeURIComponent(id)}`, { status: 'ended' });
            ctx.status('Session closed.');
          } catch (e) { report(e, 'Closing the session failed'); }
          load();
        },
      });
      page.append(
        el('div', { class: 'toolrow' }, dot(s.status), el('h2', { 'data-testid': 'session-title', text: s.project || s.id }),
          el('span', { class: 'dim', text: `${s.status} · started ${shortTime(s.started_at)} (${since(s.started_at)} ago)` }), close),
        el('div', { class: 'dim', text: `${s.event_count ?? 0} events · ${s.tool_count ?? 0} tools · ${s.error_count ?? 0} errors · ${s.agent_count ?? 0} agents · ${s.cwd || ''}` }),
        s.task_id ? el('div', {}, el('span', { class: 'dim', text: 'task: ' }),
          el('button', { type: 'button', class: 'linkish', 'data-testid': 'session-task', text: s.task_id, onclick: () => goTo('tasks', { task: s.task_id }) })) : '',
        el('h3', { text: 'Agents' }),
        s.agents && s.agents.length ? agentTree(s.agents) : el('div', { class: 'dim', text: 'No subagents.' }));
    } else {
      page.append(emptyState('session-unavailable', `Session details are not available (GET /sessions/${id} answered 404); its events follow.`));
    }
    page.append(el('h3', { text: `Events (newest ${EVENTS})` }),
      el('button', { type: 'button', class: 'btn btn-quiet', text: 'Open in the event list', 'data-testid': 'session-events-link',
        onclick: () => { location.hash = `#session_id=${encodeURIComponent(id)}`; } }));
    const list = el('div', { class: 'mini-events', 'data-testid': 'session-events' });
    for (const e of events) list.append(miniEvent(e));
    if (!events.length) list.append(el('div', { class: 'dim', text: 'No events.' }));
    page.append(list);
  }

  /** Coalesces a burst of lifecycle messages into one reload. */
  function soonLoad() {
    if (!shown || soon) return;
    soon = setTimeout(() => { soon = 0; load(); }, 300);
  }

  function fromHash() {
    const id = viewParams().session;
    if (id === openId) return false;
    openId = id;
    return true;
  }

  return {
    show() {
      root.hidden = false;
      shown = true;
      fromHash();
      load();
      clearInterval(timer);
      timer = setInterval(load, POLL_MS);
    },
    hide() { root.hidden = true; shown = false; clearInterval(timer); },
    update() { if (fromHash()) load(); },
    /** A WebSocket lifecycle message (SPEC §12.3). */
    lifecycle(msg) {
      if (!shown) return;
      const p = msg.payload || {};
      if (!openId || p.id === openId || p.session_id === openId) soonLoad();
    },
    /** A live event: the open session's events grow. */
    event(e) { if (shown && openId && e.session_id === openId) soonLoad(); },
    refresh() { if (shown) load(); },
  };
}
