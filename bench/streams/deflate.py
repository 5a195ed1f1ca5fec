#!/usr/bin/env python3
"""What permessage-deflate buys on /ws: wire bytes and server CPU per 1,000 live events, with and
without the extension. Usage: deflate.py URL KEY SERVER_PID [--events N] [--rounds R]

One subscriber on a raw socket (it offers 'permessage-deflate; client_max_window_bits' as browsers
and Node do, or nothing), one poster sending ~170-byte events in batches of 100. Counted: bytes the
subscriber read off the socket (frame headers included) and the server's CPU time (utime+stime from
/proc) from the first POST until the subscriber has every event. A run without any subscriber gives
the ingest-only CPU, so that the streaming share can be read off."""
import argparse, base64, http.client, json, os, socket, threading, time, urllib.parse

TICK = os.sysconf('SC_CLK_TCK')


def cpu_seconds(pid):
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def post_all(host, port, key, n, run):
    conn = http.client.HTTPConnection(host, port)
    for start in range(0, n, 100):
        body = json.dumps([{"source": "deflate-bench", "event_type": "log", "level": "info",
                            "message": f"user {run}-{i} logged in from 10.0.{i % 250}.{i % 200}",
                            "tags": ["auth", "web"], "data": {"attempt": i % 7, "ok": True}}
                           for i in range(start, min(n, start + 100))])
        conn.request('POST', '/events/batch', body, {'X-API-Key': key, 'Content-Type': 'application/json'})
        r = conn.getresponse()
        r.read()
        assert r.status == 201, r.status
    conn.close()


def mask_frame(text):
    payload = text.encode()
    mask = os.urandom(4)
    return bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class Subscriber:
    def __init__(self, host, port, key, deflate):
        self.s = socket.create_connection((host, port))
        ext = 'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n' if deflate else ''
        self.s.sendall((f'GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
                        f'Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n'
                        f'Sec-WebSocket-Version: 13\r\n{ext}\r\n').encode())
        buf = b''
        while b'\r\n\r\n' not in buf:
            buf += self.s.recv(4096)
        head, self.buf = buf.split(b'\r\n\r\n', 1)
        self.negotiated = b'permessage-deflate' in head.lower()
        assert self.negotiated == deflate, head
        self.bytes = 0
        self.s.sendall(mask_frame(json.dumps({"type": "auth", "api_key": key})))
        self.s.sendall(mask_frame(json.dumps({"type": "subscribe", "filters": {"source": "deflate-bench"}})))

    def read_messages(self, n):
        """Reads until n complete data messages have arrived; counts every byte read."""
        got = 0
        buf = self.buf
        while got < n:
            while True:
                if len(buf) < 2:
                    break
                ln = buf[1] & 0x7f
                hl = 2
                if ln == 126:
                    if len(buf) < 4:
                        break
                    ln, hl = int.from_bytes(buf[2:4], 'big'), 4
                elif ln == 127:
                    if len(buf) < 10:
                        break
                    ln, hl = int.from_bytes(buf[2:10], 'big'), 10
                if len(buf) < hl + ln:
                    break
                op, fin = buf[0] & 0x0f, buf[0] & 0x80
                if op in (0, 1, 2) and fin:
                    got += 1
                buf = buf[hl + ln:]
                if got >= n:
                    break
            if got >= n:
                break
            d = self.s.recv(65536)
            if not d:
                raise RuntimeError('closed')
            self.bytes += len(d)
            buf += d
        self.buf = buf


def run(url, key, pid, n, mode, run_no):
    u = urllib.parse.urlparse(url)
    sub = None
    if mode != 'none':
        sub = Subscriber(u.hostname, u.port, key, mode == 'deflate')
        sub.read_messages(2)  # auth_result, subscribe_result
        sub.bytes = 0
    cpu0, t0 = cpu_seconds(pid), time.time()
    poster = threading.Thread(target=post_all, args=(u.hostname, u.port, key, n, run_no))
    poster.start()
    if sub:
        sub.read_messages(n)
    poster.join()
    cpu, wall = cpu_seconds(pid) - cpu0, time.time() - t0
    if sub:
        sub.s.close()
    return cpu, wall, (sub.bytes if sub else 0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('url'), p.add_argument('key'), p.add_argument('pid', type=int)
    p.add_argument('--events', type=int, default=20000)
    p.add_argument('--rounds', type=int, default=3)
    a = p.parse_args()
    run(a.url, a.key, a.pid, 5000, 'deflate', 0)  # warm-up
    run(a.url, a.key, a.pid, 5000, 'plain', 0)
    results = {'none': [], 'plain': [], 'deflate': []}
    for r in range(a.rounds):
        for mode in ('none', 'plain', 'deflate'):
            results[mode].append(run(a.url, a.key, a.pid, a.events, mode, r + 1))
    k = a.events / 1000
    print(f'{a.events} events per run, {a.rounds} rounds; per 1,000 events (median of rounds):')
    med = lambda xs: sorted(xs)[len(xs) // 2]
    base = med([c for c, _, _ in results['none']]) / k
    for mode in ('none', 'plain', 'deflate'):
        cpu = med([c for c, _, _ in results[mode]]) / k
        wire = med([b for _, _, b in results[mode]]) / k
        print(f'  {mode:8s} server CPU {cpu * 1000:7.1f} ms  (streaming share {max(0.0, cpu - base) * 1000:6.1f} ms)'
              f'  wire bytes to the subscriber {wire / 1024:8.1f} KiB')


if __name__ == '__main__':
    main()
