package org.opentrade.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retry and signing rules of the SDK's HTTP client, against a scripted local server (the real
 * gateway's 429 is exercised by {@code SdkPromisesIT}).
 */
class SigningHttpClientTest {
    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5));

    private HttpServer server;
    private final Deque<int[]> script = new ArrayDeque<>(); // {status, retryAfterSeconds or -1}
    private final List<String> timestamps = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> retries = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            timestamps.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Timestamp")));
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int[] step;
            synchronized (script) {
                step = script.isEmpty() ? new int[] {200, -1} : script.poll();
            }
            if (step[1] >= 0) {
                ex.getResponseHeaders().add("Retry-After", Integer.toString(step[1]));
            }
            byte[] out = ("{\"error\":\"x\",\"error_no\":-3001,\"trace_id\":\"t\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(step[0], out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private SigningHttpClient client(Credentials c, RetryPolicy p) {
        return new SigningHttpClient(HttpClient.newHttpClient(), c, p,
                (attempt, method, uri, status, wait) -> retries.add(attempt + ":" + status + ":" + wait.toMillis()));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path));
    }

    @Test
    void a429WaitsItsRetryAfterThenSucceedsAndEachAttemptIsSignedAfresh() throws Exception {
        script.add(new int[] {429, 1});
        Credentials ed = Credentials.ed25519("k", KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate());
        long t0 = System.nanoTime();
        HttpResponse<String> r = client(ed, FAST).send(request("/v1/market/quotes?symbols=A&symbols=B").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        long waitedMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.statusCode());
        assertEquals(List.of("1:429:1000"), retries, "one retry, after the Retry-After of 1 s");
        assertTrue(waitedMillis >= 1000, "waited the Retry-After: " + waitedMillis + " ms");
        assertEquals(2, timestamps.size());
        assertNotEquals(timestamps.get(0), timestamps.get(1), "signed afresh: the gateway takes a signed request once");
    }

    @Test
    void aPostWithoutIdempotencyKeyIsNeverRetried() throws Exception {
        script.add(new int[] {503, 0});
        HttpResponse<String> r = client(Credentials.none(), FAST).send(request("/v1/keys")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, r.statusCode());
        assertEquals(1, bodies.size());
        assertTrue(retries.isEmpty());
    }

    @Test
    void aPostWithAnIdempotencyKeyIsRetriedWithTheSameBody() throws Exception {
        script.add(new int[] {503, -1});
        script.add(new int[] {502, -1});
        HttpResponse<String> r = client(Credentials.none(), FAST).send(request("/v1/orders")
                .header("Idempotency-Key", "abc").POST(HttpRequest.BodyPublishers.ofString("{\"qty\":100,\"é\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(List.of("{\"qty\":100,\"é\":1}", "{\"qty\":100,\"é\":1}", "{\"qty\":100,\"é\":1}"), bodies);
        assertEquals(2, retries.size());
    }

    @Test
    void aRetryAfterLongerThanAllowedReturnsTheAnswerAtOnce() throws Exception {
        script.add(new int[] {429, 60});
        HttpResponse<String> r = client(Credentials.none(), FAST).send(request("/v1/usage").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(429, r.statusCode());
        assertEquals("60", r.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retries.isEmpty());
    }

    @Test
    void attemptsStopAtTheLimit() throws Exception {
        for (int i = 0; i < 10; i++) {
            script.add(new int[] {503, 0});
        }
        HttpResponse<String> r = client(Credentials.none(), FAST).send(request("/v1/account").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, r.statusCode());
        assertEquals(4, bodies.size(), "maxAttempts in all");
    }

    @Test
    void aRefusedConnectionIsRetriedEvenForAPostBecauseNothingWasSent() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/v1/keys"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        ConnectException refused = assertThrows(ConnectException.class, () -> client(Credentials.none(), FAST).send(post,
                HttpResponse.BodyHandlers.ofString()));
        assertEquals(3, retries.size(), "retried up to the limit: " + retries);
        assertTrue(refused.getMessage().startsWith("no answer to POST http://127.0.0.1:" + closedPort + "/v1/keys: "),
                "the message names the call: " + refused.getMessage());
    }
}
