"""Sign-up flood from many loopback addresses (each within 30/min) while a developer reads K-lines.
Usage: signup-flood.py KEY_ID SECRET ADDRESSES SECONDS (gateway on 127.0.0.1:8080; see run-signup-flood.sh)"""
import http.client, json, sys, threading, time, random, string
base_host, base_port = "127.0.0.1", 8080
key, secret, n_addr, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
stop = time.time() + secs
status = {}
lock = threading.Lock()
def attacker(i):
    src = ("127.0.%d.%d" % (1 + i // 200, 10 + i % 200), 0)
    k = 0
    while time.time() < stop:
        t0 = time.time()
        try:
            c = http.client.HTTPConnection(base_host, base_port, timeout=30, source_address=src)
            body = json.dumps({"email": "a%d-%d-%s@example.com" % (i, k, ''.join(random.choices(string.ascii_lowercase, k=6))),
                               "password": "correct horse battery", "name": "x"})
            c.request("POST", "/v1/developers", body, {"Content-Type": "application/json"})
            r = c.getresponse(); r.read(); c.close()
            with lock:
                status[r.status] = status.get(r.status, 0) + 1
        except Exception as e:
            with lock:
                status[type(e).__name__] = status.get(type(e).__name__, 0) + 1
        k += 1
        time.sleep(max(0, 2.0 - (time.time() - t0)))  # 30 a minute per address
lat = []
def reader():
    c = http.client.HTTPConnection(base_host, base_port, timeout=60)
    while time.time() < stop:
        t0 = time.time()
        c.request("GET", "/v1/market/klines/600000.SH?interval=1m&limit=1000", headers={"X-API-Key": key, "X-API-Secret": secret})
        r = c.getresponse(); r.read()
        lat.append((time.time() - t0) * 1000)
        with lock:
            status["kline_" + str(r.status)] = status.get("kline_" + str(r.status), 0) + 1
        time.sleep(0.5)
ts = [threading.Thread(target=attacker, args=(i,)) for i in range(n_addr)] + [threading.Thread(target=reader)]
[t.start() for t in ts]; [t.join() for t in ts]
lat.sort()
def pct(p): return lat[min(len(lat) - 1, int(p * len(lat)))]
print(json.dumps({"addresses": n_addr, "signup_answers": status, "kline_reads": len(lat),
                  "kline_p50_ms": round(pct(0.5), 1), "kline_p99_ms": round(pct(0.99), 1), "kline_max_ms": round(lat[-1], 1)}))
