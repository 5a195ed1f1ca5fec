// The Argus dashboard's composition root: creates the shared state and the modules and wires them
// together with callbacks (no module imports another's state). Every piece of event text is written
// with textContent.
//
// Modules: auth (key prompt), filter-bar (filter form), url-state (the fragment), history (GET
// /events paging), live.js (the WebSocket) + live-merge (into the rows), list.js (the rows),
// detail (the panel), toolbar (header, status line, keys), chart (volume over the list), router
// (views; see router.js) and the views in js/views/ (sessions, tasks, lanes).

import { createAuth } from './auth.js';
import { createChart } from './chart.js';
import { createDetail } from './detail.js';
import { byTestId as $ } from './dom.js';
import { createFilterBar } from './filter-bar.js';
import { createHistory } from './history.js';
import { EventList } from './list.js';
import { createLiveMerge } from './live-merge.js';
import { LiveStream } from './live.js';
import { sectionView, startRouter } from './router.js';
import { createState } from './state.js';
import { createToolbar } from './toolbar.js';
import { goTo } from './url-state.js';
import { createLanesView } from './views/lanes.js';
import { createSessionsView } from './views/sessions.js';
import { createTasksView } from './views/tasks.js';

const state = createState();

const list = new EventList($('event-list'), {
  onSelect: (e) => detail.select(e),
  onScrollAway: () => toolbar.setFollow(false),
  onScrollTop: () => toolbar.setFollow(true),
});

const live = new LiveStream({
  state: (s, info) => toolbar.showConnection(s, info),
  authenticated: () => {
    if (!state.historyReady && !state.loading) paging.reload();
    filterBar.refreshSources();
  },
  event: (e) => { merge.accept(e); sessions.event(e); },
  lifecycle: (msg) => sessions.lifecycle(msg),
  authError: (msg) => auth.signOut(msg || 'Invalid API key'),
  truncated: (after) => paging.fillFrom(after, state.generation),
  lagged: (missed) => {
    toolbar.status(`The stream fell behind (${missed} missed); resuming from #${state.cursor}.`);
    live.resubscribe();
  },
  notice: (msg) => toolbar.status(msg),
});

const detail = createDetail(state, list, { status: (m, err) => toolbar.status(m, err) });

const merge = createLiveMerge(state, list, {
  discovered: (e) => filterBar.noteDiscovery(e),
  counted: () => { toolbar.showRowCount(); paging.showOlder(); },
  trimmed: () => paging.showOlder(),
  pendingChanged: () => toolbar.showPending(),
  reload: () => paging.reload(),
});

const filterBar = createFilterBar(state, {
  reload: () => paging.reload(),
  status: (m, err) => toolbar.status(m, err),
  authFailed: (e) => auth.failed(e),
});

const auth = createAuth({
  start: (api, key) => {
    state.api = api;
    filterBar.refreshSources();
    filterBar.refreshTypes();
    paging.reload();
    live.start(key);
    for (const v of [sessions, tasks, lanes]) v.refresh();
  },
  signedOut: () => {
    live.stop();
    paging.cancel();
    merge.clearAll();
    detail.close();
  },
});

const toolbar = createToolbar(state, {
  list, live, merge, detail, focusSearch: filterBar.focusSearch, promptOpen: auth.promptOpen,
});

const viewCtx = {
  api: () => state.api,
  failed: (e) => auth.failed(e),
  status: (m, err) => toolbar.status(m, err),
};
const sessions = createSessionsView(viewCtx);
const tasks = createTasksView(viewCtx);
const lanes = createLanesView(state, viewCtx);
const chart = createChart(state, { setRange: (a, b) => filterBar.setRange(a, b) });

const paging = createHistory(state, { list, live, merge, ui: toolbar, authFailed: auth.failed });

/** Read-only hook for tests and the browser console. */
function exposeTestHook() {
  window.argus = Object.freeze({
    ids: () => state.rows.map((e) => e.id),
    pendingIds: () => state.pending.map((e) => e.id),
    cursor: () => state.cursor,
    filterMs: () => state.filterMs,
    state: () => live.state,
    historyReady: () => state.historyReady,
    catchUps: () => state.catchUps,
    chart: () => chart.buckets(),
    chartStats: () => chart.stats(),
    lanesStats: () => lanes.stats(),
    view: () => router && router.current(),
  });
}

/** A view plus the nav button that marks it current. */
function withNav(name, view) {
  const mark = (on) => {
    const b = document.querySelector(`[data-nav="${name}"]`);
    if (on) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
  };
  return { ...view, show() { mark(true); view.show(); }, hide() { mark(false); view.hide(); } };
}

let router = null;
filterBar.wire();
toolbar.wire();
detail.wire();
paging.wire();
chart.wire();
auth.wire();
for (const b of document.querySelectorAll('[data-nav]')) b.addEventListener('click', () => goTo(b.dataset.nav, {}));
exposeTestHook();
paging.showOlder();
filterBar.adoptHashFilter();
router = startRouter({
  events: withNav('events', sectionView('events')),
  sessions: withNav('sessions', sessions),
  tasks: withNav('tasks', tasks),
  lanes: withNav('lanes', lanes),
});

/** The page's settings (title, auth mode) from /ui-config.json; {} when unreadable. */
async function uiConfig() {
  try {
    const r = await fetch('ui-config.json', { cache: 'no-store' });
    return r.ok ? await r.json() : {};
  } catch {
    return {};
  }
}

uiConfig().then((cfg) => {
  toolbar.applyTitle(cfg);
  auth.begin(cfg.authMode);
});
