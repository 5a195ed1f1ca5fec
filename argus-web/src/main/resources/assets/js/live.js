// The live stream over /ws (SPEC §4): authenticate, subscribe with after_id, reconnect with
// exponential backoff and resubscribe from the last id the page holds, so nothing is missed and
// (with the page's dedupe by id) nothing is shown twice.

import { parseJson } from './api.js';

const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 10_000;
const PING_EVERY_MS = 20_000;
const PONG_WITHIN_MS = 10_000;

/**
 * States: `connecting` (first attempt), `live` (subscribed), `reconnecting` (lost, retrying),
 * `offline` (stopped: no key, bad key, or the browser is offline).
 */
export class LiveStream {
  /**
   * @param {object} h handlers: state(state, detail), authenticated(), event(e), authError(msg),
   *   truncated(resumeAfterId), lagged(missed), notice(msg); optional: lifecycle(msg) for
   *   the other typed messages (session_started, agent_completed, … of SPEC §12.3)
   */
  constructor(h) {
    this.h = h;
    this.ws = null;
    this.key = null;
    this.attempt = 0;
    this.timer = 0;
    this.pingTimer = 0;
    this.pongTimer = 0;
    this.authed = false;
    this.pendingSubscribes = 0;
    this.subscription = null;
    this.running = false;
    this.holding = false;
    this.state = 'offline';
    window.addEventListener('offline', () => { if (this.running) this.drop('browser offline', true); });
    window.addEventListener('online', () => { if (this.running && !this.ws) this.connectNow(); });
  }

  start(key) {
    this.key = key;
    this.running = true;
    this.attempt = 0;
    this.connectNow();
  }

  stop() {
    this.running = false;
    this.subscription = null;
    this.teardown();
    this.setState('offline');
  }

  /** Ignores events until the next subscribe is confirmed (used while history reloads). */
  hold() {
    this.subscription = null;
    this.holding = true;
  }

  /** Subscribes now if authenticated; remembered for reconnects. `afterId` is read at send time. */
  subscribe(filters, afterIdFn) {
    this.subscription = { filters, afterIdFn };
    this.holding = false;
    this.sendSubscribe();
  }

  /** Subscribes again from the page's last id (after `lagged`). */
  resubscribe() {
    this.sendSubscribe();
  }

  get isAuthenticated() {
    return this.authed && this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  sendSubscribe() {
    if (!this.subscription || !this.isAuthenticated) return;
    const msg = { type: 'subscribe', filters: this.subscription.filters };
    const after = this.subscription.afterIdFn();
    if (after !== null && after !== undefined) msg.after_id = after;
    this.pendingSubscribes += 1;
    this.ws.send(JSON.stringify(msg));
  }

  connectNow() {
    clearTimeout(this.timer);
    this.timer = 0;
    this.teardown();
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting', { attempt: this.attempt });
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.authed = false;
    this.pendingSubscribes = 0;
    ws.onopen = () => {
      this.startPing();
      if (this.key) {
        ws.send(JSON.stringify({ type: 'auth', api_key: this.key }));
      } else {
        // auth.mode relaxed: subscribing needs no auth message
        this.authed = true;
        this.h.authenticated();
        if (this.subscription) this.sendSubscribe();
        else this.setState('connecting', { note: 'no key (relaxed)' });
      }
    };
    ws.onmessage = (m) => { if (this.ws === ws) this.onMessage(m.data); };
    ws.onclose = (c) => { if (this.ws === ws) this.onClose(c); };
    ws.onerror = () => { /* onclose follows */ };
  }

  onMessage(text) {
    this.gotTraffic();
    let msg;
    try {
      msg = parseJson(text);
    } catch {
      return;
    }
    switch (msg.type) {
      case 'auth_result':
        if (msg.status === 'success') {
          this.authed = true;
          this.h.authenticated();
          if (this.subscription) this.sendSubscribe();
          else this.setState('connecting', { note: 'authenticated' });
        } else {
          const reason = msg.message || 'Invalid API key';
          this.running = false;
          this.teardown();
          this.setState('offline');
          this.h.authError(reason);
        }
        break;
      case 'subscribe_result':
        this.pendingSubscribes = Math.max(0, this.pendingSubscribes - 1);
        if (this.pendingSubscribes === 0) {
          this.attempt = 0;
          this.setState('live');
        }
        break;
      case 'event':
        if (this.pendingSubscribes === 0 && !this.holding && msg.event) this.h.event(msg.event);
        break;
      case 'replay_truncated':
        if (this.pendingSubscribes === 0) this.h.truncated(Number(msg.resume_after_id));
        break;
      case 'lagged':
        this.h.lagged(Number(msg.missed));
        break;
      case 'pong':
        break;
      case 'error':
        // we only send auth, subscribe and ping: an error while a subscribe is unconfirmed refuses it
        if (this.pendingSubscribes > 0) this.pendingSubscribes -= 1;
        this.h.notice(`Live stream: ${msg.message || 'error'}`);
        break;
      default:
        // lifecycle messages ({"type":"session_started","payload":{…}}, …) go to their subscriber
        if (this.h.lifecycle && msg.payload && typeof msg.type === 'string') this.h.lifecycle(msg);
        break;
    }
  }

  onClose(c) {
    const wasLive = this.state === 'live';
    this.teardown();
    if (!this.running) { this.setState('offline'); return; }
    if (c && c.code === 1008 && !this.authed) {
      // policy violation before authentication: the key was refused
      this.running = false;
      this.setState('offline');
      this.h.authError(c.reason || 'Invalid API key');
      return;
    }
    if (wasLive) this.attempt = 0;
    this.scheduleReconnect();
  }

  drop(reason, offline) {
    this.teardown();
    clearTimeout(this.timer);
    this.timer = 0;
    if (offline) {
      this.setState('offline', { note: reason });
    } else {
      this.scheduleReconnect();
    }
  }

  scheduleReconnect() {
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempt);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempt += 1;
    this.setState('reconnecting', { attempt: this.attempt, retryAt: Date.now() + delay });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = 0; if (this.running) this.connectNow(); }, delay);
  }

  /** Skips the remaining backoff delay. */
  retryNow() {
    if (this.running && this.state === 'reconnecting') this.connectNow();
  }

  startPing() {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
      this.ws.send('{"type":"ping"}');
      clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => this.drop('no pong', false), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  gotTraffic() {
    clearTimeout(this.pongTimer);
    this.pongTimer = 0;
  }

  teardown() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = 0;
    this.pongTimer = 0;
    this.authed = false;
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(1000); } catch { /* already closed */ }
    }
  }

  setState(state, detail = {}) {
    this.state = state;
    this.h.state(state, detail);
  }
}
