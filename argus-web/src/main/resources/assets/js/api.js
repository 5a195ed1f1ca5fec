// HTTP access to the Argus API (SPEC §3) with the API key in the X-API-Key header.

/** The key was missing or wrong (HTTP 401 / WebSocket auth error). */
export class AuthError extends Error {}

/** Any other non-2xx answer; `status` is the HTTP status (0 when the server was unreachable). */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const RAW_JSON = typeof JSON.rawJSON === 'function';

// Numbers whose JavaScript value would not print back to the same text (big integers, "1.50",
// "1e3") are kept as JSON.rawJSON so the detail view and NDJSON export show them exactly.
function reviver(key, value, context) {
  if (typeof value === 'number' && context && typeof context.source === 'string'
      && String(value) !== context.source) {
    return JSON.rawJSON(context.source);
  }
  return value;
}

/** JSON.parse that keeps the exact text of numbers that a double cannot hold. */
export function parseJson(text) {
  return RAW_JSON ? JSON.parse(text, reviver) : JSON.parse(text);
}

export function isRawNumber(value) {
  return RAW_JSON && value !== null && typeof value === 'object' && JSON.isRawJSON(value);
}

export class Api {
  constructor(key) {
    this.key = key;
  }

  /** GET `path` with query `params` (arrays become repeated parameters); resolves to parsed JSON. */
  async get(path, params = {}, signal = undefined) {
    const url = new URL(path, location.origin);
    for (const [name, value] of Object.entries(params)) {
      if (value === undefined || value === null || value === '') continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(v));
    }
    return this.send('GET', url, undefined, signal);
  }

  /** POST a JSON body; resolves to the parsed answer. */
  post(path, body) {
    return this.send('POST', new URL(path, location.origin), body);
  }

  /** PATCH a JSON body; resolves to the parsed answer. */
  patch(path, body) {
    return this.send('PATCH', new URL(path, location.origin), body);
  }

  async send(method, url, body, signal) {
    // no key at all under auth.mode relaxed until the user gives one (reads need none)
    const headers = { Accept: 'application/json' };
    if (this.key) headers['X-API-Key'] = this.key;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        signal,
      });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, 'server unreachable');
    }
    const text = await response.text();
    if (response.status === 401) throw new AuthError(messageOf(text) || 'Invalid API key');
    if (!response.ok) throw new ApiError(response.status, messageOf(text) || `HTTP ${response.status}`);
    return text ? parseJson(text) : null;
  }
}

function messageOf(text) {
  try {
    const body = JSON.parse(text);
    return typeof body.message === 'string' ? body.message : '';
  } catch {
    return '';
  }
}
