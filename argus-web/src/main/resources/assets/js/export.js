// Export of the listed rows: CSV (RFC 4180 quoting, CRLF line ends) and NDJSON (one event object
// per line, as the API returned it), downloaded through a Blob URL.

export const CSV_COLUMNS = ['id', 'timestamp', 'received_at', 'level', 'source', 'event_type',
  'message', 'tags', 'session_id', 'uuid', 'data'];

/** One CSV field: quoted when it holds a comma, quote, CR, LF or edge whitespace; quotes doubled. */
export function csvField(value) {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a header; `tags` and `data` are JSON text; oldest row first. */
export function toCsv(events) {
  const lines = [CSV_COLUMNS.join(',')];
  for (const e of events) {
    lines.push([
      e.id, e.timestamp, e.received_at, e.level, e.source, e.event_type, e.message,
      JSON.stringify(e.tags || []), e.session_id, e.uuid,
      e.data === null || e.data === undefined ? null : JSON.stringify(e.data),
    ].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export function toNdjson(events) {
  let out = '';
  for (const e of events) out += JSON.stringify(e) + '\n';
  return out;
}

/** Starts a browser download of `text`. */
export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `argus-20260131-083000` in local time. */
export function exportName() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `argus-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
