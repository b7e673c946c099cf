package org.opentrade.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.sdk.model.Order;

/**
 * Answers a scripted server gives: a close whose first attempt is still being answered (409 -4115 with
 * Retry-After) waits and gets its sell; UTF-8 answers read as UTF-8 whatever the platform charset (this module's
 * tests run with US-ASCII, as a process without LANG does).
 */
class AnswersUnderStressTest {
    private static final String SELL = "{\"order_id\":\"100240\",\"client_order_id\":\"close-x\",\"symbol\":\"600000.SH\","
            + "\"side\":\"sell\",\"type\":\"market\",\"time_in_force\":\"ioc\",\"qty\":100,\"price\":null,\"stop_price\":null,"
            + "\"filled_qty\":100,\"leaves_qty\":0,\"avg_fill_price\":\"10.51\",\"status\":\"filled\",\"reject_reason\":null,"
            + "\"created_at\":\"2026-01-05T02:10:00.004Z\",\"updated_at\":\"2026-01-05T02:10:00.006Z\"}";
    private static final String STILL_RUNNING = "{\"error\":\"a request with this Idempotency-Key is still being"
            + " answered\",\"error_no\":-4115,\"trace_id\":\"t\"}";
    private HttpServer server;
    /** {status, Retry-After or null, body} per request, in turn; then the sell. */
    private final Deque<Object[]> script = new ArrayDeque<>();
    private final List<String> keys = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            keys.add(String.valueOf(ex.getRequestHeaders().getFirst("Idempotency-Key")));
            Object[] step;
            synchronized (script) {
                step = script.isEmpty() ? new Object[] {200, null, SELL} : script.poll();
            }
            if (step[1] != null) {
                ex.getResponseHeaders().add("Retry-After", (String) step[1]);
            }
            ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            byte[] out = ((String) step[2]).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders((Integer) step[0], out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private OpenTrade client() {
        return OpenTrade.builder().baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .credentials(Credentials.secretKey("otk_k", "s"))
                .retryPolicy(new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5))).build();
    }

    /** Found in review: the 409 was thrown as a refusal while the first attempt's sell ran. */
    @Test
    void aCloseWhoseFirstAttemptIsStillBeingAnsweredWaitsForItsSell() {
        script.add(new Object[] {504, null, "{\"error\":\"upstream timeout\",\"error_no\":-9002,\"trace_id\":\"t\"}"});
        script.add(new Object[] {409, "0", STILL_RUNNING});
        script.add(new Object[] {201, null, SELL});
        Order sell = client().closePosition("600000.SH", 100L);
        assertEquals("100240", sell.getOrderId());
        assertEquals(3, keys.size());
        assertEquals(1, keys.stream().distinct().count(), "one Idempotency-Key for every attempt: " + keys);
    }

    @Test
    void aCloseStillRunningAfterEveryRetryIsOfUnknownOutcomeNotRefused() {
        for (int i = 0; i < 4; i++) {
            script.add(new Object[] {409, "0", STILL_RUNNING});
        }
        OrderStatusUnknownException e = assertThrows(OrderStatusUnknownException.class,
                () -> client().closePosition("600000.SH", 100L));
        assertEquals(keys.get(0), e.clientOrderId(), "the key that answers the sell later");
    }

    /** Found in review: the generated client decoded with the platform charset (U+FFFD for every Chinese name). */
    @Test
    void utf8AnswersAreReadAsUtf8WhateverThePlatformCharset() {
        script.add(new Object[] {200, null, "{\"symbol\":\"600000.SH\",\"name\":\"\u6d66\u53d1\u94f6\u884c\"}"});
        OpenTrade ot = client();
        assertEquals("\u6d66\u53d1\u94f6\u884c", ot.call(() -> ot.market().getInstrument("600000.SH")).getName(),
                "platform charset " + java.nio.charset.Charset.defaultCharset());
    }
}
