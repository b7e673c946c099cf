package org.opentrade.sdk.testing;

import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentrade.launcher.contract.AllInOneFixture;
import org.opentrade.launcher.contract.PrismProxy;
import org.opentrade.sdk.Credentials;
import org.opentrade.sdk.OpenTrade;
import org.opentrade.sdk.model.ApiKeyCreate;
import org.opentrade.sdk.model.ApiKeyCreated;
import org.opentrade.sdk.model.DeveloperCreate;
import org.opentrade.sdk.model.Scope;

/**
 * One all-in-one for every SDK integration test of the run, and one Prism proxy in front of it that
 * checks every answer it forwards against openapi/opentrade.yaml: started by the first test class
 * that uses this extension ({@code @ExtendWith(SdkFixture.class)}), kept in JUnit's root store and
 * closed when the run ends (Prism first). Each test signs up its own developer.
 */
public final class SdkFixture implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SdkFixture.class);
    private static volatile Shared shared;
    private static final AtomicInteger DEVELOPERS = new AtomicInteger();

    /** What the run shares; closed by JUnit with the root store. */
    private static final class Shared implements AutoCloseable {
        final AllInOneFixture app;
        PrismProxy prism;

        Shared(AllInOneFixture app) {
            this.app = app;
        }

        @Override
        public void close() throws Exception {
            synchronized (this) {
                if (prism != null) {
                    prism.close();
                }
            }
            app.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        shared = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Shared.class, k -> {
            try {
                return new Shared(AllInOneFixture.start());
            } catch (Exception e) {
                throw new IllegalStateException("the all-in-one did not start", e);
            }
        }, Shared.class);
    }

    private static Shared shared() {
        if (shared == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SdkFixture.class)");
        }
        return shared;
    }

    /** The gateway's base URL, the all-in-one started and trading ready. */
    public static String baseUrl() {
        return shared().app.baseUri().toString();
    }

    /** Prism's proxy in front of the gateway (REST only: it cannot forward a WebSocket upgrade). */
    public static PrismProxy prism() throws Exception {
        Shared s = shared();
        synchronized (s) {
            if (s.prism == null) {
                s.prism = PrismProxy.start(java.net.URI.create(baseUrl()));
            }
            return s.prism;
        }
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
                .scopes(Set.of(Scope.MARKET_READ, Scope.TRADE))));
        return Credentials.secretKey(key.getKeyId(), key.getSecret());
    }
}
