package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway under hostile traffic, over raw sockets so nothing is cleaned up by a client library:
 * 10 000 malformed requests (bad JSON, huge bodies, bad headers, bad signatures, path tricks, broken
 * HTTP) get no 5xx and do not stop it serving; and no secret, password or token ever reaches a log.
 */
class HostileTrafficIT {
    static final int REQUESTS = 10_000;
    static final String PASSWORD = "s3cret-passw0rd-XYZ";

    @TempDir
    Path dir;
    TestGateway gw;
    final StringBuilder logs = new StringBuilder();
    Handler capture;
    PrintStream originalErr;
    PrintStream originalOut;

    @BeforeEach
    void start() throws Exception {
        capture = new Handler() {
            @Override
            public synchronized void publish(LogRecord r) {
                synchronized (logs) {
                    logs.append(r.getMessage()).append('\n');
                    if (r.getParameters() != null) {
                        for (Object p : r.getParameters()) {
                            logs.append(p).append('\n');
                        }
                    }
                    if (r.getThrown() != null) {
                        logs.append(r.getThrown()).append('\n');
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(capture);
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(new Tee(originalErr), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new Tee(originalOut), true, StandardCharsets.UTF_8));
        gw = TestGateway.start(dir, "limits:\n  per_address_per_minute: 100000\n");
    }

    @AfterEach
    void stop() throws Exception {
        Logger.getLogger("").removeHandler(capture);
        System.setErr(originalErr);
        System.setOut(originalOut);
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void tenThousandMalformedRequestsGetNo5xxAndNoSecretIsLogged() throws Exception {
        HttpPost signUp = new HttpPost("/v1/developers", "{\"email\":\"h@example.com\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"H\"}");
        assertEquals(201, gw.post(signUp.path, signUp.body).statusCode());
        String token = new JsonObject(gw.post("/v1/sessions", "{\"email\":\"h@example.com\",\"password\":\""
                + PASSWORD + "\"}").body()).getString("token");
        JsonObject key = gw.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read").add("trade")));
        String keyId = key.getString("key_id");
        String secret = key.getString("secret");
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        JsonObject edKey = gw.createKey(token, new JsonObject().put("type", "ed25519").put("scopes",
                new JsonArray().add("trade")).put("public_key",
                Base64.getEncoder().encodeToString(pair.getPublic().getEncoded())));
        String rotated = new JsonObject(gw.post("/v1/keys/" + keyId + "/rotate", "{\"grace_seconds\":60}",
                "Authorization", "Bearer " + token).body()).getString("secret");

        List<byte[]> requests = hostileRequests(keyId, secret, edKey.getString("key_id"), pair, token, new Random(42));
        assertEquals(REQUESTS, requests.size());
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> all = new ArrayList<>();
        for (byte[] r : requests) {
            all.add(pool.submit(() -> {
                int status = send(gw.port(), r);
                statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        // 505 is the answer to "GET / HTTP/9.9" (a version this server does not speak), not a server fault
        int fiveXx = statuses.entrySet().stream().filter(e -> e.getKey() >= 500 && e.getKey() != 505)
                .mapToInt(e -> e.getValue().get()).sum();
        assertEquals(0, fiveXx, "status counts: " + statuses);
        assertTrue(statuses.keySet().stream().anyMatch(s -> s >= 400 && s < 500), "status counts: " + statuses);

        // Still serving, and the real credentials still work.
        assertEquals(200, gw.get("/v1/market/quotes", "X-API-Key", keyId, "X-API-Secret", rotated).statusCode());
        assertEquals(200, gw.get("/v1/keys", "Authorization", "Bearer " + token).statusCode());

        String logged;
        synchronized (logs) {
            logged = logs.toString();
        }
        for (String s : List.of(PASSWORD, secret, rotated, token, TestGateway.ADMIN_TOKEN)) {
            assertFalse(logged.contains(s), "a secret reached the logs");
        }
    }

    private static List<byte[]> hostileRequests(String keyId, String secret, String edKeyId, KeyPair pair, String token,
                                                Random rnd) throws Exception {
        List<byte[]> out = new ArrayList<>();
        String auth = "X-API-Key: " + keyId + "\r\nX-API-Secret: " + secret + "\r\n";
        String[] badJson = {"{", "{\"email\":", "[]", "null", "\"str\"", "{\"email\":5,\"password\":[1]}", "\u0000\u0001",
            "{\"a\":" + "[".repeat(5000), "{\"symbol\":{\"$gt\":\"\"}}", "{\"scopes\":\"trade\"}", "{\"expires_at\":\"x\"}",
            "{\"allowed_cidrs\":[\"300.1.1.1/99\"]}", "{\"type\":\"ed25519\",\"public_key\":\"!!!\"}", "{\"grace_seconds\":1e999}"};
        String[] paths = {"/v1/../v1/admin/keys", "/v1/%2e%2e/admin/keys", "//v1/keys", "/v1/market/depth/%00",
            "/v1/keys/..%2f..%2fadmin", "/v1/market/depth/" + "A".repeat(9000), "/v1/market/depth/%zz", "/v1/%c0%ae%c0%ae/",
            "/v1/traces/../../etc/passwd", "/v1/traces/" + "f".repeat(40), "/\\v1\\keys", "/v1/keys/./x", "*",
            "/v1/market/quotes?symbols=" + "%".repeat(300), "/v1/admin/developers", "/v1/orders/%2F%2F"};
        int i = 0;
        while (out.size() < REQUESTS) {
            int kind = i++ % 12;
            String r = switch (kind) {
                case 0 -> post(pick(rnd, "/v1/developers", "/v1/sessions"), pick(rnd, badJson), "");
                case 1 -> post("/v1/keys", pick(rnd, badJson), "Authorization: Bearer " + token + "\r\n");
                case 2 -> post("/v1/orders", pick(rnd, badJson), auth);
                case 3 -> "POST /v1/developers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                        + (70_000 + rnd.nextInt(100_000)) + "\r\nConnection: close\r\n\r\n" + "x".repeat(70_000);
                case 4 -> "GET /v1/market/quotes HTTP/1.1\r\nHost: localhost\r\n" + pick(rnd, "X-API-Key\r\n",
                        "X-API-Key: " + "k".repeat(20_000) + "\r\n", "X-API-Key: \u0001\u0002\r\n",
                        "X-API-Key: a\r\nX-API-Key: b\r\nX-API-Secret: c\r\n", "Bad Header: x\r\n",
                        "X-Many: 1\r\n".repeat(150), "Authorization: Bearer " + "a".repeat(5000) + "\r\n",
                        "Authorization: Basic Zm9vOmJhcg==\r\n", "X-Timestamp: -1\r\nX-Signature: ===\r\nX-API-Key: " + edKeyId
                                + "\r\n", "Content-Length: -5\r\n", "Transfer-Encoding: chunked\r\n\r\nzz\r\n")
                        + "Connection: close\r\n\r\n";
                case 5 -> signedGarbage(edKeyId, pair, rnd);
                case 6 -> "GET " + pick(rnd, paths) + " HTTP/1.1\r\nHost: localhost\r\n" + auth + "Connection: close\r\n\r\n";
                case 7 -> pick(rnd, "FOO", "TRACE", "PROPFIND", "CONNECT", "PUT", "DELETE") + " /v1/keys HTTP/1.1\r\nHost: localhost\r\n"
                        + "Connection: close\r\n\r\n";
                case 8 -> pick(rnd, "GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "\u0016\u0003\u0001\u0000\u00a5\r\n\r\n",
                        "GET /v1/keys\r\n\r\n", "GET /v1/keys HTTP/1.1\r\n\r\n", " \r\n\r\n");
                case 9 -> "GET /v1/keys HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token.substring(0, token.length() - 3)
                        + pick(rnd, "abc", "___", "...") + "\r\nConnection: close\r\n\r\n";
                case 10 -> "POST /v1/admin/keys/" + keyId + "/kill HTTP/1.1\r\nHost: localhost\r\nX-Admin-Token: "
                        + pick(rnd, "", "x", "test-admin-token-012345678", "A".repeat(3000)) + "\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n";
                default -> "GET /v1/market/quotes HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + keyId + "\r\nX-API-Secret: "
                        + secret.substring(0, secret.length() - 2) + pick(rnd, "zz", "!!", "") + "\r\nConnection: close\r\n\r\n";
            };
            out.add(r.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private static String signedGarbage(String keyId, KeyPair pair, Random rnd) throws Exception {
        String ts = Long.toString(System.currentTimeMillis() + (rnd.nextBoolean() ? 0 : 3_600_000));
        String body = "{\"symbol\":\"600000.SH\"}";
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        // The contract's string to sign, over a body hash that is not this body's: never verifies.
        s.update((ts + "\nPOST\n/v1/orders\n" + Integer.toHexString(rnd.nextInt())).getBytes(StandardCharsets.UTF_8));
        String sig = pick(rnd, Base64.getEncoder().encodeToString(s.sign()), "not base64 at all", "", "A".repeat(190));
        return post("/v1/orders", body, "X-API-Key: " + keyId + "\r\nX-Timestamp: " + ts + "\r\nX-Signature: " + sig + "\r\n");
    }

    private static String post(String path, String body, String headers) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + headers
                + "Content-Length: " + b.length + "\r\nConnection: close\r\n\r\n" + new String(b, StandardCharsets.ISO_8859_1);
    }

    @SafeVarargs
    private static <T> T pick(Random rnd, T... options) {
        return options[rnd.nextInt(options.length)];
    }

    /** Sends raw bytes; returns the status of the answer, 0 when the server closed without one. */
    private static int send(int port, byte[] request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(3_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                s.shutdownOutput();
            } catch (IOException e) {
                // the server may answer (413, 400) and close before reading everything
            }
            InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            int n = 0;
            while (n < 12) {
                int r = in.read(head, n, 12 - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            String line = new String(head, 0, n, StandardCharsets.ISO_8859_1);
            return line.startsWith("HTTP/1.") && n >= 12 ? Integer.parseInt(line.substring(9, 12)) : 0;
        } catch (SocketTimeoutException e) {
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Both to the original stream and to the captured log. */
    private final class Tee extends OutputStream {
        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Tee(PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            target.write(b);
            line.write(b);
            if (b == '\n') {
                synchronized (logs) {
                    logs.append(line.toString(StandardCharsets.UTF_8));
                }
                line.reset();
            }
        }
    }

    private record HttpPost(String path, String body) {
    }
}
