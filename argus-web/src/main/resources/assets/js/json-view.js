// Pretty, highlighted JSON built from DOM nodes (spans and text nodes), never from markup, so any
// string inside `data` is shown exactly as written.

import { el } from './dom.js';
import { isRawNumber } from './api.js';

const INDENT = '  ';

/** A <pre> showing `value` indented by two spaces with keys, strings, numbers and literals coloured. */
export function jsonView(value) {
  const pre = el('pre', { class: 'json', 'data-testid': 'detail-data' });
  write(pre, value, 0);
  return pre;
}

function write(out, value, depth) {
  if (value === null) {
    out.append(el('span', { class: 'j-null', text: 'null' }));
  } else if (typeof value === 'string') {
    out.append(el('span', { class: 'j-str', text: JSON.stringify(value) }));
  } else if (typeof value === 'number') {
    out.append(el('span', { class: 'j-num', text: String(value) }));
  } else if (typeof value === 'boolean') {
    out.append(el('span', { class: 'j-bool', text: String(value) }));
  } else if (isRawNumber(value)) {
    out.append(el('span', { class: 'j-num', text: value.rawJSON }));
  } else if (Array.isArray(value)) {
    if (value.length === 0) { out.append(punct('[]')); return; }
    out.append(punct('['));
    value.forEach((item, i) => {
      out.append('\n' + INDENT.repeat(depth + 1));
      write(out, item, depth + 1);
      if (i < value.length - 1) out.append(punct(','));
    });
    out.append('\n' + INDENT.repeat(depth), punct(']'));
  } else if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) { out.append(punct('{}')); return; }
    out.append(punct('{'));
    keys.forEach((key, i) => {
      out.append('\n' + INDENT.repeat(depth + 1), el('span', { class: 'j-key', text: JSON.stringify(key) }), punct(': '));
      write(out, value[key], depth + 1);
      if (i < keys.length - 1) out.append(punct(','));
    });
    out.append('\n' + INDENT.repeat(depth), punct('}'));
  } else {
    out.append(String(value));
  }
}

function punct(text) {
  return el('span', { class: 'j-p', text });
}
