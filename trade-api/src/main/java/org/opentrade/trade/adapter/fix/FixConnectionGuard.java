package org.opentrade.trade.adapter.fix;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.opentrade.common.logging.LogBudget;
import quickfix.Session;
import quickfix.mina.SessionConnector;

/**
 * The FIX port's connection layer, before QuickFIX/J sees a byte (a MINA filter first in every
 * connection's chain). Anyone who can reach the port can connect, and QuickFIX/J by itself holds a
 * connection that never logs on for as long as the peer keeps it open: connections then grow at the
 * caller's will until the process runs out of file descriptors, and with it trade-api's HTTP port too.
 * So:
 * <ul>
 *   <li>at most {@code maxConnections} open connections, and {@code maxPerAddress} from one remote
 *   address (an IPv6 /64); a connection past either is closed at once, unseen by QuickFIX/J;</li>
 *   <li>a connection whose session is not logged on {@code logonDeadline} after it opened is closed
 *   (a Logon still waiting for its key check then gets {@code keyCheck} more);</li>
 *   <li>a connection sending a message longer than {@link #MAX_MESSAGE_BYTES} is closed, logged on or not.</li>
 * </ul>
 * What it refuses is logged within a {@link LogBudget}, and counted. Thread-safe: MINA calls it on its
 * I/O threads, the deadlines run on one timer thread of its own ({@link #close}).
 */
final class FixConnectionGuard extends IoFilterAdapter {
    private static final Logger LOG = Logger.getLogger(FixConnectionGuard.class.getName());
    private static final String ADDRESS = FixConnectionGuard.class.getName() + ".address";
    private static final String DEADLINE = FixConnectionGuard.class.getName() + ".deadline";
    /** The connection's remote address as text (ip:port), for matching its close with the session's connection. */
    private static final String REMOTE = FixConnectionGuard.class.getName() + ".remote";
    /** A connection refused as it opened: QuickFIX/J never hears of it, not even of its closing. */
    private static final String UNSEEN = FixConnectionGuard.class.getName() + ".unseen";

    /** Why a connection was closed by the guard (a metric label). */
    enum Refusal { CONNECTIONS, PER_ADDRESS, NO_LOGON, LOGONS, TOO_LARGE }

    /**
     * The most bytes one inbound message may take (from the end of the one before to its CheckSum field). An
     * order is a few hundred bytes, a MarketDataRequest for every instrument a few KiB. QuickFIX/J's decoder
     * has no limit of its own: it holds whatever BodyLength announces until that many bytes arrive, so one
     * connection that never logged on made it hold 150 MiB in 10 s (and 20 such, an out-of-memory error).
     */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** The bytes that start a CheckSum field, the last of every message: SOH "10=". */
    private static final byte[] CHECKSUM_START = {1, '1', '0', '='};
    /** Per connection: {bytes since the last message's end, how much of CHECKSUM_START the last bytes matched}. */
    private static final String SIZE = FixConnectionGuard.class.getName() + ".size";

    /** Addresses with refused Logons tracked at once; past it the oldest windows go, then new ones are not kept. */
    static final int MAX_TRACKED_ADDRESSES = 10_000;
    private static final long MINUTE_MILLIS = 60_000;

    private final int maxConnections;
    private final int maxPerAddress;
    private final long deadlineMillis;
    private final long keyCheckMillis;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong[] refused = new AtomicLong[Refusal.values().length];
    private final LogBudget logged = new LogBudget(20, 10_000, System::currentTimeMillis);
    private final ScheduledThreadPoolExecutor timer;
    private final int refusedLogonsPerMinute;
    /** Per address: {start of its minute (epoch ms), refused Logons in it}. */
    private final ConcurrentHashMap<InetAddress, long[]> refusedLogons = new ConcurrentHashMap<>();

    FixConnectionGuard(int maxConnections, int maxPerAddress, Duration logonDeadline, Duration keyCheck,
                       int refusedLogonsPerMinute) {
        this.refusedLogonsPerMinute = refusedLogonsPerMinute;
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.deadlineMillis = logonDeadline.toMillis();
        this.keyCheckMillis = keyCheck.toMillis();
        for (int i = 0; i < refused.length; i++) {
            refused[i] = new AtomicLong();
        }
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "opentrade-fix-guard");
            t.setDaemon(true);
            return t;
        });
        // A closed connection's deadline goes with it: the queue holds open connections only.
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void sessionCreated(NextFilter next, IoSession socket) throws Exception {
        InetAddress from = addressOf(socket.getRemoteAddress());
        socket.setAttribute(ADDRESS, from);
        // As QuickFIX/J's responder names it (SocketAddress.toString()): a close is matched with the session's
        // connection by it (SessionDispatchers).
        socket.setAttribute(REMOTE, String.valueOf(socket.getRemoteAddress()));
        int total = open.incrementAndGet();
        int fromHere = perAddress.merge(from, 1, Integer::sum);
        Refusal refusal = total > maxConnections ? Refusal.CONNECTIONS
                : fromHere > maxPerAddress ? Refusal.PER_ADDRESS
                : logonsSpent(from, System.currentTimeMillis()) ? Refusal.LOGONS : null;
        if (refusal != null) {
            socket.setAttribute(UNSEEN, refusal);
            refuse(socket, refusal, switch (refusal) {
                case CONNECTIONS -> "the acceptor holds its limit of " + maxConnections + " connections";
                case PER_ADDRESS -> from.getHostAddress() + " holds its limit of " + maxPerAddress + " connections";
                default -> from.getHostAddress() + " had " + refusedLogonsPerMinute + " refused Logons within a minute";
            });
            return; // QuickFIX/J never hears of it
        }
        socket.setAttribute(DEADLINE, timer.schedule(() -> checkLogon(socket, false), deadlineMillis,
                TimeUnit.MILLISECONDS));
        next.sessionCreated(socket);
    }

    @Override
    public void sessionOpened(NextFilter next, IoSession socket) throws Exception {
        if (!socket.containsAttribute(UNSEEN)) {
            next.sessionOpened(socket);
        }
    }

    @Override
    public void messageReceived(NextFilter next, IoSession socket, Object message) throws Exception {
        if (socket.containsAttribute(UNSEEN)) {
            return;
        }
        if (message instanceof IoBuffer bytes && !withinMessageSize(socket, bytes)) {
            refuse(socket, Refusal.TOO_LARGE, "a message of more than " + MAX_MESSAGE_BYTES + " bytes");
            return;
        }
        next.messageReceived(socket, message);
    }

    /**
     * Counts {@code bytes} (not consuming them) into the connection's current message: false once it is past
     * {@link #MAX_MESSAGE_BYTES} without reaching its CheckSum field. Called on the connection's I/O thread, in
     * order.
     */
    static boolean withinMessageSize(IoSession socket, IoBuffer bytes) {
        int[] state = (int[]) socket.getAttribute(SIZE);
        if (state == null) {
            state = new int[2];
            socket.setAttribute(SIZE, state);
        }
        int count = state[0];
        int matched = state[1];
        for (int i = bytes.position(), end = bytes.limit(); i < end; i++) {
            byte b = bytes.get(i);
            matched = b == CHECKSUM_START[matched] ? matched + 1 : b == CHECKSUM_START[0] ? 1 : 0;
            if (matched == CHECKSUM_START.length) {
                matched = 0;
                count = 0; // the CheckSum field's three digits and SOH are counted into the next message
            } else if (++count > MAX_MESSAGE_BYTES) {
                return false;
            }
        }
        state[0] = count;
        state[1] = matched;
        return true;
    }

    @Override
    public void sessionClosed(NextFilter next, IoSession socket) throws Exception {
        InetAddress from = (InetAddress) socket.removeAttribute(ADDRESS);
        if (from != null) {
            open.decrementAndGet();
            perAddress.computeIfPresent(from, (a, n) -> n == 1 ? null : n - 1);
        }
        if (socket.removeAttribute(DEADLINE) instanceof ScheduledFuture<?> deadline) {
            deadline.cancel(false);
        }
        if (!socket.containsAttribute(UNSEEN)) {
            // QuickFIX/J queues the close for the session on this thread: it carries which connection closed.
            SessionDispatchers.closing((String) socket.getAttribute(REMOTE));
            try {
                next.sessionClosed(socket);
            } finally {
                SessionDispatchers.closing(null);
            }
        }
    }

    /**
     * At the deadline: a connection without a logged-on session is closed, except that one whose Logon
     * reached a session (its key is being checked) gets one more {@code keyCheck} first.
     */
    private void checkLogon(IoSession socket, boolean extended) {
        if (!socket.isConnected()) {
            return;
        }
        Session session = (Session) socket.getAttribute(SessionConnector.QF_SESSION);
        if (session != null && session.isLoggedOn()) {
            return;
        }
        if (session != null && !extended) {
            socket.setAttribute(DEADLINE, timer.schedule(() -> checkLogon(socket, true), keyCheckMillis + 1_000,
                    TimeUnit.MILLISECONDS));
            return;
        }
        refuse(socket, Refusal.NO_LOGON, "no Logon within " + deadlineMillis + " ms of connecting");
    }

    private void refuse(IoSession socket, Refusal refusal, String why) {
        refused[refusal.ordinal()].incrementAndGet();
        LogBudget.Admission a = logged.admit();
        if (a.leftOutBefore() > 0) {
            LOG.warning(logged.leftOutText(a.leftOutBefore(), "refused FIX connections"));
        }
        if (a.allowed()) {
            LOG.warning("FIX connection from " + socket.getRemoteAddress() + " closed: " + why);
        }
        socket.closeNow();
    }

    /**
     * A Logon on {@code socket} was refused (wrong key or secret, a key that may not log on): counted against
     * its address; once an address has {@code refusedLogonsPerMinute} in a minute, its new connections are
     * closed at once for the rest of that minute. Without it each guess cost a key check and a session's
     * store files, at the pace of the caller's connections. Any thread.
     */
    void logonRefused(IoSession socket) {
        InetAddress from = (InetAddress) socket.getAttribute(ADDRESS);
        if (from == null) {
            return;
        }
        long now = System.currentTimeMillis();
        if (refusedLogons.size() >= MAX_TRACKED_ADDRESSES && !refusedLogons.containsKey(from)) {
            refusedLogons.values().removeIf(w -> now - w[0] >= MINUTE_MILLIS);
            if (refusedLogons.size() >= MAX_TRACKED_ADDRESSES) {
                return; // bounded: that many addresses guessing at once is beyond what a per-address limit stops
            }
        }
        refusedLogons.compute(from, (a, w) -> w == null || now - w[0] >= MINUTE_MILLIS ? new long[] {now, 1}
                : new long[] {w[0], w[1] + 1});
    }

    private boolean logonsSpent(InetAddress from, long now) {
        long[] w = refusedLogons.get(from);
        return w != null && now - w[0] < MINUTE_MILLIS && w[1] >= refusedLogonsPerMinute;
    }

    /** Open connections now, logged on or not. */
    int openConnections() {
        return open.get();
    }

    /** Connections closed for {@code why} since the start. */
    long refused(Refusal why) {
        return refused[why.ordinal()].get();
    }

    /** Stops the deadlines' timer (the acceptor is stopping). */
    void close() {
        timer.shutdownNow();
    }

    private static InetAddress addressOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return bucketOf(inet.getAddress());
        }
        return InetAddress.getLoopbackAddress(); // not TCP (tests' in-VM transport): one bucket
    }

    /**
     * What one per-address limit counts: an IPv4 address, or an IPv6 /64 (one subscriber usually holds a
     * whole /64, and would otherwise get a fresh limit for each of its addresses), as the gateway does.
     */
    static InetAddress bucketOf(InetAddress address) {
        if (!(address instanceof java.net.Inet6Address)) {
            return address;
        }
        byte[] prefix = address.getAddress();
        java.util.Arrays.fill(prefix, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix); // bytes, no resolver
        } catch (java.net.UnknownHostException impossible) {
            return address;
        }
    }
}
