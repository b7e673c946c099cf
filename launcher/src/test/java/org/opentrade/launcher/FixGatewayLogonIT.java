package org.opentrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.testing.DayEnds;
import org.opentrade.exchange.app.ExchangeConfig;
import org.opentrade.exchange.app.ExchangeService;
import org.opentrade.gateway.adapter.eventbus.KeyAuthenticator;
import org.opentrade.gateway.adapter.embedded.EmbeddedKeyRegistry;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.ApiSecrets;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.KeyStatus;
import org.opentrade.gateway.domain.KeyType;
import org.opentrade.gateway.domain.Scope;
import org.opentrade.trade.app.TradeApiConfig;
import org.opentrade.trade.app.TradeApiService;
import quickfix.Application;
import quickfix.DefaultMessageFactory;
import quickfix.MemoryStoreFactory;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketInitiator;
import quickfix.fix44.NewOrderSingle;

/**
 * FIX Logon through the gateway's real key check ({@link KeyAuthenticator} on the event bus, over the
 * embedded key registry) into trade-api's acceptor: a key with scope fix logs on and trades as its
 * developer's account; every other key is refused with a Logout whose Text names the gateway's reason.
 */
class FixGatewayLogonIT {
    @TempDir
    static Path dir;
    static Vertx vertx;
    static EmbeddedKeyRegistry registry;
    static TradeApiService trade;
    static final Map<String, String> KEYS = new HashMap<>(); // label → key id
    static final String SECRET = "s3cret-for-fix";

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        registry = EmbeddedKeyRegistry.open(dir.resolve("gateway"));
        long now = System.currentTimeMillis();
        Developer alice = new Developer("dev_alice", "alice@example.com", "Alice", "x", "free", false, now, 0);
        Developer sam = new Developer("dev_sam", "sam@example.com", "Sam", "x", "free", true, now, 0);
        registry.addDeveloper(alice).toCompletableFuture().get(10, TimeUnit.SECONDS);
        registry.addDeveloper(sam).toCompletableFuture().get(10, TimeUnit.SECONDS);
        key("good", "dev_alice", Set.of(Scope.FIX, Scope.TRADE), KeyStatus.ACTIVE, 0);
        key("trade-only", "dev_alice", Set.of(Scope.TRADE), KeyStatus.ACTIVE, 0);
        key("revoked", "dev_alice", Set.of(Scope.FIX), KeyStatus.REVOKED, 0);
        key("killed", "dev_alice", Set.of(Scope.FIX), KeyStatus.KILLED, 0);
        key("expired", "dev_alice", Set.of(Scope.FIX), KeyStatus.ACTIVE, now - 1);
        key("suspended", "dev_sam", Set.of(Scope.FIX), KeyStatus.ACTIVE, 0);
        KeyAuthenticator.register(vertx, registry, System::currentTimeMillis);

        Map<String, String> env = new HashMap<>();
        env.put("OPENTRADE_SIMULATOR_ENABLED", "false");
        env.put("OPENTRADE_EXCHANGE_DATA_DIR", dir.resolve("exchange").toString());
        env.put("OPENTRADE_EXCHANGE_FSYNC", "none");
        env.put(DayEnds.ENV, DayEnds.awayFromNow());
        env.put("OPENTRADE_TRADE_PORT", "0");
        env.put("OPENTRADE_TRADE_DATA_DIR", dir.resolve("trade").toString());
        env.put("OPENTRADE_TRADE_FSYNC", "none");
        ConfigLoader loader = ConfigLoader.of(env, Map.of());
        vertx.deployVerticle(new ExchangeService(ExchangeConfig.load(loader))).toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        trade = new TradeApiService(TradeApiConfig.load(loader).withFix(true, "127.0.0.1", 0), null, req -> null,
                () -> "admin"); // FIX logons go to the gateway's consumer (the default EventBusKeyAuthenticator)
        vertx.deployVerticle(trade).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(trade.isReady() && trade.fixAcceptor() != null)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("trade-api's FIX acceptor did not start in 60 s");
            }
            Thread.sleep(20); // polling a condition
        }
    }

    private static void key(String label, String developer, Set<Scope> scopes, KeyStatus status, long expiresAt)
            throws Exception {
        String id = ApiSecrets.newKeyId();
        registry.putKey(new ApiKey(id, developer, label, KeyType.SECRET, scopes, "free", List.of(ApiSecrets.hash(SECRET)),
                0, null, List.of(), expiresAt, status, System.currentTimeMillis(), 0)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        KEYS.put(label, id);
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        if (registry != null) {
            registry.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKeyWithScopeFixLogsOnAndTradesAsItsDevelopersAccount() throws Exception {
        try (Initiator c = new Initiator("GW_good", KEYS.get("good"), SECRET)) {
            Message first = c.next();
            assertEquals("A", first.getHeader().getString(35), "logged on: " + first);
            NewOrderSingle o = new NewOrderSingle();
            o.setString(11, "gw-1");
            o.setString(55, "600000.SH");
            o.setChar(54, '1');
            o.setChar(40, '2');
            o.setChar(59, '0');
            o.setString(38, "100");
            o.setString(44, "10.40");
            o.setString(60, "20260101-00:00:00.000");
            Session.lookupSession(c.session).send(o);
            Message er = c.next();
            assertEquals("8", er.getHeader().getString(35), "an ExecutionReport: " + er);
            assertEquals('0', er.getChar(150));
            assertEquals("dev_alice", er.getString(1), "the account is the key's developer");
        }
    }

    @Test
    void everyOtherKeyIsRefusedWithTheGatewaysReason() throws Exception {
        Map<String, String> expected = Map.of("trade-only", "key lacks scope fix", "revoked", "key revoked",
                "killed", "key killed by an administrator", "expired", "key expired", "suspended", "developer suspended");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            try (Initiator c = new Initiator("GW_" + e.getKey(), KEYS.get(e.getKey()), SECRET)) {
                Message logout = c.next();
                assertEquals("5", logout.getHeader().getString(35), e.getKey() + ": " + logout);
                assertEquals("logon refused: " + e.getValue(), logout.getString(58));
            }
        }
        try (Initiator c = new Initiator("GW_wrong", KEYS.get("good"), "not-the-secret")) {
            assertEquals("logon refused: wrong secret", c.next().getString(58));
        }
        try (Initiator c = new Initiator("GW_unknown", ApiSecrets.newKeyId(), SECRET)) {
            assertEquals("logon refused: unknown key", c.next().getString(58));
        }
    }

    /** A QuickFIX/J initiator (also {@link AllInOneIT}'s) that queues the Logon/Logout it receives and every application message. */
    static final class Initiator implements Application, AutoCloseable {
        final SessionID session;
        final LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
        private final SocketInitiator initiator;
        private final String key;
        private final String secret;
        private volatile Message logon;

        Initiator(String sender, String key, String secret) throws Exception {
            this(trade.fixAcceptor().port(), sender, key, secret);
        }

        Initiator(int port, String sender, String key, String secret) throws Exception {
            this(settings(port, sender), new SessionID("FIX.4.4", sender, "OPENTRADE"), key, secret);
        }

        /** An initiator on given settings (e.g. the README's), logging on with an API key. */
        Initiator(SessionSettings settings, SessionID session, String key, String secret) throws Exception {
            this.key = key;
            this.secret = secret;
            this.session = session;
            initiator = new SocketInitiator(this, new MemoryStoreFactory(), settings, new DefaultMessageFactory());
            initiator.start();
        }

        private static SessionSettings settings(int port, String sender) {
            SessionID session = new SessionID("FIX.4.4", sender, "OPENTRADE");
            SessionSettings s = new SessionSettings();
            s.setString("ConnectionType", "initiator");
            s.setString("SocketConnectHost", "127.0.0.1");
            s.setLong("SocketConnectPort", port);
            s.setLong("HeartBtInt", 30);
            s.setLong("ReconnectInterval", 30);
            s.setString("NonStopSession", "Y");
            s.setString("UseDataDictionary", "Y");
            s.setString("DataDictionary", "FIX44.xml");
            s.setString("ValidateUserDefinedFields", "N"); // reports carry the trace id in tag 9001
            s.setString(session, "BeginString", "FIX.4.4");
            s.setString(session, "SenderCompID", sender);
            s.setString(session, "TargetCompID", "OPENTRADE");
            return s;
        }

        Message next() throws Exception {
            Message m = received.poll(20, TimeUnit.SECONDS);
            assertTrue(m != null, "a message within 20 s");
            return m;
        }

        @Override
        public void onCreate(SessionID id) {
        }

        @Override
        public void onLogon(SessionID id) {
            // Queued here, not when it arrives: until QuickFIX/J has finished the logon, an
            // application message sent on the session is stored, not sent.
            received.add(logon);
        }

        @Override
        public void onLogout(SessionID id) {
        }

        @Override
        public void toAdmin(Message m, SessionID id) {
            try {
                if ("A".equals(m.getHeader().getString(35))) {
                    m.setString(553, key);
                    m.setString(554, secret);
                }
            } catch (quickfix.FieldNotFound e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void fromAdmin(Message m, SessionID id) {
            try {
                String type = m.getHeader().getString(35);
                if ("A".equals(type)) {
                    logon = m;
                } else if ("5".equals(type)) {
                    received.add(m);
                }
            } catch (quickfix.FieldNotFound e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void toApp(Message m, SessionID id) {
        }

        @Override
        public void fromApp(Message m, SessionID id) {
            received.add(m);
        }

        @Override
        public void close() {
            initiator.stop(true);
        }
    }
}
