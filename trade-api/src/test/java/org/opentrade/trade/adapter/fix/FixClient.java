package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import quickfix.ApplicationExtended;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.MemoryStoreFactory;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SessionStateListener;
import quickfix.SocketInitiator;

/**
 * A QuickFIX/J initiator for tests: logs on with an API key, queues every application message and
 * every Logout it receives, and waits for them with a timeout.
 *
 * <p>QuickFIX/J sends an initiator's Logon from its session timer, which ticks once a second, so a
 * logon would take up to a second after the connection. {@link #awaitLogon} sends it as soon as the
 * connection is up instead; {@link #canLogon} lets exactly one of the two threads send it per
 * connection.
 */
final class FixClient implements ApplicationExtended, AutoCloseable {
    final SessionID session;
    private final SocketInitiator initiator;
    private final String key;
    private final String secret;
    private final Map<Integer, String> extraLogon;
    final LinkedBlockingQueue<Message> app = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Message> logouts = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Message> admin = new LinkedBlockingQueue<>();
    private volatile boolean loggedOn;
    /** Whether this connection's Logon has been sent (by the session timer or {@link #awaitLogon}). */
    private final AtomicBoolean logonClaimed = new AtomicBoolean();
    private int clOrdIds;

    FixClient(int port, String sender, String key, String secret, Map<Integer, String> extraLogon) throws Exception {
        this(port, sender, key, secret, extraLogon, 30);
    }

    FixClient(int port, String sender, String key, String secret, Map<Integer, String> extraLogon, int heartbeat)
            throws Exception {
        this.key = key;
        this.secret = secret;
        this.extraLogon = extraLogon;
        this.session = new SessionID("FIX.4.4", sender, FixAcceptorOptions.COMP_ID);
        SessionSettings s = new SessionSettings();
        s.setString("ConnectionType", "initiator");
        s.setString("SocketConnectHost", "127.0.0.1");
        s.setLong("SocketConnectPort", port);
        s.setLong("HeartBtInt", heartbeat);
        s.setLong("ReconnectInterval", 1);
        s.setString("NonStopSession", "Y");
        s.setString("UseDataDictionary", "Y");
        s.setString("DataDictionary", "FIX44.xml");
        s.setString("ValidateUserDefinedFields", "N");
        s.setString(session, "BeginString", "FIX.4.4");
        s.setString(session, "SenderCompID", sender);
        s.setString(session, "TargetCompID", FixAcceptorOptions.COMP_ID);
        initiator = new SocketInitiator(this, new MemoryStoreFactory(), s, QuietFixLog.factory(), new DefaultMessageFactory());
    }

    void start() throws Exception {
        initiator.start();
    }

    void awaitLogon() throws Exception {
        FixHarness.until(() -> {
            sendLogonIfDue();
            return loggedOn;
        }, 20);
    }

    /** Sends this connection's Logon now if it is connected and the Logon has not gone yet. */
    void sendLogonIfDue() {
        Session s = qfj();
        if (!loggedOn && s != null && s.hasResponder() && !logonClaimed.get()) {
            try {
                s.next(); // sends the Logon if canLogon lets this thread, else the timer has sent it
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    boolean isLoggedOn() {
        return loggedOn;
    }

    Session qfj() {
        return Session.lookupSession(session);
    }

    /** The Text(58) of the next Logout received. */
    String awaitLogoutText() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Message m = null;
        while (m == null && System.nanoTime() < deadline) {
            sendLogonIfDue();
            m = logouts.poll(10, TimeUnit.MILLISECONDS);
        }
        if (m == null) {
            throw new AssertionError("no Logout within 20 s");
        }
        return m.isSetField(58) ? m.getString(58) : "";
    }

    void send(Message m) {
        if (!qfj().send(m)) {
            throw new AssertionError("not sent: " + m);
        }
    }

    String nextClOrdId(String prefix) {
        return prefix + "-" + (++clOrdIds);
    }

    /** The next application message of {@code msgType} (others of other types are skipped). */
    Message next(String msgType) throws Exception {
        return next(m -> msgType.equals(type(m)), msgType);
    }

    Message next(Predicate<Message> wanted, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<Message> skipped = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Message m = app.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && wanted.test(m)) {
                return m;
            }
            if (m != null) {
                skipped.add(m);
            }
        }
        throw new AssertionError("no " + what + " within 15 s; got " + skipped);
    }

    /** Asserts ExecType, OrdStatus, CumQty, LeavesQty of the next ExecutionReport and returns it. */
    Message expectReport(char execType, char ordStatus, long cum, long leaves) throws Exception {
        Message m = next("8");
        assertEquals(execType + "/" + ordStatus + " cum " + cum + " leaves " + leaves,
                m.getChar(150) + "/" + m.getChar(39) + " cum " + Long.parseLong(m.getString(14)) + " leaves "
                        + Long.parseLong(m.getString(151)), "report " + m);
        return m;
    }

    static String type(Message m) {
        try {
            return m.getHeader().getString(35);
        } catch (FieldNotFound e) {
            return "?";
        }
    }

    @Override
    public void onCreate(SessionID sessionId) {
        // Called before the session connects: after each disconnect, the next connection sends a Logon again.
        Session.lookupSession(sessionId).addStateListener(new SessionStateListener() {
            @Override
            public void onDisconnect(SessionID id) {
                logonClaimed.set(false);
            }
        });
    }

    @Override
    public boolean canLogon(SessionID sessionId) {
        return logonClaimed.compareAndSet(false, true);
    }

    @Override
    public void onBeforeSessionReset(SessionID sessionId) {
    }

    @Override
    public void onLogon(SessionID sessionId) {
        loggedOn = true;
    }

    @Override
    public void onLogout(SessionID sessionId) {
        loggedOn = false;
    }

    @Override
    public void toAdmin(Message message, SessionID sessionId) {
        if ("A".equals(type(message)) && key != null) {
            message.setString(553, key);
            message.setString(554, secret);
            extraLogon.forEach(message::setString);
        }
    }

    @Override
    public void fromAdmin(Message message, SessionID sessionId) {
        admin.add(message);
        if ("5".equals(type(message))) {
            logouts.add(message);
        }
    }

    @Override
    public void toApp(Message message, SessionID sessionId) {
    }

    @Override
    public void fromApp(Message message, SessionID sessionId) {
        app.add(message);
    }

    @Override
    public void close() {
        initiator.stop(true);
    }
}
