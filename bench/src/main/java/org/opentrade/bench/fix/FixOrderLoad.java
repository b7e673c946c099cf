package org.opentrade.bench.fix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.opentrade.bench.trade.BenchKey;
import org.opentrade.bench.trade.BenchSymbol;
import org.opentrade.trade.adapter.fix.QuietFixLog;
import quickfix.Application;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.MemoryStoreFactory;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketInitiator;

/**
 * NewOrderSingle → first ExecutionReport at a fixed rate over FIX 4.4: a QuickFIX/J initiator with one
 * session per key (SenderCompID {@code <sender-prefix><k>}, TargetCompID {@code OPENTRADE}, Logon
 * Username(553)/Password(554) = the key), open loop ({@link FixedRateSchedule}: order <i>i</i> is due at
 * {@code start + i/rate} and sent then whatever is still unanswered), orders from {@link FixOrderPlan},
 * each order's first ExecutionReport recorded by {@link FirstReportRecorder}: latency from the due time
 * (coordinated omission corrected), service time from the actual send, HdrHistogram. The first
 * {@code --warmup-seconds} are sent but not recorded.
 *
 * <p>Before the load every session sends one probe order and prints its first report, so a refused key,
 * a risk limit or a bad price shows its Text(58) instead of a count of rejects.
 *
 * <p>Threads: the main thread paces and sends ({@link Session#send} from outside QuickFIX/J is allowed:
 * it takes the session's sender lock); reports arrive on QuickFIX/J's one dispatcher thread
 * ({@link SocketInitiator}) and are timestamped there on arrival. The initiator keeps its messages in a
 * memory store (the client's own persistence is not what is measured); every run uses new SenderCompIDs,
 * so the acceptor's stored sequence numbers of earlier runs never matter.
 *
 * <pre>
 * java -cp benchmarks.jar org.opentrade.bench.fix.FixOrderLoad --name trade --port 9878 --keys keys.txt \
 *   --symbols symbols.txt --sessions 4 --sender-prefix B1S --id-prefix b1- --rate 1000 --seconds 30 \
 *   --warmup-seconds 10 [--tif ioc|day] [--host 127.0.0.1] [--drain-seconds 5] [--spin-us 50]
 * </pre>
 * Prints {@link FixLoadResult#report()} (its {@code RESULT latency ...} line is what scripts parse).
 */
public final class FixOrderLoad implements Application {
    private static final String TARGET_COMP_ID = "OPENTRADE";

    private final FixOrderPlan plan;
    private final List<BenchKey> keys;
    private final List<SessionID> sessions = new ArrayList<>();
    private final ConcurrentHashMap<SessionID, Integer> sessionIndex = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SessionID, Boolean> loggedOn = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<String> logouts = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Message> probeReports = new LinkedBlockingQueue<>();
    private volatile FirstReportRecorder recorder;

    private FixOrderLoad(FixOrderPlan plan, List<BenchKey> keys, String senderPrefix) {
        this.plan = plan;
        this.keys = keys;
        for (int k = 0; k < plan.sessions(); k++) {
            SessionID id = new SessionID("FIX.4.4", senderPrefix + k, TARGET_COMP_ID);
            sessions.add(id);
            sessionIndex.put(id, k);
        }
    }

    public static void main(String[] args) throws Exception {
        String name = "fix";
        String host = "127.0.0.1";
        int port = 9878;
        Path keysFile = null;
        Path symbolsFile = null;
        int sessionCount = 0;
        String senderPrefix = "BENCH";
        String idPrefix = "b-";
        double rate = 1000;
        double seconds = 30;
        double warmup = 10;
        double drain = 5;
        long spinUs = 50;
        char tif = FixOrderPlan.IOC;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--name" -> name = args[++i];
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--keys" -> keysFile = Path.of(args[++i]);
                case "--symbols" -> symbolsFile = Path.of(args[++i]);
                case "--sessions" -> sessionCount = Integer.parseInt(args[++i]);
                case "--sender-prefix" -> senderPrefix = args[++i];
                case "--id-prefix" -> idPrefix = args[++i];
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup-seconds" -> warmup = Double.parseDouble(args[++i]);
                case "--drain-seconds" -> drain = Double.parseDouble(args[++i]);
                case "--spin-us" -> spinUs = Long.parseLong(args[++i]);
                case "--tif" -> tif = switch (args[++i]) {
                    case "ioc" -> FixOrderPlan.IOC;
                    case "day" -> FixOrderPlan.DAY;
                    default -> throw usage("--tif is ioc or day");
                };
                default -> throw usage("unknown argument " + args[i]);
            }
        }
        if (keysFile == null || symbolsFile == null) {
            throw usage("--keys and --symbols are required");
        }
        if (!senderPrefix.matches("[A-Za-z0-9_.-]{1,56}")) {
            throw usage("--sender-prefix must be 1-56 characters of [A-Za-z0-9_.-]");
        }
        List<BenchKey> keys = BenchKey.read(keysFile);
        if (sessionCount <= 0) {
            sessionCount = keys.size();
        }
        if (sessionCount > keys.size()) {
            throw usage(sessionCount + " sessions need as many keys (one live session per key); " + keysFile
                    + " holds " + keys.size());
        }
        List<BenchSymbol> symbols = BenchSymbol.read(symbolsFile);
        FixOrderPlan plan = new FixOrderPlan(sessionCount, symbols, idPrefix, tif);
        FixOrderLoad load = new FixOrderLoad(plan, keys.subList(0, sessionCount), senderPrefix);
        System.out.printf(Locale.ROOT, "%s: FIX 4.4 %s:%d, %d session(s) %s0.., %.0f orders/s for %.0f s after %.0f s"
                        + " warm-up, %d symbols, limit buys TimeInForce %s%n", name, host, port, sessionCount, senderPrefix,
                rate, seconds, warmup, symbols.size(), tif == FixOrderPlan.IOC ? "IOC" : "day");
        System.out.println("first order: " + plan.newOrder(0).toString().replace('\u0001', '|'));
        int rc = load.run(name, host, port, rate, seconds, warmup, drain, TimeUnit.MICROSECONDS.toNanos(spinUs));
        System.exit(rc);
    }

    private static IllegalArgumentException usage(String why) {
        System.err.println(why + "\nusage: FixOrderLoad --keys F --symbols F [--port 9878] [--host H] [--sessions N]"
                + " [--sender-prefix S] [--id-prefix P] [--rate R] [--seconds S] [--warmup-seconds W] [--tif ioc|day]"
                + " [--drain-seconds D] [--spin-us U] [--name N]");
        System.exit(2);
        return new IllegalArgumentException(why);
    }

    private int run(String name, String host, int port, double rate, double seconds, double warmup, double drain,
                    long spinNs) throws Exception {
        SocketInitiator initiator = new SocketInitiator(this, new MemoryStoreFactory(), settings(host, port),
                QuietFixLog.factory(), new DefaultMessageFactory());
        initiator.start();
        boolean stopped = false;
        try {
            if (!awaitLogons(TimeUnit.SECONDS.toNanos(30))) {
                return 1;
            }
            if (!probe()) {
                return 1;
            }
            Session[] out = new Session[sessions.size()];
            for (int k = 0; k < out.length; k++) {
                out[k] = Session.lookupSession(sessions.get(k));
            }
            FixedRateSchedule schedule = FixedRateSchedule.of(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20),
                    rate, warmup, seconds);
            FirstReportRecorder rec = new FirstReportRecorder(schedule);
            recorder = rec;
            for (long i = 0; i < schedule.totalOrders(); i++) {
                Message m = plan.newOrder(i); // built before its due time: what is timed is the send
                FixedRateSchedule.awaitDue(schedule.dueNanos(i), spinNs);
                long now = System.nanoTime();
                rec.sent(i, now, out[plan.session(i)].send(m));
            }
            long drainEnd = System.nanoTime() + (long) (drain * 1e9);
            while (rec.answered() < schedule.totalOrders() && System.nanoTime() - drainEnd < 0) {
                Thread.sleep(10); // the load is over: waiting for stragglers, nothing is timed here
            }
            initiator.stop(true); // joins QuickFIX/J's threads: every report written is visible below
            stopped = true;
            FixLoadResult result = rec.result(name);
            System.out.printf(Locale.ROOT, "  reports received: %d for %d orders (warm-up included)%n", rec.reports(),
                    schedule.totalOrders());
            System.out.println(result.report());
            return result.ok() == 0 ? 1 : 0;
        } finally {
            if (!stopped) {
                initiator.stop(true);
            }
        }
    }

    private SessionSettings settings(String host, int port) {
        SessionSettings s = new SessionSettings();
        s.setString("ConnectionType", "initiator");
        s.setString("SocketConnectHost", host);
        s.setLong("SocketConnectPort", port);
        s.setLong("HeartBtInt", 30);
        s.setLong("ReconnectInterval", 5);
        s.setString("NonStopSession", "Y");
        // as the portal guide's initiator config
        s.setString("UseDataDictionary", "Y");
        s.setString("DataDictionary", "FIX44.xml");
        s.setString("ValidateUserDefinedFields", "N");
        s.setString("SocketTcpNoDelay", "Y");
        for (SessionID id : sessions) {
            s.setString(id, "BeginString", id.getBeginString());
            s.setString(id, "SenderCompID", id.getSenderCompID());
            s.setString(id, "TargetCompID", id.getTargetCompID());
        }
        return s;
    }

    private boolean awaitLogons(long timeoutNs) throws InterruptedException {
        long end = System.nanoTime() + timeoutNs;
        while (loggedOn.size() < sessions.size()) {
            String logout = logouts.poll(20, TimeUnit.MILLISECONDS);
            if (logout != null) {
                System.err.println("logon refused: Logout " + logout);
                return false;
            }
            if (System.nanoTime() - end > 0) {
                System.err.printf("only %d of %d sessions logged on within %d s%n", loggedOn.size(), sessions.size(),
                        TimeUnit.NANOSECONDS.toSeconds(timeoutNs));
                return false;
            }
        }
        System.out.printf("%d session(s) logged on%n", sessions.size());
        return true;
    }

    /** One order per session; false (and the reason printed) unless every one's first report is not a rejection. */
    private boolean probe() throws Exception {
        for (int k = 0; k < sessions.size(); k++) {
            String id = plan.probeClOrdId(k);
            if (!Session.lookupSession(sessions.get(k)).send(plan.probe(k))) {
                System.err.println("probe " + id + " not sent");
                return false;
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Message r = null;
            while (r == null && System.nanoTime() - end < 0) {
                Message m = probeReports.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && id.equals(m.getString(11))) {
                    r = m;
                }
            }
            if (r == null) {
                System.err.println("probe " + id + ": no ExecutionReport within 10 s");
                return false;
            }
            if (k == 0) {
                System.out.println("probe: " + r.toString().replace('\u0001', '|'));
            }
            if (r.getChar(150) == FirstReportRecorder.REJECTED) {
                System.err.println("probe " + id + " rejected: OrdRejReason " + (r.isSetField(103) ? r.getString(103)
                        : "-") + " " + (r.isSetField(58) ? r.getString(58) : "") + "; not starting the load");
                return false;
            }
        }
        probeReports.clear();
        return true;
    }

    // ------------------------------------------------------------------ QuickFIX/J callbacks

    @Override
    public void fromApp(Message message, SessionID sessionId) throws FieldNotFound {
        long now = System.nanoTime();
        if (!"8".equals(message.getHeader().getString(35))) {
            return;
        }
        String clOrdId = message.isSetField(11) ? message.getString(11) : null;
        if (plan.isProbe(clOrdId)) {
            probeReports.add(message);
            return;
        }
        FirstReportRecorder rec = recorder;
        if (rec != null) {
            rec.report(plan.index(clOrdId), now, message.getChar(150),
                    message.isSetField(103) ? message.getInt(103) : -1);
        }
    }

    @Override
    public void toAdmin(Message message, SessionID sessionId) {
        try {
            if ("A".equals(message.getHeader().getString(35))) {
                BenchKey key = keys.get(sessionIndex.get(sessionId));
                message.setString(553, key.keyId());
                message.setString(554, key.secret());
            }
        } catch (FieldNotFound e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void fromAdmin(Message message, SessionID sessionId) throws FieldNotFound {
        if ("5".equals(message.getHeader().getString(35))) {
            logouts.add(sessionId + ": " + (message.isSetField(58) ? message.getString(58) : "(no text)"));
        }
    }

    @Override
    public void onLogon(SessionID sessionId) {
        loggedOn.put(sessionId, true);
    }

    @Override
    public void onLogout(SessionID sessionId) {
        loggedOn.remove(sessionId);
    }

    @Override
    public void onCreate(SessionID sessionId) {
    }

    @Override
    public void toApp(Message message, SessionID sessionId) {
    }
}
