// Small DOM helpers. Event text only ever reaches the page through textContent, attribute values
// and text nodes; nothing in this application turns strings into markup.

/** Creates an element; `text` becomes its textContent, other props become attributes. */
export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** The single element with this data-testid. */
export function byTestId(id, root = document) {
  return root.querySelector(`[data-testid="${id}"]`);
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** Milliseconds since the epoch of an Argus timestamp (UTC, 6 fraction digits). */
export function tsMillis(ts) {
  if (!ts) return NaN;
  return Date.parse(ts.length > 24 ? ts.slice(0, 23) + 'Z' : ts);
}

/** Compact local time for a row: `MM-DD HH:MM:SS.mmm`. */
export function shortTime(ts) {
  const ms = tsMillis(ts);
  if (Number.isNaN(ms)) return ts || '';
  const d = new Date(ms);
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
