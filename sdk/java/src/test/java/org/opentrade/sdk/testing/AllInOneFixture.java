package org.opentrade.sdk.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.launcher.AllInOne;
import org.opentrade.sdk.Credentials;
import org.opentrade.sdk.OpenTrade;
import org.opentrade.sdk.model.ApiKeyCreate;
import org.opentrade.sdk.model.ApiKeyCreated;
import org.opentrade.sdk.model.DeveloperCreate;
import org.opentrade.sdk.model.Scope;

/**
 * One all-in-one for every SDK integration test of this JVM (Failsafe runs them in one fork): started
 * on first use on a free port of 127.0.0.1 with a temporary data dir, stopped when the JVM exits.
 * Each test signs up its own developer, so tests do not share accounts.
 */
public final class AllInOneFixture {
    private static AllInOne app;
    private static final AtomicInteger DEVELOPERS = new AtomicInteger();

    private AllInOneFixture() {
    }

    /** The gateway's base URL, the all-in-one started and trading ready. */
    public static synchronized String baseUrl() throws Exception {
        if (app == null) {
            Path data = Files.createTempDirectory("opentrade-sdk-it");
            AllInOne started = AllInOne.start(ConfigLoader.of(Map.of("OPENTRADE_HTTP_PORT", "0", "OPENTRADE_HTTP_HOST",
                    "127.0.0.1", "OPENTRADE_EXCHANGE_DATA_DIR", data.toString(), "OPENTRADE_EXCHANGE_FSYNC", "none",
                    "OPENTRADE_GATEWAY_DATA_DIR", data.resolve("gateway").toString(),
                    "OPENTRADE_MARKET_DATA_DIR", data.resolve("market").toString(), "OPENTRADE_MARKET_BACKFILL", "false",
                    "OPENTRADE_TRADE_DATA_DIR", data.resolve("trade").toString(), "OPENTRADE_FIX_PORT", "0"), Map.of()))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(started.market().isReady() && started.trade().isReady()) && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling readiness (no event to wait on), not a fixed wait
            }
            if (!started.market().isReady() || !started.trade().isReady()) {
                throw new IllegalStateException("the all-in-one did not become ready in 60 s");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.stop(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the JVM is exiting; the temp dir stays for a look
                }
            }));
            app = started;
        }
        return "http://127.0.0.1:" + app.httpPort();
    }

    /** A new developer (signed up and logged in): a client on its session. */
    public static OpenTrade newDeveloper() throws Exception {
        String base = baseUrl();
        String email = "sdk-it-" + ProcessHandle.current().pid() + "-" + DEVELOPERS.incrementAndGet() + "@example.com";
        OpenTrade anonymous = OpenTrade.builder().baseUrl(base).build();
        anonymous.call(() -> anonymous.developers().createDeveloper(new DeveloperCreate().email(email)
                .password("long enough pw").name("SDK IT")));
        return OpenTrade.login(base, email, "long enough pw");
    }

    /** A secret key with market data and trading scopes for the session's developer. */
    public static Credentials newTradingKey(OpenTrade session) {
        ApiKeyCreated key = session.call(() -> session.keys().createKey(new ApiKeyCreate().label("sdk it")
                .scopes(java.util.Set.of(Scope.MARKET_READ, Scope.TRADE))));
        return Credentials.secretKey(key.getKeyId(), key.getSecret());
    }
}
