// The volume chart above the event list: events per time bucket, errors (error and fatal) stacked
// at the bottom, drawn by hand in SVG (no dependency).
//
// Where the counts come from: the rows the list holds (history for the current filter plus the live
// events merged into it), so the chart always agrees with the list and updates live for free. When
// the server holds older matching events than the list ("Load older" enabled) the chart says so:
// it then covers the listed rows only. Buckets are aligned to multiples of their width since the
// epoch; the range is the filter's since/until when set, else the oldest to the newest listed row.
//
// Dragging across the chart sets since/until (and so the URL). Keyboard: the chart is focusable,
// ←/→ pick a bucket, Enter narrows the range to it; "Clear range" empties since/until.

import { byTestId as $, tsMillis } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Bucket widths to choose from (ms): the smallest that gives at most MAX_BUCKETS buckets. */
const WIDTHS = [1e3, 2e3, 5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3,
  7200e3, 10800e3, 21600e3, 43200e3, 86400e3, 2 * 86400e3, 7 * 86400e3, 30 * 86400e3, 365 * 86400e3];
const MAX_BUCKETS = 60;
const HEIGHT = 54;
const CHECK_EVERY_MS = 250;

/** ISO instant of a millisecond with six fraction digits; `last` gives the last microsecond of it. */
function iso6(ms, last = false) {
  return new Date(ms).toISOString().slice(0, 23) + (last ? '999Z' : '000Z');
}

function widthLabel(w) {
  if (w < 60e3) return `${w / 1e3}s`;
  if (w < 3600e3) return `${w / 60e3}m`;
  if (w < 86400e3) return `${w / 3600e3}h`;
  return `${w / 86400e3}d`;
}

/**
 * Buckets over `rows` for the resolved filter `r`: [{since, until, count, errors}] where since and
 * until are inclusive instants in the server's format (so GET /events?since&until counts the same).
 */
export function computeBuckets(rows, r) {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const t = tsMillis(rows[i].timestamp);
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const since = r.since ? tsMillis(r.since) : NaN;
  const until = r.until ? tsMillis(r.until) : NaN;
  if (!Number.isNaN(since)) lo = since;
  if (!Number.isNaN(until)) hi = until;
  if (!rows.length && (Number.isNaN(since) || Number.isNaN(until))) return { width: 0, buckets: [] };
  if (!(hi >= lo)) return { width: 0, buckets: [] };
  let width = WIDTHS[WIDTHS.length - 1];
  for (const w of WIDTHS) {
    if (Math.floor(hi / w) - Math.floor(lo / w) + 1 <= MAX_BUCKETS) { width = w; break; }
  }
  const first = Math.floor(lo / width);
  const n = Math.floor(hi / width) - first + 1;
  const counts = new Array(n).fill(0);
  const errors = new Array(n).fill(0);
  for (let i = 0; i < rows.length; i++) {
    const e = rows[i];
    const b = Math.floor(tsMillis(e.timestamp) / width) - first;
    if (b < 0 || b >= n) continue;
    counts[b] += 1;
    if (e.level === 'error' || e.level === 'fatal') errors[b] += 1;
  }
  const buckets = [];
  for (let b = 0; b < n; b++) {
    const start = (first + b) * width;
    buckets.push({
      since: b === 0 && r.since ? r.since : iso6(start),
      until: b === n - 1 && r.until ? r.until : iso6(start + width - 1, true),
      start,
      count: counts[b],
      errors: errors[b],
    });
  }
  return { width, buckets };
}

/**
 * @param {object} state the shared state (rows, resolved, hasOlder)
 * @param {object} h handlers: setRange(since, until) puts a range into the filter bar and applies it
 */
export function createChart(state, h) {
  const box = $('chart');
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('data-testid', 'chart-svg');
  svg.setAttribute('tabindex', '0');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Events per time bucket. Drag to set the time range; or ←/→ pick a bucket and Enter narrows to it.');
  svg.setAttribute('height', String(HEIGHT));
  svg.classList.add('chart-svg');
  $('chart-plot').append(svg);

  let model = { width: 0, buckets: [] };
  let seen = null;
  let cursor = -1;
  let drag = null;
  let lastDrawMs = 0;
  let draws = 0;

  const el = (name, attrs) => {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  };

  function draw() {
    const t0 = performance.now();
    model = computeBuckets(state.rows, state.resolved);
    const w = svg.clientWidth || box.clientWidth || 800;
    svg.setAttribute('viewBox', `0 0 ${w} ${HEIGHT}`);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const bs = model.buckets;
    const max = bs.reduce((m, b) => Math.max(m, b.count), 0) || 1;
    const bw = bs.length ? w / bs.length : w;
    const plotH = HEIGHT - 12;
    const frag = document.createDocumentFragment();
    bs.forEach((b, i) => {
      const x = i * bw;
      const hAll = (b.count / max) * plotH;
      const hErr = (b.errors / max) * plotH;
      const g = el('g', { 'data-testid': 'chart-bucket', 'data-count': b.count, 'data-errors': b.errors, 'data-since': b.since, 'data-until': b.until });
      if (i === cursor) g.setAttribute('class', 'cursor');
      g.append(el('rect', { class: 'bar-bg', x, y: 0, width: Math.max(1, bw), height: plotH }));
      if (b.count > b.errors) g.append(el('rect', { class: 'bar', x: x + 0.5, y: plotH - hAll, width: Math.max(1, bw - 1), height: hAll - hErr }));
      if (b.errors) g.append(el('rect', { class: 'bar-err', x: x + 0.5, y: plotH - hErr, width: Math.max(1, bw - 1), height: hErr }));
      const title = el('title', {});
      title.textContent = `${b.since} – ${b.until}: ${b.count} events, ${b.errors} errors`;
      g.append(title);
      frag.append(g);
    });
    if (bs.length) {
      const left = el('text', { x: 2, y: HEIGHT - 2, class: 'axis' });
      left.textContent = new Date(bs[0].start).toLocaleString();
      const right = el('text', { x: w - 2, y: HEIGHT - 2, class: 'axis', 'text-anchor': 'end' });
      right.textContent = new Date(bs[bs.length - 1].start + model.width).toLocaleString();
      frag.append(left, right);
    }
    svg.append(frag);
    const total = bs.reduce((s, b) => s + b.count, 0);
    const errs = bs.reduce((s, b) => s + b.errors, 0);
    $('chart-legend').textContent = bs.length
      ? `${total.toLocaleString('en')} events, ${errs.toLocaleString('en')} errors in ${bs.length} × ${widthLabel(model.width)}${state.hasOlder ? ' (listed rows only: older ones not loaded)' : ''}`
      : 'No events to chart.';
    lastDrawMs = performance.now() - t0;
    draws += 1;
  }

  /** Redraws when the rows or the filter changed (checked a few times a second; cheap when not). */
  function check() {
    if (box.offsetParent === null) return; // not shown
    const rows = state.rows;
    const key = [rows, rows.length, rows.length ? rows[0].id : 0, rows.length ? rows[rows.length - 1].id : 0,
      state.resolved, state.hasOlder, svg.clientWidth];
    if (seen && key.every((v, i) => v === seen[i])) return;
    seen = key;
    draw();
  }

  function xToTime(x) {
    const bs = model.buckets;
    if (!bs.length) return NaN;
    const w = svg.getBoundingClientRect().width || 1;
    const span = bs.length * model.width;
    return bs[0].start + Math.max(0, Math.min(1, x / w)) * span;
  }

  function showDrag() {
    let sel = svg.querySelector('.sel');
    if (!sel) { sel = el('rect', { class: 'sel', y: 0, height: HEIGHT - 12 }); svg.append(sel); }
    const w = svg.getBoundingClientRect().width || 1;
    const vb = (svg.viewBox.baseVal && svg.viewBox.baseVal.width) || w;
    const a = Math.min(drag.x0, drag.x1) * vb / w;
    const b = Math.max(drag.x0, drag.x1) * vb / w;
    sel.setAttribute('x', String(a));
    sel.setAttribute('width', String(Math.max(1, b - a)));
  }

  function wire() {
    svg.addEventListener('pointerdown', (ev) => {
      if (!model.buckets.length || ev.button !== 0) return;
      const x = ev.clientX - svg.getBoundingClientRect().left;
      drag = { x0: x, x1: x };
      svg.setPointerCapture(ev.pointerId);
      ev.preventDefault();
    });
    svg.addEventListener('pointermove', (ev) => {
      if (!drag) return;
      drag.x1 = ev.clientX - svg.getBoundingClientRect().left;
      showDrag();
    });
    const finish = (ev) => {
      if (!drag) return;
      const d = drag;
      drag = null;
      if (ev.type === 'pointerup') d.x1 = ev.clientX - svg.getBoundingClientRect().left;
      seen = null;
      if (ev.type !== 'pointerup' || Math.abs(d.x1 - d.x0) < 3) { draw(); return; }
      const a = xToTime(Math.min(d.x0, d.x1));
      const b = xToTime(Math.max(d.x0, d.x1));
      h.setRange(iso6(Math.floor(a)), iso6(Math.ceil(b) - 1, true));
    };
    svg.addEventListener('pointerup', finish);
    svg.addEventListener('pointercancel', finish);
    svg.addEventListener('keydown', (ev) => {
      const n = model.buckets.length;
      if (!n) return;
      if (ev.key === 'ArrowLeft' || ev.key === 'ArrowRight') {
        ev.preventDefault();
        ev.stopPropagation();
        cursor = cursor < 0 ? n - 1 : Math.max(0, Math.min(n - 1, cursor + (ev.key === 'ArrowRight' ? 1 : -1)));
        draw();
        const b = model.buckets[cursor];
        $('chart-legend').textContent = `${b.since} – ${b.until}: ${b.count} events, ${b.errors} errors (Enter narrows to it)`;
      } else if (ev.key === 'Enter' && cursor >= 0 && cursor < n) {
        ev.preventDefault();
        const b = model.buckets[cursor];
        cursor = -1;
        h.setRange(b.since, b.until);
      }
    });
    svg.addEventListener('blur', () => { if (cursor >= 0) { cursor = -1; seen = null; } });
    $('chart-clear').addEventListener('click', () => h.setRange('', ''));
    setInterval(check, CHECK_EVERY_MS);
    new ResizeObserver(() => { seen = null; }).observe(box);
  }

  return {
    wire,
    redraw: () => { seen = null; check(); },
    buckets: () => model.buckets.map(({ since, until, count, errors }) => ({ since, until, count, errors })),
    stats: () => ({ lastDrawMs, draws }),
  };
}
