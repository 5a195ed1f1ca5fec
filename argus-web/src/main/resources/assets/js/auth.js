// Auth: the API key prompt, keeping the key in local storage, "forget key", and back to the prompt on a 401.

import { Api, AuthError } from './api.js';
import { byTestId as $ } from './dom.js';

const KEY_STORAGE = 'argus.apiKey';

/**
 * @param {object} h handlers: start(api, key) with a checked or stored key; signedOut() stops and
 *   clears everything else before the prompt shows again
 */
export function createAuth(h) {
  let relaxed = false;   // auth.mode relaxed: reads need no key, so no prompt until a write needs one
  let api = null;

  function start(key) {
    api = new Api(key);
    $('key-prompt').hidden = true;
    h.start(api, key);
  }

  function showPrompt(message) {
    $('key-prompt').hidden = false;
    $('key-message').textContent = message || '';
    const input = $('key-input');
    input.value = '';
    input.focus();
  }

  /** Back to the key prompt: a wrong key, or "forget key". */
  function signOut(message) {
    const hadKey = Boolean(api && api.key);
    localStorage.removeItem(KEY_STORAGE);
    h.signedOut();
    api = null;
    if (relaxed && hadKey && !/invalid/i.test(message || '')) start(null); // back to keyless reading
    else showPrompt(message);
  }

  /** A write was refused for want of a key (relaxed mode): ask for one, keep reading meanwhile. */
  function needKey(message) {
    showPrompt(message || 'Changing data needs an API key with the ingest scope.');
  }

  /** Signs out when `e` is an AuthError (HTTP 401); true when it did. */
  function failed(e) {
    if (!(e instanceof AuthError)) return false;
    if (relaxed && !(api && api.key)) needKey(e.message);
    else signOut(e.message);
    return true;
  }

  function wire() {
    $('key-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const key = $('key-input').value.trim();
      if (!key) return;
      $('key-message').textContent = 'Checking…';
      try {
        await new Api(key).get('/sources');
      } catch (e) {
        $('key-message').textContent = e instanceof AuthError ? 'Invalid API key'
          : `Cannot check the key: ${e.message}`;
        return;
      }
      localStorage.setItem(KEY_STORAGE, key);
      start(key);
    });
    $('key-cancel').addEventListener('click', () => { $('key-prompt').hidden = true; });
    $('forget-key').addEventListener('click', () => signOut('The key was removed from this browser.'));
  }

  /** Starts with the stored key; without one asks for it, or (auth.mode relaxed) reads keyless. */
  function begin(authMode) {
    relaxed = authMode === 'relaxed';
    document.body.dataset.authMode = relaxed ? 'relaxed' : 'strict';
    const key = localStorage.getItem(KEY_STORAGE);
    if (key) start(key);
    else if (relaxed) start(null);
    else showPrompt('');
  }

  const promptOpen = () => !$('key-prompt').hidden;

  return { wire, begin, signOut, failed, needKey, promptOpen };
}
