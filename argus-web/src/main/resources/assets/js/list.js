// A virtualised event list: only the rows in view (plus a margin) exist in the DOM, and their
// nodes are reused while scrolling, so 10,000 or 50,000 listed events cost the same to show.
// Newest first: visual row 0 is the last element of the ascending `rows` array.

import { el, shortTime } from './dom.js';

export const ROW_HEIGHT = 22;
const OVERSCAN = 12;

export class EventList {
  /**
   * @param {HTMLElement} scroller the scrolling container (holds .list-spacer and .list-rows)
   * @param {{onSelect:(e)=>void, onScrollAway:()=>void, onScrollTop:()=>void}} handlers
   */
  constructor(scroller, handlers) {
    this.scroller = scroller;
    this.spacer = scroller.querySelector('.list-spacer');
    this.layer = scroller.querySelector('.list-rows');
    this.empty = scroller.querySelector('.list-empty');
    this.handlers = handlers;
    this.rows = [];
    this.selectedId = null;
    this.pool = [];
    this.expectedTop = 0;
    this.frame = 0;
    scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.layer.addEventListener('click', (ev) => {
      const row = ev.target.closest('.row');
      if (row && row.event) this.handlers.onSelect(row.event);
    });
    new ResizeObserver(() => this.schedule()).observe(scroller);
  }

  /** Replaces the rows (ascending by id) and redraws. */
  setRows(rows) {
    this.rows = rows;
    // the height first, so that a scroll adjustment in added() is not clamped to the old height
    this.spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
    this.schedule();
  }

  /** Rows were added above the viewport: keep what the reader sees in place unless following. */
  added(countAbove, follow) {
    if (follow) this.scrollTo(0);
    else if (countAbove > 0 && this.scroller.scrollTop > 0) this.scrollTo(this.scroller.scrollTop + countAbove * ROW_HEIGHT);
    this.schedule();
  }

  scrollTo(top) {
    this.expectedTop = top;
    this.scroller.scrollTop = top;
    this.expectedTop = this.scroller.scrollTop;
  }

  onScroll() {
    const top = this.scroller.scrollTop;
    if (Math.abs(top - this.expectedTop) > 1) {
      this.expectedTop = top;
      if (top > ROW_HEIGHT) this.handlers.onScrollAway();
      else if (top === 0) this.handlers.onScrollTop();
    }
    this.schedule();
  }

  schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  /** Draws synchronously (also used by tests through a forced layout). */
  render() {
    const n = this.rows.length;
    this.spacer.style.height = `${n * ROW_HEIGHT}px`;
    this.empty.hidden = n !== 0;
    const viewHeight = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(n, Math.ceil((this.scroller.scrollTop + viewHeight) / ROW_HEIGHT) + OVERSCAN);
    const count = Math.max(0, last - first);
    while (this.pool.length < count) this.pool.push(this.layer.appendChild(makeRow()));
    for (let i = 0; i < this.pool.length; i++) {
      const node = this.pool[i];
      if (i >= count) {
        if (!node.hidden) { node.hidden = true; node.event = null; node.removeAttribute('data-id'); }
        continue;
      }
      const visual = first + i;
      const e = this.rows[n - 1 - visual];
      node.hidden = false;
      node.style.transform = `translateY(${visual * ROW_HEIGHT}px)`;
      if (node.event !== e) fillRow(node, e);
      node.classList.toggle('selected', e.id === this.selectedId);
    }
  }

  select(id) {
    this.selectedId = id;
    this.schedule();
  }

  /** Visual index of an event id, or -1. */
  indexOf(id) {
    let lo = 0;
    let hi = this.rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.rows[mid].id;
      if (v === id) return this.rows.length - 1 - mid;
      if (v < id) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  eventAt(visual) {
    return this.rows[this.rows.length - 1 - visual];
  }

  /** Scrolls just enough to show the row at `visual`. */
  reveal(visual) {
    const top = visual * ROW_HEIGHT;
    const s = this.scroller;
    if (top < s.scrollTop) this.scrollTo(top);
    else if (top + ROW_HEIGHT > s.scrollTop + s.clientHeight) this.scrollTo(top + ROW_HEIGHT - s.clientHeight);
  }
}

function makeRow() {
  const row = el('div', { class: 'row', 'data-testid': 'event-row', role: 'row' },
    el('span', { class: 'c-time' }),
    el('span', { class: 'c-level' }),
    el('span', { class: 'c-source' }),
    el('span', { class: 'c-type' }),
    el('span', { class: 'c-msg' }),
    el('span', { class: 'c-tags' }),
    el('span', { class: 'c-session' }));
  row.hidden = true;
  return row;
}

function fillRow(node, e) {
  node.event = e;
  node.dataset.id = e.id;
  node.dataset.level = e.level || '';
  const [time, level, source, type, msg, tags, session] = node.children;
  time.textContent = shortTime(e.timestamp);
  time.title = e.timestamp;
  level.textContent = e.level || '—';
  source.textContent = e.source;
  source.title = e.source;
  type.textContent = e.event_type;
  type.title = e.event_type;
  msg.textContent = e.message ?? '';
  msg.title = e.message ? e.message.slice(0, 1000) : '';
  tags.textContent = e.tags && e.tags.length ? e.tags.join(' ') : '';
  tags.title = tags.textContent;
  session.textContent = e.session_id ?? '';
  session.title = e.session_id ?? '';
}
