package org.opentrade.trade.adapter.fix;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.opentrade.trade.domain.Order;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.mina.core.service.IoAcceptor;
import org.apache.mina.core.session.IoSession;
import org.opentrade.common.logging.LogBudget;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.trade.domain.desk.TradeDesk;
import org.opentrade.trade.adapter.redis.RedisFixSessions;
import org.opentrade.trade.port.FixSessionOwners;
import org.opentrade.trade.port.KeyAuthenticator;
import quickfix.FileStore;
import quickfix.FileStoreFactory;
import quickfix.LogFactory;
import quickfix.Message;
import quickfix.MessageFactory;
import quickfix.MessageStore;
import quickfix.MessageStoreFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionNotFound;
import quickfix.SessionSettings;
import quickfix.ThreadedSocketAcceptor;
import quickfix.mina.SessionConnector;
import quickfix.mina.acceptor.DynamicAcceptorSessionProvider;

/**
 * The FIX 4.4 acceptor of trade-api (docs/contracts.md, FIX 4.4): QuickFIX/J's threaded socket acceptor on
 * {@link FixAcceptorOptions#port()}, TargetCompID {@value FixAcceptorOptions#COMP_ID}, any
 * SenderCompID (sessions are made on first Logon from a template). The session layer — heartbeats,
 * TestRequest, sequence numbers, ResendRequest, checksum/BeginString/required-field checks against
 * the FIX44 data dictionary (session Reject 3 or Logout) — is QuickFIX/J's; sequence numbers and
 * sent messages persist in a file store under {@link FixAcceptorOptions#storeDir()}, so a restart
 * continues them and answers ResendRequests. Orders go through {@link TradeDesk} ({@link FixOrders}).
 *
 * <p><b>Market and reference data</b> ({@link FixMarketData}, when built with {@link FixBooks}):
 * MarketDataRequest (V) → MarketDataSnapshotFullRefresh (W), then MarketDataIncrementalRefresh (X)
 * while subscribed, or MarketDataRequestReject (Y); SecurityListRequest (x) → SecurityList (y).
 *
 * <p><b>Tracing</b> (with {@link Tracing}): each NewOrderSingle, OrderCancelRequest and
 * OrderCancelReplaceRequest is a span "FIX NewOrderSingle" (…) of trade-api owned by the developer,
 * whose trace continues to the desk and the exchange like REST's.
 *
 * <p><b>User-defined tags.</b> Logon 8013 (Y/N): cancel the account's open orders when the session
 * ends (default {@link FixAcceptorOptions#cancelOnDisconnect()}). ExecutionReport and
 * OrderCancelReject 9001 TraceID: the 32-hex trace id of the request they answer (for fills: of the
 * order's placement), readable by its owner at {@code /v1/traces/{id}}. SecurityList entries 5969
 * tick size, 6148 / 6149 today's lowest / highest allowed price (FIX 4.4 has no MinPriceIncrement
 * 969, LowLimitPrice 1148, HighLimitPrice 1149: these are them + 5000). Initiators validating
 * against a stock FIX44 dictionary need {@code ValidateUserDefinedFields=N}.
 *
 * <p><b>Threads.</b> {@link #prepare()}, {@link #start()} and {@link #stop()} block (binding, store files, logout): call
 * them off the event loop. QuickFIX/J runs one thread per session; business work hops to the trade
 * context through {@code onContext}; outbound messages are written by one "opentrade-fix-out" thread
 * (the store's file I/O never runs on the event loop). Register {@link #updates()} with
 * {@link TradeDesk#addListener} on the trade context.
 */
public final class FixAcceptor {
    private static final Logger LOG = Logger.getLogger(FixAcceptor.class.getName());
    /** Unwritten messages queued for one session before it is disconnected as a slow consumer. */
    static final int MAX_UNWRITTEN_MESSAGES = 10_000;
    /** Time for QuickFIX/J to send the Logout of a refused Logon and disconnect. */
    private static final long DISCARD_DELAY_MILLIS = 1_000;
    /** How long an ended session's socket may take to flush its last messages before it is closed. */
    private static final long CLOSE_GRACE_MILLIS = 2_000;
    /**
     * Per session refused since it was last logged on: {expected MsgSeqNum before the first refusal, clean-ups
     * still to run}. Bounded by the sessions (names are bounded per developer and in all).
     */
    private final java.util.concurrent.ConcurrentHashMap<SessionID, int[]> refusedSince =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** How often the keys of logged-on sessions are checked again: a session outlives its key by at most this. */
    static final long KEY_RECHECK_MILLIS = 5_000;

    /**
     * QuickFIX/J's connection logger: a line per connection and per message for an unknown session, as
     * often as anyone who reaches the port likes. Held here (java.util.logging keeps loggers weakly, and a
     * new one would come without the budget).
     */
    private static final Logger CONNECTIONS = Logger.getLogger("quickfix.mina.acceptor.AcceptorIoHandler");
    /**
     * QuickFIX/J's loggers that write a line per malformed frame or per connection event, before any Logon:
     * the decoder ("did not find checksum field, bad length?" for each bad frame) and the acceptor's I/O
     * handler (its superclass logs under its name too).
     * Each gets the same budget. Held here for the same reason.
     */
    private static final List<Logger> PER_FRAME = List.of(CONNECTIONS,
            Logger.getLogger("quickfix.mina.message.FIXMessageDecoder"));

    static {
        for (Logger l : PER_FRAME) {
            LogBudget.filter(l, 50, 10_000);
        }
    }

    private final FixAcceptorOptions options;
    private final FixConnectionGuard guard;
    private final FixOrders orders;
    private final FixApplication application;
    private final FixMarketData marketData;
    private final FixSessionStatus sessionStatus;
    /** Times TradingSessionStatus updates (one task at a time, at the next phase change); its task hops to the trade context. */
    private final java.util.concurrent.ScheduledExecutorService sessionTimer =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "opentrade-fix-session-status");
                t.setDaemon(true);
                return t;
            });
    private final ExecutorService outbound;
    /** Checks the keys of logged-on sessions again ({@link FixApplication#recheckKeys}); from start to stop. */
    private java.util.concurrent.ScheduledExecutorService keyChecks;
    private ThreadedSocketAcceptor acceptor;
    /** {@link #acceptor} for QuickFIX/J's threads, read without this object's lock (held by start and stop). */
    private volatile ThreadedSocketAcceptor forQuickFixThreads;
    private java.util.function.Supplier<FixSessionOwners> owners;
    private java.util.function.Supplier<RedisFixSessions> redisSessions;
    private final LongSupplier clock;
    private final ClOrdIdJournal journal;
    private final Executor onContext;
    private final TradeDesk desk;

    /** An acceptor for orders only: no market data (V and x are BusinessMessageRejected), no spans. */
    public FixAcceptor(FixAcceptorOptions options, TradeDesk desk, Executor onContext, KeyAuthenticator keys,
                       LongSupplier clock) {
        this(options, desk, onContext, keys, clock, null, null);
    }

    /**
     * @param tracing spans of FIX order requests and the trace tag 9001 (null: neither)
     * @param books   the books market data is served from (null: no market or reference data); call
     *                {@link FixBooks#onEvent} for every feed event on the trade context
     */
    public FixAcceptor(FixAcceptorOptions options, TradeDesk desk, Executor onContext, KeyAuthenticator keys,
                       LongSupplier clock, Tracing tracing, FixBooks books) {
        this.options = options;
        this.guard = new FixConnectionGuard(options.maxConnections(), options.maxConnectionsPerAddress(),
                options.logonWithin(), options.logonTimeout(), options.refusedLogonsPerMinute());
        this.outbound = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "opentrade-fix-out");
            t.setDaemon(true);
            return t;
        });
        this.journal = new ClOrdIdJournal(options.storeDir().resolve("replaced-clordids.tsv"), outbound);
        this.onContext = onContext;
        this.desk = desk;
        this.orders = new FixOrders(desk, options, this::send, clock, tracing, journal);
        this.clock = clock;
        this.marketData = books == null ? null : new FixMarketData(books, desk, options, this::send);
        this.sessionStatus = new FixSessionStatus(books == null ? null : books.sessions(), clock, this::send,
                this::sessionStatusDueAt);
        this.application = new FixApplication(options, keys, onContext, orders, marketData, sessionStatus);
    }

    /**
     * Refuse logons of accounts another instance serves: {@code placement} gives the reason (naming
     * the right partition) or null. Call before {@link #start}.
     */
    public FixAcceptor accountPlacement(java.util.function.Function<String, String> placement) {
        application.accountPlacement(placement);
        return this;
    }

    /**
     * Where session names are held, opened when the port opens (default: {@link SessionOwners}, a file of the
     * store directory, {@link #ownersFile}). Call before {@link #start}.
     */
    public FixAcceptor sessionOwners(java.util.function.Supplier<FixSessionOwners> owners) {
        this.owners = owners;
        return this;
    }

    /**
     * Keeps the sessions' numbers and sent messages in Redis ({@link RedisMessageStore}) instead of files of the
     * store directory, so another process of the instance continues them on any host; sessions the directory's
     * files hold are carried over once. {@code sessions} is called once, by {@link #prepare} (it may block). Call
     * before {@link #prepare}.
     */
    public FixAcceptor redisStore(java.util.function.Supplier<RedisFixSessions> sessions) {
        this.redisSessions = sessions;
        return this;
    }

    /** Whether the store directory holds QuickFIX/J file stores (of the file store, before Redis kept them). */
    private boolean hasFileStores() throws IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = Files.list(options.storeDir())) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".senderseqnums"));
        }
    }

    /** The file {@link SessionOwners} keeps under the store directory. */
    public java.nio.file.Path ownersFile() {
        return options.storeDir().resolve("session-owners.tsv");
    }

    /** The desk listener that turns account updates into ExecutionReports (call on the trade context). */
    public TradeDesk.UpdateListener updates() {
        return orders;
    }

    /**
     * Builds the QuickFIX/J acceptor without binding: on a cold JVM its construction (session settings,
     * the FIX 4.4 dictionary, the transport) takes seconds, so a service calls this while it catches up and
     * {@link #start} then only binds. Blocks; not on the event loop. Optional: {@link #start} calls it.
     */
    public synchronized void prepare() throws Exception {
        if (acceptor != null) {
            return;
        }
        Files.createDirectories(options.storeDir());
        SessionSettings settings = settings();
        // Market and reference data are sent but not kept for resends (OrderOnlyStore).
        MessageStoreFactory files = new FileStoreFactory(settings);
        RedisFixSessions inRedis = redisSessions == null ? null : redisSessions.get();
        MessageStoreFactory store = OrderOnlyStore.over(inRedis == null ? files
                : RedisMessageStore.factory(inRedis, clock, hasFileStores() ? files : null));
        if (inRedis != null) {
            journal.inRedis(inRedis);
        }
        LogFactory log = QuietFixLog.factory();
        // FIX 4.4's factory, the only version the acceptor serves. QuickFIX/J's DefaultMessageFactory loads the
        // factories of all ten versions it knows: 4.1 s of the 4.1 s this method took in a standby taking an
        // instance over (distributed mode), whose FIX port opened 5 s after its HTTP API.
        MessageFactory messages = new quickfix.fix44.MessageFactory();
        ThreadedSocketAcceptor built = new FixSocketAcceptor(application, store, settings, log, messages);
        built.setIoFilterChainBuilder(chain -> chain.addFirst("opentrade-connection-guard", guard));
        SessionID template = templateId();
        built.setSessionProvider(new InetSocketAddress(options.host(), options.port()),
                new BoundedSessionProvider(new GapBoundSessionProvider(settings, template, application, store,
                        log, messages), BoundedSessionProvider.DEFAULT_MAX_SESSIONS));
        application.onRefused(this::discardLater);
        application.onEnded(this::closeLater);
        application.onLoggedOn(this::loggedOn);
        acceptor = built;
        forQuickFixThreads = built;
    }

    /**
     * Binds and starts accepting ({@link #prepare prepared} first if it was not). Call it once the desk
     * has caught up: it keeps the journal's open orders in the ledger before any Logon. Blocks; not on
     * the event loop.
     */
    public synchronized void start() throws Exception {
        prepare();
        journal.load();
        // The ledger is the trade context's: keep the journal's open orders there, before any Logon.
        java.util.concurrent.CompletableFuture<Void> retained = new java.util.concurrent.CompletableFuture<>();
        onContext.execute(() -> {
            try {
                journal.retain((account, orderId) -> {
                    Order o = desk.ledger().hasAccount(account) ? desk.ledger().order(account, orderId) : null;
                    return o != null && o.status().isOpen();
                });
                retained.complete(null);
            } catch (RuntimeException e) {
                retained.completeExceptionally(e);
            }
        });
        retained.get(30, java.util.concurrent.TimeUnit.SECONDS); // start() runs on a worker, never the trade context
        // Read when the port opens, not when prepared: a process that prepared and then waited (a standby on the
        // same data) must see the names claimed meanwhile.
        application.owners(owners != null ? owners.get() : new SessionOwners(ownersFile()));
        acceptor.start();
        keyChecks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opentrade-fix-keys");
            t.setDaemon(true);
            return t;
        });
        keyChecks.scheduleWithFixedDelay(() -> {
            try {
                application.recheckKeys();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "FIX: checking the keys of live sessions failed", e);
            }
        }, KEY_RECHECK_MILLIS, KEY_RECHECK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("FIX 4.4 acceptor listening on " + options.host() + ":" + port() + " (TargetCompID "
                + FixAcceptorOptions.COMP_ID + ")");
    }

    /** The bound port (the configured one, or the one chosen for port 0). */
    public synchronized int port() {
        if (acceptor != null) {
            for (IoAcceptor a : acceptor.getEndpoints()) {
                SocketAddress local = a.getLocalAddress();
                if (local instanceof InetSocketAddress inet) {
                    return inet.getPort();
                }
            }
        }
        return options.port();
    }

    private void sessionStatusDueAt(long epochMs) {
        sessionTimer.schedule(() -> onContext.execute(() -> sessionStatus.publish(epochMs)),
                Math.max(0, epochMs - clock.getAsLong()), TimeUnit.MILLISECONDS);
    }

    /** Logs sessions out, closes the socket and the store. Blocks; not on the event loop. */
    public synchronized void stop() {
        sessionTimer.shutdownNow();
        if (keyChecks != null) {
            keyChecks.shutdownNow();
            keyChecks = null;
        }
        if (acceptor != null) {
            acceptor.stop(true);
            acceptor = null;
            forQuickFixThreads = null;
        }
        guard.close();
        outbound.shutdown();
        try {
            outbound.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journal.close();
    }

    /** Sessions the acceptor holds, live or not (tests, metrics). */
    public synchronized int sessionCount() {
        return acceptor == null ? 0 : acceptor.getManagedSessions().size();
    }

    /** Ids of the sessions the acceptor holds, live or not (tests). */
    public synchronized List<SessionID> allSessions() {
        return acceptor == null ? List.of() : List.copyOf(acceptor.getSessions());
    }

    /** After a refused Logon: once QuickFIX/J has sent the Logout and disconnected, discard the session if fresh. */
    /**
     * Closes the sockets of an ended session that are still open after {@link #CLOSE_GRACE_MILLIS}.
     * QuickFIX/J ends a session by closing its socket once the queued messages are written; a peer
     * that never reads (the slow consumer it was dropped for) would keep that socket, its queue and
     * its unread input forever. Only the sockets open now (the session has no responder: they are
     * the old connection's), never one of a later logon.
     */
    private void closeLater(SessionID id) {
        Session ended = Session.lookupSession(id);
        List<IoSession> sockets = new java.util.ArrayList<>();
        synchronized (this) {
            if (acceptor == null || ended == null) {
                return;
            }
            for (IoAcceptor endpoint : acceptor.getEndpoints()) {
                for (IoSession socket : endpoint.getManagedSessions().values()) {
                    if (socket.getAttribute(SessionConnector.QF_SESSION) == ended) {
                        sockets.add(socket);
                    }
                }
            }
        }
        if (sockets.isEmpty()) {
            return;
        }
        CompletableFuture.delayedExecutor(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS).execute(() -> {
            for (IoSession socket : sockets) {
                if (socket.isConnected()) {
                    LOG.warning("FIX session " + id + ": its socket was still open " + CLOSE_GRACE_MILLIS
                            + " ms after the session ended (the peer does not read); closed");
                    socket.closeNow();
                }
            }
        });
    }

    private void discardLater(SessionID id) {
        Session refused = Session.lookupSession(id);
        // The refusal counts against the caller's address: the socket the Logon came on holds the session. On
        // this session's QuickFIX/J thread, without this object's lock: stop() holds it while QuickFIX/J stops.
        ThreadedSocketAcceptor running = forQuickFixThreads;
        if (running != null && refused != null) {
            for (IoAcceptor endpoint : running.getEndpoints()) {
                for (IoSession socket : endpoint.getManagedSessions().values()) {
                    if (socket.getAttribute(SessionConnector.QF_SESSION) == refused) {
                        guard.logonRefused(socket);
                    }
                }
            }
        }
        // QuickFIX/J counts a refused Logon that carried the expected MsgSeqNum as received (after we refuse it):
        // anyone who learns that number (a Logon with 34=1 is told it) could push a session's expected number
        // up while its owner is offline, whose next Logon is then "too low". The number before the first refusal
        // since the session was last logged on is kept, and put back once the last refusal's clean-up has run.
        if (refused != null) {
            int expected = refused.getExpectedTargetNum();
            refusedSince.compute(id, (k, v) -> v == null ? new int[] {expected, 1} : new int[] {v[0], v[1] + 1});
        }
        CompletableFuture.delayedExecutor(DISCARD_DELAY_MILLIS, TimeUnit.MILLISECONDS).execute(() -> discard(id, refused));
    }

    /** A session logged on: its numbers are its owner's again (no refusal's to undo). */
    private void loggedOn(SessionID id) {
        refusedSince.remove(id);
    }

    /**
     * Undoes what refused Logons did to {@code s}'s expected number once the last of them is cleaned up, while
     * it is offline. A Logon still in progress (a connection holds the session) waits: its own clean-up follows.
     */
    private void undoRefusals(SessionID id, Session s) throws IOException {
        int[] state = refusedSince.get(id);
        if (state == null) {
            return;
        }
        if (--state[1] > 0) {
            return;
        }
        refusedSince.remove(id);
        if (s.getStore().getNextTargetMsgSeqNum() > state[0]) {
            s.setNextTargetMsgSeqNum(state[0]); // refused Logons are not the owner's messages
        }
    }

    /**
     * Removes a session whose only Logon was refused, with its store files, so refused logons under
     * made-up SenderCompIDs leave nothing behind. A session with a history (numbers past the refused
     * Logon and its Logout, e.g. a client's that once logged on) keeps its store: its sequence numbers
     * and resend log stay whoever tries a wrong key under its name; so does one whose name a developer
     * holds ({@link FixSessionOwners}).
     */
    private synchronized void discard(SessionID id, Session refused) {
        Session s = Session.lookupSession(id);
        // The very session that refused, still this acceptor's: QuickFIX/J's registry is global, and
        // after a restart the same id names a new acceptor's session, which must be left alone.
        if (acceptor == null || s == null || s != refused || !acceptor.getManagedSessions().contains(s)
                || s.isLoggedOn()) {
            refusedSince.remove(id);
            return;
        }
        if (s.hasResponder()) {
            // Another Logon is being handled: look again once it is done with (refused, it adds its own clean-up).
            CompletableFuture.delayedExecutor(DISCARD_DELAY_MILLIS, TimeUnit.MILLISECONDS).execute(() -> discard(id, refused));
            return;
        }
        try {
            MessageStore store = s.getStore();
            // A claimed name is someone's session even when its numbers say nothing (the daily reset set them to 1):
            // discarded, the reports waiting in its store for the owner's next Logon went with it.
            if (store.getNextSenderMsgSeqNum() > 2 || store.getNextTargetMsgSeqNum() > 2
                    || application.claimed(id.getTargetCompID())) {
                undoRefusals(id, s);
                return;
            }
            refusedSince.remove(id);
            acceptor.removeDynamicSession(id);
            s.close();
            MessageStore underlying = store instanceof OrderOnlyStore kept ? kept.underlying() : store;
            if (underlying instanceof FileStore files) {
                files.closeAndDeleteFiles();
            } else if (underlying instanceof RedisMessageStore redis) {
                redis.delete();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "FIX: could not discard refused session " + id, e);
        }
    }

    /** Live sessions' ids (tests, metrics). */
    public synchronized List<SessionID> sessions() {
        return acceptor == null ? List.of() : acceptor.getManagedSessions().stream()
                .filter(Session::isLoggedOn).map(Session::getSessionID).toList();
    }

    /**
     * Connections the acceptor closed since it started, by why: {@code connections} (its limit was held),
     * {@code per_address} (the address's limit was held), {@code no_logon} (not logged on in time),
     * {@code logons} (the address had its refused Logons for the minute). For
     * metrics and tests; any thread, lock-free.
     */
    public java.util.Map<String, Long> refusedConnections() {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (FixConnectionGuard.Refusal why : FixConnectionGuard.Refusal.values()) {
            out.put(why.name().toLowerCase(java.util.Locale.ROOT), guard.refused(why));
        }
        return out;
    }

    /**
     * ResendRequests refused since the acceptor started because they repeated a resend within
     * {@link ResendGate#REPEAT_INTERVAL} (metrics, tests). Any thread, lock-free.
     */
    public long refusedResendRequests() {
        return application.refusedResendRequests();
    }

    /** Open TCP connections as the connection guard counts them (metrics). Any thread, lock-free. */
    public int connectionsNow() {
        return guard.openConnections();
    }

    /** Open TCP connections to the acceptor, logged on or not (for tests and operations). */
    public synchronized int openConnections() {
        int n = 0;
        if (acceptor != null) {
            for (IoAcceptor endpoint : acceptor.getEndpoints()) {
                n += endpoint.getManagedSessionCount();
            }
        }
        return n;
    }

    /**
     * One line per open TCP connection: its peer, whether reads or writes are suspended, what is queued
     * unwritten and the bytes read and written (a stalled connection's state, for tests and operators).
     */
    public synchronized java.util.List<String> connectionStates() {
        java.util.List<String> states = new java.util.ArrayList<>();
        if (acceptor != null) {
            for (IoAcceptor endpoint : acceptor.getEndpoints()) {
                for (IoSession io : endpoint.getManagedSessions().values()) {
                    states.add(io.getRemoteAddress() + " connected=" + io.isConnected() + " closing="
                            + io.isClosing() + " readSuspended=" + io.isReadSuspended() + " writeSuspended="
                            + io.isWriteSuspended() + " unwrittenMessages=" + io.getScheduledWriteMessages()
                            + " unwrittenBytes=" + io.getScheduledWriteBytes() + " readBytes=" + io.getReadBytes()
                            + " readMessages=" + io.getReadMessages() + " writtenBytes=" + io.getWrittenBytes()
                            + " msSinceRead=" + (System.currentTimeMillis() - io.getLastReadTime())
                            + " msSinceWrite=" + (System.currentTimeMillis() - io.getLastWriteTime()));
                }
            }
        }
        return states;
    }

    private void send(SessionID to, Message m) {
        try {
            outbound.execute(() -> {
                try {
                    Session.sendToTarget(m, to);
                } catch (SessionNotFound e) {
                    LOG.fine("FIX session " + to + " is gone; report not sent");
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "FIX send to " + to + " failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            LOG.fine("FIX acceptor stopping; report to " + to + " not sent");
        }
    }

    private static SessionID templateId() {
        return new SessionID("FIX.4.4", FixAcceptorOptions.COMP_ID, DynamicAcceptorSessionProvider.WILDCARD);
    }

    private SessionSettings settings() {
        return sessionSettings(options.host(), options.port(), options.storeDir(), options.dailyReset(),
                options.resetZone());
    }

    /**
     * The acceptor's QuickFIX/J settings: dynamic sessions for any SenderCompID to {@code OPENTRADE},
     * dictionary validation, persisted sequence numbers, the slow-consumer cut-off. Public so the
     * benchmark's bare acceptor (the floor) runs with exactly these; {@code storeDir} null leaves the
     * file store's path unset (a memory store).
     */
    public static SessionSettings sessionSettings(String host, int port, java.nio.file.Path storeDir) {
        return sessionSettings(host, port, storeDir, FixAcceptorOptions.DEFAULT_DAILY_RESET,
                FixAcceptorOptions.DEFAULT_RESET_ZONE);
    }

    /**
     * As {@link #sessionSettings(String, int, java.nio.file.Path)}, with the sessions starting over at
     * {@code dailyReset} in {@code zone} each day (QuickFIX/J's daily schedule with the same start and end:
     * a session is always open, and the first moment past the boundary logs it out and resets its numbers
     * and store), or never (null: a non-stop session).
     */
    public static SessionSettings sessionSettings(String host, int port, java.nio.file.Path storeDir,
                                                  java.time.LocalTime dailyReset, java.time.ZoneId zone) {
        SessionSettings s = new SessionSettings();
        s.setString("ConnectionType", "acceptor");
        s.setString("SocketAcceptAddress", host);
        s.setLong("SocketAcceptPort", port);
        if (storeDir != null) {
            s.setString(FileStoreFactory.SETTING_FILE_STORE_PATH, storeDir.toString());
        }
        if (dailyReset == null) {
            s.setString("NonStopSession", "Y");
        } else {
            String at = dailyReset.format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss"));
            s.setString("NonStopSession", "N");
            s.setString("StartTime", at);
            s.setString("EndTime", at);
            s.setString("TimeZone", zone.getId());
        }
        s.setString("UseDataDictionary", "Y");
        s.setString("DataDictionary", "FIX44.xml");
        // Session-level checks against the dictionary; our own tag 8013 (and other user-defined tags) pass.
        s.setString("ValidateUserDefinedFields", "N");
        s.setString("ValidateIncomingMessage", "Y");
        s.setString("RejectInvalidMessage", "Y");
        s.setString("AllowUnknownMsgFields", "N");
        s.setString("ResetOnLogon", "N");
        s.setString("ResetOnLogout", "N");
        s.setString("ResetOnDisconnect", "N");
        s.setString("PersistMessages", "Y");
        s.setString("SocketTcpNoDelay", "Y");
        // A message for an unknown session is logged by its session id only, not with the message
        // (anyone's bytes: with the id it still says who the client thought it was).
        s.setString("LogMessageWhenSessionNotFound", "N");
        // Slow-consumer protection: a session that does not read (a full-book subscription it never
        // drains) would grow MINA's write queue without end; past this many unwritten messages the
        // session is disconnected. Its reports stay in the store: a ResendRequest after the next
        // logon brings them back; market data restarts with a new snapshot.
        s.setLong("MaxScheduledWriteRequests", MAX_UNWRITTEN_MESSAGES);
        SessionID t = templateId();
        s.setString(t, "BeginString", "FIX.4.4");
        s.setString(t, "SenderCompID", FixAcceptorOptions.COMP_ID);
        s.setString(t, "TargetCompID", DynamicAcceptorSessionProvider.WILDCARD);
        s.setString(t, "AcceptorTemplate", "Y");
        return s;
    }

    /** Market data subscriptions (MDReqIDs) held over all sessions (tests, metrics). Any thread. */
    public int marketDataSubscriptions() {
        return marketData == null ? 0 : marketData.subscriptionCount();
    }

    /** ClOrdIDs remembered for an account (tests: the bound). Trade context. */
    int rememberedClOrdIds(String account) {
        return orders.rememberedClOrdIds(account);
    }

    /** The QuickFIX/J application (tests of this package). */
    FixApplication application() {
        return application;
    }
}
