package org.opentrade.trade.adapter.fix;

import java.io.IOException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.trade.port.FixSessionOwners;
import org.opentrade.trade.port.KeyAuthenticator;
import quickfix.DoNotSend;
import quickfix.FieldException;
import quickfix.FieldNotFound;
import quickfix.Message;
import quickfix.RejectLogon;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.UnsupportedMessageType;
import quickfix.field.MsgType;
import quickfix.field.PossDupFlag;

/**
 * QuickFIX/J's callbacks: Logon authentication and the hand-over of application messages to the
 * trade context. Called on QuickFIX/J's threads (one per session with the threaded acceptor).
 *
 * <p><b>Logon.</b> Username(553) is the API key id, Password(554) its secret; the gateway checks them
 * for scope {@code fix} ({@link KeyAuthenticator}). QuickFIX/J wants the answer synchronously, so
 * this session's own thread waits for it, bounded by the logon timeout — never the event loop.
 * A refusal throws {@link RejectLogon}: QuickFIX/J answers Logout with the reason in Text(58). One
 * live session per key: a second Logon with a key whose session is still logged on is refused.
 * Optional tag 8013 (CancelOrdersOnDisconnect, Y/N) overrides the acceptor's default.
 *
 * <p><b>Application messages</b> (D, F, G, H) go to {@link FixOrders}, market and reference data
 * (V, x) to {@link FixMarketData}, on the trade context; any other type is answered with
 * BusinessMessageReject (QuickFIX/J sends it for {@link UnsupportedMessageType}). Every message but
 * Logout counts towards the session's rate ({@link MessageThrottle}): an application message over it is
 * not acted on and answered (a NewOrderSingle with an ExecutionReport Rejected, OrdRejReason 3, a cancel or
 * replace with an OrderCancelReject, CxlRejReason 2, any other with a BusinessMessageReject), and a
 * session that keeps on is logged out.
 *
 * <p><b>ResendRequests</b> that repeat a resend within {@link ResendGate#REPEAT_INTERVAL} are refused with a
 * session-level Reject(3) ({@link ResendGate}); one for numbers not resent yet is always answered.
 */
final class FixApplication implements quickfix.Application {
    private static final Logger LOG = Logger.getLogger(FixApplication.class.getName());
    static final int USERNAME = 553, PASSWORD = 554, HEART_BT_INT = 108, TEXT = 58;
    /** Logon tag: cancel this session's account's open orders when it ends (Y/N); Coinbase uses the same tag. */
    static final int CANCEL_ON_DISCONNECT = 8013;

    private final FixAcceptorOptions options;
    private final KeyAuthenticator keys;
    private final Executor onContext;
    private final FixOrders orders;
    private final FixMarketData marketData;
    private final FixSessionStatus sessionStatus;
    /** Logged-on (or logging-on) sessions: written on QuickFIX/J threads. */
    private final Map<SessionID, Caller> sessions = new ConcurrentHashMap<>();
    /** Each logged-on session's inbound message rate; made at its Logon, dropped at its end. */
    private final Map<SessionID, MessageThrottle> throttles = new ConcurrentHashMap<>();
    /**
     * Each session's ResendRequests answered and refused ({@link ResendGate}); kept across its Logons (a new Logon
     * buys no repeat), bounded by the sessions the acceptor holds.
     */
    private final Map<SessionID, ResendGate> resends = new ConcurrentHashMap<>();
    /** ResendRequests refused by {@link #resends} since start, all sessions (metrics). */
    private final java.util.concurrent.atomic.AtomicLong refusedResends = new java.util.concurrent.atomic.AtomicLong();
    /** key id → the session that holds it. */
    private final Map<String, SessionID> keyHolders = new ConcurrentHashMap<>();
    /** Told of each session whose Logon was refused (the acceptor removes fresh ones). */
    private volatile java.util.function.Consumer<SessionID> onRefused = id -> { };
    /** Told of each logged-on session that ended (logout, disconnect, slow consumer). */
    private volatile java.util.function.Consumer<SessionID> onEnded = id -> { };

    /** A logged-on session's caller; {@code secret} is kept to check the key again while the session lives. */
    private record Caller(String account, String keyId, String secret, boolean cancelOnDisconnect) {
        @Override
        public String toString() {
            return "Caller[" + account + ", " + keyId + "]";
        }
    }

    /** Session names and their developers (null: any developer may use any name; tests of other parts). */
    private volatile FixSessionOwners owners;
    /** Sessions logged out by this acceptor (rate, key), enabled again as their Logout goes out. */
    private final java.util.Set<SessionID> enableAtLogout = ConcurrentHashMap.newKeySet();
    /**
     * Sessions this acceptor is logging out (rate, key), from the logout until QuickFIX/J ends them
     * ({@link #onLogout}): none of their messages is acted on, and a Logon on them is refused. Re-enabled
     * as the Logout goes out, such a session would otherwise take a Logon on the same connection (QuickFIX/J
     * accepts one once a Logout was sent) and start over with a fresh rate bucket, or go on trading after
     * its key was revoked until the client answered the Logout.
     */
    private final java.util.Set<SessionID> ending = ConcurrentHashMap.newKeySet();
    /** Key checks of {@link #recheckKeys} not answered yet: a round is skipped while the last one is. */
    private final java.util.concurrent.atomic.AtomicInteger rechecksInFlight = new java.util.concurrent.atomic.AtomicInteger();

    FixApplication(FixAcceptorOptions options, KeyAuthenticator keys, Executor onContext, FixOrders orders,
                   FixMarketData marketData, FixSessionStatus sessionStatus) {
        this.options = options;
        this.keys = keys;
        this.onContext = onContext;
        this.orders = orders;
        this.marketData = marketData;
        this.sessionStatus = sessionStatus;
    }

    /** The session's ResendRequest record, or null if it never sent one (tests). */
    ResendGate resendGateOf(SessionID sessionId) {
        return resends.get(sessionId);
    }

    /** ResendRequests refused as repeats since start, all sessions (metrics). Any thread. */
    long refusedResendRequests() {
        return refusedResends.get();
    }

    /** The session's message-rate bucket, or null (tests: a Logon within the session keeps it). */
    MessageThrottle throttleOf(SessionID sessionId) {
        return throttles.get(sessionId);
    }

    @Override
    public void onCreate(SessionID sessionId) {
    }

    @Override
    public void onLogon(SessionID sessionId) {
        onLoggedOn.accept(sessionId);
        if (sessions.containsKey(sessionId)) {
            // Registered with the order path before the answer (logon); what was reported meanwhile goes out now.
            onContext.execute(() -> {
                orders.answered(sessionId);
                if (marketData != null) {
                    marketData.loggedOn(sessionId);
                }
            });
        }
    }

    @Override
    public void onLogout(SessionID sessionId) {
        onEnded.accept(sessionId);
        throttles.remove(sessionId);
        ending.remove(sessionId);
        enableAtLogout.remove(sessionId);
        // Session.logout disables a session (QuickFIX/J's initiator semantics), and an acceptor never wants an
        // ended one disabled: the client could never log on again under this SenderCompID. toAdmin enables it as
        // our Logout goes out; this covers one that ended before (or while) its Logout was being sent.
        Session ended = Session.lookupSession(sessionId);
        if (ended != null && !ended.isEnabled()) {
            ended.logon();
        }
        Caller c = sessions.remove(sessionId);
        if (c != null) {
            keyHolders.remove(c.keyId(), sessionId);
            onContext.execute(() -> {
                if (marketData != null) {
                    marketData.loggedOut(sessionId); // subscriptions end with the session
                }
                if (sessionStatus != null) {
                    sessionStatus.loggedOut(sessionId);
                }
                orders.loggedOut(sessionId);
            });
        }
    }

    /**
     * Why this acceptor must not serve a developer's account (another instance's partition holds it),
     * or null when it may; by default every account is served here. Set before the acceptor starts.
     */
    void accountPlacement(java.util.function.Function<String, String> placement) {
        this.accountPlacement = placement;
    }

    private volatile java.util.function.Function<String, String> accountPlacement = developer -> null;

    /** Session names are held by the developer who first logged on with them. Set before the acceptor starts. */
    void owners(FixSessionOwners owners) {
        this.owners = owners;
    }

    /** Whether a developer holds the session name {@code senderCompId}; true when that cannot be read (kept, not lost). */
    boolean claimed(String senderCompId) {
        FixSessionOwners names = owners;
        if (names == null) {
            return false;
        }
        try {
            return names.owner(senderCompId) != null;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /**
     * Checks the key of every logged-on session again (the acceptor does so every {@link
     * FixAcceptor#KEY_RECHECK_MILLIS}): a key revoked, killed or expired, a secret rotated past its grace,
     * a scope removed or a developer suspended ends the session with a Logout saying so, as the gateway
     * closes a WebSocket stream whose credential ended. A check that got no answer, or the key store
     * unavailable, changes nothing: the gateway decides, and it could not.
     */
    void recheckKeys() {
        // Sessions logged out by us whose end raced the client's own (end() against onLogout on another thread):
        // once they have no connection and are not logged on, nothing is ending; enabled again.
        for (SessionID id : ending) {
            Session s = Session.lookupSession(id);
            if (s == null || !s.isLoggedOn() && !s.hasResponder()) {
                ending.remove(id);
                enableAtLogout.remove(id);
                if (s != null && !s.isEnabled()) {
                    s.logon();
                }
            }
        }
        if (rechecksInFlight.get() > 0) {
            return; // the gateway has not answered the last round yet: no pile-up
        }
        for (Map.Entry<SessionID, Caller> e : sessions.entrySet()) {
            SessionID id = e.getKey();
            Caller c = e.getValue();
            Session s = Session.lookupSession(id);
            if (s == null || !s.hasResponder() && !s.isLoggedOn()) {
                if (sessions.remove(id, c)) { // a Logon we accepted that QuickFIX/J then ended without onLogout
                    keyHolders.remove(c.keyId(), id);
                    onContext.execute(() -> orders.loggedOut(id));
                }
                continue;
            }
            if (!s.isLoggedOn() || ending.contains(id)) {
                continue;
            }
            rechecksInFlight.incrementAndGet();
            keys.authenticate(c.keyId(), c.secret(), "fix").whenComplete((r, err) -> {
                rechecksInFlight.decrementAndGet();
                if (err != null || r.ok() || r.reason() == null || r.reason().contains("unavailable")
                        || sessions.get(id) != c) {
                    return;
                }
                LOG.info("FIX session " + id + " logged out: " + r.reason());
                end(id, "logged out: " + r.reason());
            });
        }
    }

    /**
     * Logs a live session out with {@code text}; from now on none of its messages is acted on ({@link #ending}).
     * Any thread. A session that ended meanwhile (its client went first) is enabled again here, since no
     * Logout will go out for {@link #toAdmin} to do it.
     */
    private void end(SessionID id, String text) {
        Session s = Session.lookupSession(id);
        if (s == null || !s.isLoggedOn() || !ending.add(id)) {
            return;
        }
        enableAtLogout.add(id);
        s.logout(text);
        if (!s.isLoggedOn()) {
            ending.remove(id);
            if (enableAtLogout.remove(id)) {
                s.logon();
            }
        }
    }

    void onRefused(java.util.function.Consumer<SessionID> hook) {
        this.onRefused = hook;
    }

    void onLoggedOn(java.util.function.Consumer<SessionID> hook) {
        this.onLoggedOn = hook;
    }

    /** Told of each session that logged on (the acceptor forgets the refusals it meant to undo). */
    private volatile java.util.function.Consumer<SessionID> onLoggedOn = id -> { };

    void onEnded(java.util.function.Consumer<SessionID> hook) {
        this.onEnded = hook;
    }

    @Override
    public void toAdmin(Message message, SessionID sessionId) {
        if (isLogout(message) && enableAtLogout.remove(sessionId)) {
            // Our Logout (rate, key) is going out: Session.logout disabled the session so that it would be sent
            // (QuickFIX/J's initiator semantics). Enable it again now, not in onLogout: QuickFIX/J closes the
            // socket before it calls onLogout, and a client that logs on again at once would find the session
            // disabled. The session still ends: at the client's Logout or the logout timeout.
            Session s = Session.lookupSession(sessionId);
            if (s != null) {
                s.logon();
            }
        }
    }

    private static boolean isLogout(Message message) {
        try {
            return "5".equals(message.getHeader().getString(35));
        } catch (FieldNotFound unreadable) {
            return false;
        }
    }

    @Override
    public void fromAdmin(Message message, SessionID sessionId) throws FieldNotFound, RejectLogon {
        String type = message.getHeader().getString(35);
        MessageThrottle throttle = throttles.get(sessionId);
        if (throttle != null && !"5".equals(type) && throttle.take() == MessageThrottle.Verdict.LOG_OUT) {
            logOutForRate(sessionId, throttle); // a session message (TestRequest, ResendRequest, …) still runs
        }
        if ("2".equals(type)) {
            refuseRepeatedResend(message, sessionId);
        }
        if ("A".equals(type)) {
            try {
                logon(message, sessionId);
            } catch (RejectLogon refused) {
                onRefused.accept(sessionId);
                throw refused;
            }
        }
    }

    /**
     * Refuses a ResendRequest that repeats a resend within {@link ResendGate#REPEAT_INTERVAL}: QuickFIX/J answers the
     * exception thrown here from {@code fromAdmin} with a session-level Reject(3), SessionRejectReason 99 (other),
     * RefTagID 7 (BeginSeqNo) and this Text, counts the request as received, and resends nothing. Called on the
     * session's thread before QuickFIX/J reads the store.
     */
    private void refuseRepeatedResend(Message request, SessionID sessionId) throws FieldNotFound {
        Session session = Session.lookupSession(sessionId);
        if (session == null) {
            return;
        }
        int begin = request.getInt(quickfix.field.BeginSeqNo.FIELD);
        int end = request.getInt(quickfix.field.EndSeqNo.FIELD);
        ResendGate gate = resends.computeIfAbsent(sessionId,
                id -> new ResendGate(ResendGate.REPEAT_INTERVAL, System::nanoTime));
        long wait = gate.admit(begin, end, session.getExpectedSenderNum() - 1);
        if (wait == 0) {
            return;
        }
        refusedResends.incrementAndGet();
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L));
        String text = "ResendRequest refused: numbers up to " + gate.resentUpTo() + " were already resent within "
                + ResendGate.REPEAT_INTERVAL.toSeconds() + " s (one repeat per " + ResendGate.REPEAT_INTERVAL.toSeconds()
                + " s); every message stays kept: ask again in " + seconds + " s";
        LOG.fine(() -> "FIX session " + sessionId + ": " + text);
        throw new FieldException(quickfix.field.SessionRejectReason.OTHER, text, quickfix.field.BeginSeqNo.FIELD);
    }

    /**
     * A message over the session's rate: a BusinessMessageReject (reason 0, other) naming the limit, sent
     * from this session's thread; the message is not acted on.
     */
    private static void refuseForRate(Message message, String type, SessionID sessionId, MessageThrottle throttle)
            throws FieldNotFound {
        quickfix.fix44.BusinessMessageReject reject = new quickfix.fix44.BusinessMessageReject(
                new quickfix.field.RefMsgType(type),
                new quickfix.field.BusinessRejectReason(quickfix.field.BusinessRejectReason.OTHER));
        reject.set(new quickfix.field.RefSeqNum(message.getHeader().getInt(quickfix.field.MsgSeqNum.FIELD)));
        if (message.isSetField(11)) {
            reject.set(new quickfix.field.BusinessRejectRefID(message.getString(11)));
        }
        reject.set(new quickfix.field.Text(throttledText(throttle)));
        try {
            Session.sendToTarget(reject, sessionId);
        } catch (quickfix.SessionNotFound gone) {
            // the session ended meanwhile: nothing to answer
        }
    }

    private static String throttledText(MessageThrottle throttle) {
        return "throttled: more than " + throttle.perSecond() + " messages per second (bursts of "
                + 2 * throttle.perSecond() + "); not acted on, slow down";
    }

    /** A session that keeps sending past its rate is logged out (Text says why) and its socket closed. */
    private void logOutForRate(SessionID sessionId, MessageThrottle throttle) {
        Session s = Session.lookupSession(sessionId);
        if (s != null && s.isLoggedOn() && !ending.contains(sessionId)) {
            LOG.warning("FIX session " + sessionId + " logged out: it kept sending more than " + throttle.perSecond()
                    + " messages per second");
            end(sessionId, "message rate above " + throttle.perSecond() + " per second (bursts of "
                    + 2 * throttle.perSecond() + "): logged out");
        }
    }

    private void logon(Message m, SessionID sessionId) throws FieldNotFound, RejectLogon {
        if (ending.contains(sessionId)) {
            throw new RejectLogon("this session is being logged out; reconnect and log on again");
        }
        if (!m.isSetField(USERNAME) || !m.isSetField(PASSWORD)) {
            throw new RejectLogon("Username(553) = API key id and Password(554) = API secret are required");
        }
        int hb = m.getInt(HEART_BT_INT);
        if (hb < options.minHeartbeatSeconds() || hb > options.maxHeartbeatSeconds()) {
            throw new RejectLogon("HeartBtInt(108) must be from " + options.minHeartbeatSeconds() + " to "
                    + options.maxHeartbeatSeconds() + " seconds");
        }
        boolean cod = options.cancelOnDisconnect();
        if (m.isSetField(CANCEL_ON_DISCONNECT)) {
            String v = m.getString(CANCEL_ON_DISCONNECT);
            if (!"Y".equals(v) && !"N".equals(v)) {
                throw new RejectLogon("tag 8013 (cancel orders on disconnect) must be Y or N");
            }
            cod = "Y".equals(v);
        }
        String keyId = m.getString(USERNAME);
        KeyAuthenticator.Result r;
        try {
            // This session's QuickFIX/J thread only: QuickFIX/J needs the answer before it replies.
            r = keys.authenticate(keyId, m.getString(PASSWORD), "fix").toCompletableFuture()
                    .get(options.logonTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RejectLogon("the key check did not answer in time; retry the logon");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectLogon("the acceptor is stopping");
        } catch (Exception e) {
            LOG.log(Level.WARNING, "FIX logon: key check failed", e);
            throw new RejectLogon("the key check is unavailable; retry the logon");
        }
        if (!r.ok()) {
            throw new RejectLogon("logon refused: " + r.reason());
        }
        String elsewhere = accountPlacement.apply(r.developerId());
        if (elsewhere != null) {
            throw new RejectLogon("logon refused: " + elsewhere);
        }
        FixSessionOwners names = owners;
        if (names != null) {
            String notYours;
            try {
                notYours = names.claim(sessionId.getTargetCompID(), r.developerId());
            } catch (java.io.IOException e) {
                LOG.log(Level.WARNING, "FIX logon: could not record the owner of " + sessionId, e);
                throw new RejectLogon("the acceptor could not record this session; retry the logon");
            }
            if (notYours != null) {
                throw new RejectLogon("logon refused: " + notYours);
            }
        }
        // One session per key, checked and taken in one step: two Logons at once with one key both passed a
        // check-then-put, since neither session was logged on yet. A holder with a connection is logged on or
        // logging on; one without is gone.
        synchronized (keyHolders) {
            SessionID holder = keyHolders.get(r.keyId());
            if (holder != null && !holder.equals(sessionId)) {
                Session other = Session.lookupSession(holder);
                if (other != null && (other.isLoggedOn() || other.hasResponder())) {
                    throw new RejectLogon("logon refused: key " + r.keyId() + " already has a live session ("
                            + holder.getTargetCompID() + "); one session per key");
                }
            }
            keyHolders.put(r.keyId(), sessionId);
        }
        Caller caller = new Caller(r.developerId(), r.keyId(), m.getString(PASSWORD), cod);
        Caller before = sessions.put(sessionId, caller);
        if (before != null && !before.keyId().equals(caller.keyId())) {
            keyHolders.remove(before.keyId(), sessionId); // the session holds the key it logged on with last
        }
        // A Logon within a live session (ResetSeqNumFlag: QuickFIX/J takes one while logged on) keeps the session's
        // bucket: a new one let a client reset its way past any rate, a full burst per Logon.
        Session self = Session.lookupSession(sessionId);
        boolean within = before != null && self != null && self.isLoggedOn();
        throttles.compute(sessionId, (id, bucket) -> within && bucket != null ? bucket
                : new MessageThrottle(options.maxMessagesPerSecond(), System::nanoTime));
        register(sessionId, caller);
    }

    /**
     * Registers the session with the order path on the trade context and waits for it (this session's QuickFIX/J
     * thread, at most the logon timeout), so that QuickFIX/J answers the Logon only once the account's reports are
     * this session's ({@link FixOrders#loggedOn}). Registered after the answer (in {@link #onLogon}, as before), a
     * fill made in between was dropped or went to another session's store while the client was logged on. A
     * registration the trade context did not run in time is given up (it will not run) and the Logon refused.
     */
    private void register(SessionID sessionId, Caller caller) throws RejectLogon {
        if (orders == null) {
            return;
        }
        java.util.concurrent.atomic.AtomicBoolean decided = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean registered = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
        onContext.execute(() -> {
            try {
                if (decided.compareAndSet(false, true)) {
                    orders.loggedOn(sessionId, caller.account(), caller.cancelOnDisconnect());
                    registered.set(true);
                }
            } catch (RuntimeException e) {
                LOG.log(java.util.logging.Level.WARNING, "registering FIX session " + sessionId + " failed; its Logon"
                        + " is refused", e);
                try {
                    orders.loggedOut(sessionId); // whatever part of it was registered
                } catch (RuntimeException again) {
                    LOG.log(java.util.logging.Level.WARNING, "and undoing it failed too", again);
                }
            } finally {
                ran.countDown();
            }
        });
        try {
            ran.await(options.logonTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Not run in time (given up: it will not run now) or failed: the Logon is refused, nothing kept of it.
        if (decided.compareAndSet(false, true) || !registered.get()) {
            sessions.remove(sessionId, caller);
            throttles.remove(sessionId);
            keyHolders.remove(caller.keyId(), sessionId);
            throw new RejectLogon("the acceptor is busy; retry the logon");
        }
    }

    /**
     * A resend (PossDupFlag) of market or reference data is refused, so QuickFIX/J fills its number with a
     * SequenceReset-GapFill: a stale book is worse than none, and the client asks for a new snapshot. Only
     * stores of builds before {@link OrderOnlyStore} hold such messages.
     */
    @Override
    public void toApp(Message message, SessionID sessionId) throws DoNotSend {
        try {
            if (message.getHeader().isSetField(PossDupFlag.FIELD) && message.getHeader().getBoolean(PossDupFlag.FIELD)
                    && OrderOnlyStore.NOT_KEPT.contains(message.getHeader().getString(MsgType.FIELD))) {
                throw new DoNotSend();
            }
        } catch (FieldNotFound | FieldException unreadable) {
            // a header we built ourselves: nothing to refuse
        }
    }

    @Override
    public void fromApp(Message message, SessionID sessionId) throws FieldNotFound, UnsupportedMessageType {
        if (ending.contains(sessionId)) {
            return; // logged out by us (rate, key): not acted on
        }
        String type = message.getHeader().getString(35);
        MessageThrottle throttle = throttles.get(sessionId);
        MessageThrottle.Verdict verdict = throttle == null ? MessageThrottle.Verdict.PASS : throttle.take();
        if (verdict == MessageThrottle.Verdict.REFUSE) {
            Caller caller = sessions.get(sessionId);
            if ("D".equals(type) && orders != null && caller != null) {
                // A new order's own refusal: an ExecutionReport Rejected, which order systems track by ClOrdID.
                orders.refuseNewOrder(sessionId, message, caller.account(), throttledText(throttle));
            } else if (("F".equals(type) || "G".equals(type)) && orders != null && caller != null) {
                // A cancel's or replace's own refusal, OrderCancelReject, needs the order's status: on the trade context.
                String text = throttledText(throttle);
                handOver(message, sessionId, (s, m) -> orders.refuseCancelForRate(s, m, text));
            } else {
                refuseForRate(message, type, sessionId, throttle);
            }
            return;
        }
        if (verdict == MessageThrottle.Verdict.LOG_OUT) {
            logOutForRate(sessionId, throttle);
        }
        if (verdict != MessageThrottle.Verdict.PASS) {
            return; // being logged out: not acted on
        }
        switch (type) {
            case "D" -> handOver(message, sessionId, orders::onNewOrder);
            case "F" -> handOver(message, sessionId, orders::onCancel);
            case "G" -> handOver(message, sessionId, orders::onReplace);
            case "H" -> handOver(message, sessionId, orders::onStatus);
            case "q" -> handOver(message, sessionId, orders::onMassCancel);
            case "g" -> {
                if (sessionStatus == null) {
                    throw new UnsupportedMessageType();
                }
                handOver(message, sessionId, sessionStatus::onRequest);
            }
            case "V" -> {
                if (marketData == null) {
                    throw new UnsupportedMessageType();
                }
                handOver(message, sessionId, marketData::onRequest);
            }
            case "x" -> {
                if (marketData == null) {
                    throw new UnsupportedMessageType();
                }
                handOver(message, sessionId, marketData::onSecurityList);
            }
            default -> throw new UnsupportedMessageType();
        }
    }

    private interface Handler {
        void handle(SessionID session, Message message) throws FieldNotFound;
    }

    private void handOver(Message message, SessionID sessionId, Handler h) {
        onContext.execute(() -> {
            try {
                h.handle(sessionId, message);
            } catch (FieldNotFound | RuntimeException e) {
                // The data dictionary already refused messages missing required fields; this is a bug.
                LOG.log(Level.WARNING, "FIX message from " + sessionId + " could not be handled", e);
            }
        });
    }
}
