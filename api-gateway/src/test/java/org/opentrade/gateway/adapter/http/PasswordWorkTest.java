package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.app.TestGateway;
import org.opentrade.gateway.domain.GatewayError;

/**
 * Password hashing has a pool of its own with a bound on what waits for it: past the bound a sign-up or
 * log-in is refused at once (503 -9004, Retry-After) instead of queueing for every core.
 */
class PasswordWorkTest {
    @TempDir
    Path dir;

    @Test
    void pastItsThreadsAndQueueWorkIsRefusedAtOnceAndAdmittedAgainWhenItDrains() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            PasswordWork work = new PasswordWork(vertx, 1, 1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            Future<String> first = work.run(() -> {
                running.countDown();
                release.await(10, TimeUnit.SECONDS);
                return "first";
            });
            assertTrue(running.await(10, TimeUnit.SECONDS));
            Future<String> queued = work.run(() -> "queued");
            Future<String> refused = work.run(() -> "refused");

            assertTrue(refused.failed(), "refused at once, not queued");
            Rejection r = assertInstanceOf(Rejection.class, refused.cause());
            assertEquals(GatewayError.OVERLOADED, r.error());
            assertTrue(PasswordWork.refusal(r));
            assertEquals(1, work.refused());
            assertEquals(2, work.inFlight());
            assertFalse(queued.isComplete(), "the one thread is busy");

            release.countDown();
            assertEquals("first", first.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertEquals("queued", queued.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertEquals("again", work.run(() -> "again").toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));
            assertEquals(0, work.inFlight());
            assertEquals(1, work.refused());
            work.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Eight log-ins at once from eight addresses (each within its own address's budget), with one
     * hashing thread, none queued, and a hash slow enough (64 MiB, 4 passes) that they overlap: the
     * first is checked (401, unknown email), the others are refused with the error model, not queued.
     */
    @Test
    void logInsPastThePoolAreAnswered503WithRetryAfter() throws Exception {
        try (TestGateway gw = TestGateway.start(dir, "auth:\n  password_memory_kib: 65536\n  password_iterations: 4\n"
                + "  password_threads: 1\n  password_queue: 0\n  admin_token: " + TestGateway.ADMIN_TOKEN + "\n",
                null, org.opentrade.gateway.app.ApiGateway::embeddedStores, "  trusted_proxies: [\"127.0.0.0/8\"]\n")) {
            HttpClient http = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(http.sendAsync(gw.request("/v1/sessions").POST(HttpRequest.BodyPublishers.ofString(
                                new JsonObject().put("email", "nobody" + i + "@example.com").put("password", "a guess")
                                        .encode()))
                        .header("Content-Type", "application/json").header("X-Forwarded-For", "198.51.100." + i)
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            int checked = 0;
            int refused = 0;
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get(30, TimeUnit.SECONDS);
                JsonObject body = new JsonObject(r.body());
                if (r.statusCode() == 401) {
                    assertEquals(-2013, body.getInteger("error_no"));
                    checked++;
                } else {
                    assertEquals(503, r.statusCode(), r.body());
                    assertEquals(-9004, body.getInteger("error_no"));
                    assertTrue(body.getString("error").contains("sign-ups and log-ins"), r.body());
                    assertEquals("1", r.headers().firstValue("Retry-After").orElseThrow());
                    assertEquals(r.headers().firstValue("X-Trace-Id").orElseThrow(), body.getString("trace_id"));
                    refused++;
                }
            }
            assertTrue(checked >= 1, "the first log-in is checked");
            assertTrue(refused >= 1, "log-ins past the pool are refused, not queued: " + checked + " checked");
            assertTrue(gw.gateway.prometheus().contains("opentrade_gateway_password_work_refused_total " + refused + "\n"),
                    gw.gateway.prometheus());
        }
    }
}
