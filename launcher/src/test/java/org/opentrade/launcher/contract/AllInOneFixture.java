package org.opentrade.launcher.contract;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.testing.DayEnds;
import org.opentrade.launcher.AllInOne;

/**
 * The all-in-one started in this JVM for tests that send it real traffic: HTTP and FIX on free loopback
 * ports, everything under a temporary data directory (deleted by {@link #close()}), market-api and
 * trade-api ready before {@link #start} returns. Start it once per class or suite ({@link
 * SharedAllInOne} shares one per test run): starting costs a few seconds.
 */
public final class AllInOneFixture implements AutoCloseable {
    /** How long start-up and readiness may take on a loaded two-core machine. */
    public static final long START_TIMEOUT_SECONDS = 90;

    private final AllInOne app;
    private final Path dataDir;

    private AllInOneFixture(AllInOne app, Path dataDir) {
        this.app = app;
        this.dataDir = dataDir;
    }

    /** Starts with the defaults and the given extra settings (environment-variable names, as in launcher.yaml). */
    public static AllInOneFixture start(Map<String, String> settings) throws Exception {
        Path dir = Files.createTempDirectory("opentrade-aio-");
        Map<String, String> env = new HashMap<>(Map.of("OPENTRADE_HTTP_PORT", "0", "OPENTRADE_HTTP_HOST", "127.0.0.1",
                "OPENTRADE_EXCHANGE_DATA_DIR", dir.toString(), "OPENTRADE_EXCHANGE_FSYNC", "none",
                "OPENTRADE_GATEWAY_DATA_DIR", dir.resolve("gateway").toString(),
                "OPENTRADE_MARKET_DATA_DIR", dir.resolve("market").toString(), "OPENTRADE_MARKET_BACKFILL", "false",
                "OPENTRADE_TRADE_DATA_DIR", dir.resolve("trade").toString(), "OPENTRADE_FIX_PORT", "0"));
        env.put(DayEnds.ENV, DayEnds.awayFromNow());
        env.putAll(settings);
        AllInOne app;
        try {
            app = AllInOne.start(ConfigLoader.of(env, Map.of())).toCompletionStage().toCompletableFuture()
                    .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            delete(dir);
            throw e;
        }
        AllInOneFixture fixture = new AllInOneFixture(app, dir);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
            while (!(app.market().isReady() && app.trade().isReady())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("market-api or trade-api not ready after " + START_TIMEOUT_SECONDS + " s");
                }
                Thread.sleep(20); // polling readiness with a deadline, not a fixed wait
            }
        } catch (Exception e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    public static AllInOneFixture start() throws Exception {
        return start(Map.of());
    }

    public AllInOne app() {
        return app;
    }

    public int port() {
        return app.httpPort();
    }

    /** {@code http://127.0.0.1:<port>}: the gateway, the operations endpoints and the portal. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The gateway's admin token ({@code X-Admin-Token}), generated into its data directory at start. */
    public String adminToken() throws IOException {
        return Files.readString(dataDir.resolve("gateway").resolve("admin-token"), StandardCharsets.US_ASCII).strip();
    }

    /**
     * Signs up a new developer, logs in and creates a key with {@code keyBody} (the {@code POST /v1/keys}
     * body, e.g. {@code {"scopes":["trade","fix"]}}); the answer, with {@code key_id} and {@code secret}.
     */
    public io.vertx.core.json.JsonObject newDeveloperKey(String keyBody) throws Exception {
        return post(java.net.http.HttpClient.newHttpClient(), "/v1/keys", keyBody, newSession().getString("token"));
    }

    /**
     * Signs up a new developer and logs in: the {@code POST /v1/sessions} answer ({@code token},
     * {@code developer_id}, {@code expires_in}) plus the developer's {@code email}.
     */
    public io.vertx.core.json.JsonObject newSession() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String email = "fixture-" + System.nanoTime() + "@example.com";
        post(http, "/v1/developers", "{\"email\":\"" + email + "\",\"password\":\"long enough pw\",\"name\":\"F\"}", null);
        return post(http, "/v1/sessions", "{\"email\":\"" + email + "\",\"password\":\"long enough pw\"}", null)
                .put("email", email);
    }

    private io.vertx.core.json.JsonObject post(java.net.http.HttpClient http, String path, String body, String token)
            throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(baseUri().resolve(path))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        java.net.http.HttpResponse<String> r = http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return new io.vertx.core.json.JsonObject(r.body());
    }

    /** Stops the all-in-one and deletes its data directory. */
    @Override
    public void close() throws Exception {
        try {
            app.stop(30, TimeUnit.SECONDS);
        } finally {
            delete(dataDir);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
