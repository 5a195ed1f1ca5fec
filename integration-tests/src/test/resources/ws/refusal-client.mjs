// A standard WebSocket client (Node's built-in, which offers permessage-deflate like a browser):
// connects to argv[2], sends argv[3] if given, and prints one JSON line per thing seen:
// {"open":EXTENSIONS}, {"message":TEXT}, {"close":CODE,"wasClean":BOOL}; exits after the close.
const [url, first] = process.argv.slice(2);
const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const ws = new WebSocket(url);
ws.onopen = () => {
  print({ open: ws.extensions });
  if (first) ws.send(first);
};
ws.onmessage = (m) => print({ message: String(m.data) });
ws.onclose = (e) => {
  print({ close: e.code, wasClean: e.wasClean });
  process.exit(0);
};
ws.onerror = () => { /* onclose follows */ };
setTimeout(() => { print({ timeout: true }); process.exit(2); }, 60000);
