// Tasks view (SPEC §17, the API of §13.2): a board of workstreams with their tasks, forms to create
// both, status select, inline summary edit, hide/unhide; `#view=tasks&task=ID` opens a task page
// with its updates newest first and a box to add one, and the sessions working on it.
//
// Live: while shown the board reloads every few seconds (GET /api/workstreams + /api/tasks), and a
// task page polls GET /api/updates?after_seq= for new updates (the /api/stream SSE needs a key in
// the URL in strict mode, so polling is used). A reload never replaces an edit in progress.

import { byTestId as $, clear, el, shortTime } from '../dom.js';
import { goTo, viewParams } from '../url-state.js';
import { dot, emptyState, isMissing, since } from './common.js';

const STATUSES = ['active', 'blocked', 'done', 'cancelled'];
const POLL_MS = 3000;
const UPDATES_PAGE = 200;
const MAX_UPDATES = 2000;

/**
 * @param {object} ctx api() the current Api (null while signed out), failed(e) handles a 401 (true
 *   when it did), status(message, isError)
 */
export function createTasksView(ctx) {
  const root = $('tasks-view');
  let shown = false;
  let timer = 0;
  let showHidden = false;
  let data = { workstreams: [], tasks: [] };
  let page = null; // { taskId, updates: [], lastSeq, missing }
  let loading = false;
  let rendered = false;

  const editing = () => root.contains(document.activeElement)
    && document.activeElement.matches('input, textarea, select') || root.querySelector('.summary-edit');

  function report(e, what) {
    if (ctx.failed(e)) return;
    ctx.status(`${what}: ${e.message}`, true);
    const m = root.querySelector('[data-testid=tasks-message]');
    if (m) m.textContent = `${what}: ${e.message}`;
  }

  async function load() {
    const api = ctx.api();
    if (!api || loading) return;
    loading = true;
    try {
      const [ws, tasks] = await Promise.all([
        api.get('/api/workstreams'),
        api.get('/api/tasks', { include_hidden: showHidden ? 'true' : undefined }),
      ]);
      const next = { workstreams: ws.items, tasks: tasks.items };
      const same = JSON.stringify(next) === JSON.stringify(data);
      data = next;
      // unchanged data keeps the DOM (and focus, selection, scroll) as it is
      if (!rendered || (!same && !editing())) render();
    } catch (e) {
      report(e, 'Loading tasks failed');
    } finally {
      loading = false;
    }
    if (page) await loadUpdates();
  }

  async function loadUpdates() {
    const api = ctx.api();
    if (!api || !page) return;
    const p = page;
    try {
      let fresh = [];
      for (;;) {
        const body = await api.get('/api/updates', { task_id: p.taskId, after_seq: p.lastSeq || undefined, limit: UPDATES_PAGE });
        fresh = fresh.concat(body.items);
        if (body.items.length) p.lastSeq = body.items[body.items.length - 1].seq;
        if (body.items.length < UPDATES_PAGE || p.updates.length + fresh.length >= MAX_UPDATES) break;
      }
      if (page !== p) return;
      p.missing = false;
      if (fresh.length || !p.loaded) {
        p.loaded = true;
        const known = new Set(p.updates.map((u) => u.seq));
        for (const u of fresh) if (!known.has(u.seq)) p.updates.push(u);
        renderUpdates();
      }
    } catch (e) {
      if (page !== p) return;
      if (isMissing(e) && !p.loaded) { p.missing = true; p.loaded = true; renderUpdates(); return; }
      report(e, 'Loading updates failed');
    }
    loadSessionsFor(p);
  }

  async function loadSessionsFor(p) {
    const api = ctx.api();
    if (!api || p.sessionsTried) return;
    p.sessionsTried = true;
    try {
      const body = await api.get('/sessions', { limit: 200 });
      p.sessions = body.sessions.filter((s) => s.task_id === p.taskId);
    } catch (e) {
      p.sessions = null;
    }
    if (page === p) renderSessions();
  }

  async function patchTask(id, body, what) {
    try {
      await ctx.api().patch(`/api/tasks/${encodeURIComponent(id)}`, body);
      ctx.status(`${what}.`);
    } catch (e) {
      report(e, `${what} failed`);
    }
    // release the edit guard, then show what the server holds
    rendered = false;
    await load();
  }

  // ------------------------------------------------------------------------------------ render

  function render() {
    rendered = true;
    const keepFocus = document.activeElement && root.contains(document.activeElement)
      ? document.activeElement.getAttribute('data-focus-key') : null;
    clear(root);
    if (page) renderTaskPage();
    else renderBoard();
    if (keepFocus) {
      const again = root.querySelector(`[data-focus-key="${CSS.escape(keepFocus)}"]`);
      if (again) again.focus();
    }
  }

  function toolbar() {
    const wsName = el('input', { 'data-testid': 'new-ws-name', placeholder: 'new workstream name', maxlength: 200, required: true, size: 22 });
    const wsForm = el('form', { class: 'toolrow', 'data-testid': 'new-ws-form' }, wsName,
      el('button', { type: 'submit', class: 'btn', 'data-testid': 'new-ws-submit', text: 'Create workstream' }));
    wsForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const name = wsName.value.trim();
      if (!name) return;
      try {
        await ctx.api().post('/api/workstreams', { name });
        wsName.value = '';
        ctx.status(`Workstream created.`);
      } catch (e) { report(e, 'Creating the workstream failed'); }
      rendered = false;
      await load();
    });

    const wsSelect = el('select', { 'data-testid': 'new-task-ws', title: 'workstream of the new task', required: true });
    for (const w of data.workstreams) wsSelect.append(el('option', { value: w.id, text: w.name }));
    const taskName = el('input', { 'data-testid': 'new-task-name', placeholder: 'new task name', maxlength: 200, required: true, size: 22 });
    const taskForm = el('form', { class: 'toolrow', 'data-testid': 'new-task-form' }, wsSelect, taskName,
      el('button', { type: 'submit', class: 'btn', 'data-testid': 'new-task-submit', text: 'Create task', disabled: !data.workstreams.length }));
    taskForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const name = taskName.value.trim();
      if (!name || !wsSelect.value) return;
      try {
        await ctx.api().post('/api/tasks', { workstream_id: wsSelect.value, name });
        taskName.value = '';
        ctx.status('Task created.');
      } catch (e) { report(e, 'Creating the task failed'); }
      rendered = false;
      await load();
    });

    const hiddenToggle = el('button', {
      type: 'button', class: 'btn', 'data-testid': 'show-hidden', 'aria-pressed': String(showHidden),
      text: 'Show hidden', title: 'Also list hidden tasks',
      onclick: () => { showHidden = !showHidden; rendered = false; load(); },
    });
    return el('div', { class: 'toolrow' }, wsForm, taskForm, hiddenToggle,
      el('span', { class: 'msg-error', 'data-testid': 'tasks-message', 'aria-live': 'polite' }));
  }

  function renderBoard() {
    root.append(toolbar());
    const board = el('div', { class: 'board', 'data-testid': 'tasks-board' });
    if (!data.workstreams.length) {
      root.append(emptyState('tasks-empty', 'No workstreams yet: create one above (or with `argus workstream create`).'));
      return;
    }
    const byWs = new Map(data.workstreams.map((w) => [w.id, []]));
    for (const t of data.tasks) if (byWs.has(t.workstream_id)) byWs.get(t.workstream_id).push(t);
    for (const w of data.workstreams) {
      const tasks = byWs.get(w.id);
      const col = el('section', { class: 'ws-col', 'data-testid': 'ws-column', 'data-id': w.id },
        el('div', { class: 'ws-head' },
          el('span', { class: 'ws-name', 'data-testid': 'ws-name', text: w.name, title: w.name }),
          el('span', { class: 'dim', text: `${tasks.length}` })));
      if (!tasks.length) col.append(el('div', { class: 'dim', text: 'no tasks' }));
      for (const t of tasks) col.append(taskCard(t));
      board.append(col);
    }
    root.append(board);
  }

  function statusSelect(t) {
    const select = el('select', { 'data-testid': 'task-status', 'data-focus-key': `status-${t.id}`, title: 'status', 'aria-label': `status of ${t.name}` });
    for (const s of STATUSES) select.append(el('option', { value: s, text: s }));
    select.value = t.status;
    select.addEventListener('change', () => patchTask(t.id, { status: select.value }, 'Status changed'));
    return select;
  }

  function summaryBox(t) {
    const text = t.summary_text || '';
    const box = el('div', {
      class: `task-summary${text ? '' : ' empty'}`, 'data-testid': 'task-summary', role: 'button', tabindex: '0',
      'data-focus-key': `summary-${t.id}`, title: 'Edit the summary (Enter)', text: text || 'no summary (click to write one)',
    });
    const edit = () => {
      const area = el('textarea', { class: 'summary-edit', 'data-testid': 'summary-input', 'aria-label': 'summary' });
      area.value = text;
      const save = () => patchTask(t.id, { summary_text: area.value }, 'Summary saved');
      const cancel = () => { rendered = false; render(); };
      area.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); save(); }
        if (ev.key === 'Escape') { ev.preventDefault(); cancel(); }
      });
      const row = el('div', { class: 'toolrow' },
        el('button', { type: 'button', class: 'btn', 'data-testid': 'summary-save', text: 'Save', onclick: save }),
        el('button', { type: 'button', class: 'btn btn-quiet', text: 'Cancel', onclick: cancel }),
        el('span', { class: 'dim', text: 'Enter saves, Shift+Enter a new line, Esc cancels' }));
      box.replaceWith(area, row);
      area.focus();
    };
    box.addEventListener('click', edit);
    box.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); edit(); } });
    return box;
  }

  function taskCard(t) {
    const last = t.summary_updated_at || t.updated_at;
    const hidden = Boolean(t.hidden_at);
    return el('article', { class: 'task-card', 'data-testid': 'task-card', 'data-id': t.id, 'data-status': t.status, 'data-hidden': String(hidden) },
      el('div', { class: 'task-top' },
        dot(t.status === 'active' ? 'active' : t.status === 'blocked' ? 'failed' : 'ended'),
        el('button', { type: 'button', class: 'linkish task-name', 'data-testid': 'task-name', text: t.name, title: 'Open the task',
          onclick: () => goTo('tasks', { task: t.id }) }),
        statusSelect(t)),
      summaryBox(t),
      el('div', { class: 'task-meta' },
        el('span', { 'data-testid': 'task-last', title: last, text: `updated ${shortTime(last)} (${since(last)} ago)` }),
        el('span', { class: 'spacer' }),
        el('button', {
          type: 'button', class: 'btn btn-quiet', 'data-testid': 'task-hide', 'data-focus-key': `hide-${t.id}`,
          text: hidden ? 'Unhide' : 'Hide', onclick: () => patchTask(t.id, { hidden: !hidden }, hidden ? 'Task shown' : 'Task hidden'),
        })));
  }

  function renderTaskPage() {
    const t = data.tasks.find((x) => x.id === page.taskId);
    const back = el('button', { type: 'button', class: 'btn', 'data-testid': 'task-back', text: '← Board', onclick: () => goTo('tasks', {}) });
    const wrap = el('section', { 'data-testid': 'task-page', 'data-id': page.taskId });
    root.append(el('div', { class: 'toolrow' }, back));
    if (!t) {
      wrap.append(emptyState('task-missing', showHidden ? 'No such task.' : 'No such task (or it is hidden: press “Show hidden” on the board).'));
      root.append(wrap);
      return;
    }
    const ws = data.workstreams.find((w) => w.id === t.workstream_id);
    wrap.append(
      el('h2', { 'data-testid': 'task-title', text: t.name }),
      el('div', { class: 'task-meta' }, el('span', { text: ws ? ws.name : t.workstream_id }), statusSelect(t),
        el('span', { text: `created ${shortTime(t.created_at)}` })),
      el('h3', { text: 'Summary' }), summaryBox(t),
      el('h3', { text: 'Sessions' }), el('div', { 'data-testid': 'task-sessions' }),
      el('h3', { text: 'Add an update' }), updateForm(t),
      el('h3', { text: 'Updates (newest first)' }), el('div', { 'data-testid': 'updates-box' }));
    root.append(wrap);
    renderUpdates();
    renderSessions();
  }

  function updateForm(t) {
    const msg = el('textarea', { 'data-testid': 'update-message', placeholder: 'what happened', rows: 2, cols: 60, required: true });
    const level = el('select', { 'data-testid': 'update-level', title: 'level' });
    for (const l of ['info', 'warn', 'error', 'debug']) level.append(el('option', { value: l, text: l }));
    const form = el('form', { class: 'toolrow', 'data-testid': 'update-form' }, msg, level,
      el('button', { type: 'submit', class: 'btn', 'data-testid': 'update-submit', text: 'Add update' }));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const message = msg.value.trim();
      if (!message) return;
      try {
        await ctx.api().post('/api/updates/manual', { task_id: t.id, message, level: level.value });
        msg.value = '';
        ctx.status('Update added.');
      } catch (e) {
        if (isMissing(e)) ctx.status('Adding updates is not available on this server yet (POST /api/updates/manual answered 404).', true);
        else report(e, 'Adding the update failed');
      }
      loadUpdates();
    });
    return form;
  }

  function renderUpdates() {
    const box = root.querySelector('[data-testid=updates-box]');
    if (!box || !page) return;
    clear(box);
    if (page.missing) {
      box.append(emptyState('updates-unavailable', 'Updates are not available on this server yet (GET /api/updates answered 404).'));
      return;
    }
    if (!page.loaded) { box.append(el('div', { class: 'dim', text: 'Loading…' })); return; }
    if (!page.updates.length) { box.append(emptyState('updates-empty', 'No updates yet.')); return; }
    const list = el('ul', { class: 'updates', 'data-testid': 'updates-list' });
    for (let i = page.updates.length - 1; i >= 0; i--) {
      const u = page.updates[i];
      list.append(el('li', { 'data-testid': 'update-row', 'data-seq': u.seq },
        el('span', { class: 'dim', text: shortTime(u.timestamp), title: u.timestamp }),
        el('span', { class: `lvl-text-${u.level || ''}`, text: u.level || '—' }),
        el('span', { class: 'dim', text: `${u.source}/${u.kind}` }),
        el('span', { class: 'u-msg', text: u.message ?? '' })));
    }
    box.append(list);
  }

  function renderSessions() {
    const box = root.querySelector('[data-testid=task-sessions]');
    if (!box || !page) return;
    clear(box);
    if (page.sessions === undefined) { box.append(el('span', { class: 'dim', text: 'Loading…' })); return; }
    if (page.sessions === null) { box.append(el('span', { class: 'dim', text: 'Sessions are not available on this server.' })); return; }
    if (!page.sessions.length) { box.append(el('span', { class: 'dim', text: 'No session works on this task.' })); return; }
    for (const s of page.sessions) {
      box.append(el('div', {}, dot(s.status),
        el('button', { type: 'button', class: 'linkish', 'data-testid': 'task-session-link', text: `${s.project || s.id} (${s.status})`,
          onclick: () => goTo('sessions', { session: s.id }) })));
    }
  }

  // ------------------------------------------------------------------------------------ routing

  function openFromHash() {
    const taskId = viewParams().task;
    if ((page ? page.taskId : '') === taskId) return false;
    page = taskId ? { taskId, updates: [], lastSeq: 0, loaded: false, missing: false } : null;
    rendered = false;
    return true;
  }

  return {
    show() {
      root.hidden = false;
      shown = true;
      openFromHash();
      render();
      load();
      clearInterval(timer);
      timer = setInterval(() => { if (shown) load(); }, POLL_MS);
    },
    hide() {
      root.hidden = true;
      shown = false;
      clearInterval(timer);
    },
    update() {
      if (openFromHash()) { render(); load(); }
    },
    /** Signed in again (or keyless): reload. */
    refresh() { if (shown) { rendered = false; load(); } },
  };
}
