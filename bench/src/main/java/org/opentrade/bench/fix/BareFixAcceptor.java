package org.opentrade.bench.fix;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.opentrade.trade.adapter.fix.FixAcceptor;
import org.opentrade.trade.adapter.fix.QuietFixLog;
import quickfix.Application;
import quickfix.FieldNotFound;
import quickfix.FileStoreFactory;
import quickfix.LogFactory;
import quickfix.MemoryStoreFactory;
import quickfix.Message;
import quickfix.MessageFactory;
import quickfix.MessageStoreFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionNotFound;
import quickfix.SessionSettings;
import quickfix.ThreadedSocketAcceptor;
import quickfix.fix44.ExecutionReport;
import quickfix.mina.acceptor.DynamicAcceptorSessionProvider;

/**
 * The floor of the FIX benchmark: a bare QuickFIX/J 4.4 acceptor that answers every NewOrderSingle at
 * once with an ExecutionReport New (ExecType 0, OrdStatus 0, LeavesQty = OrderQty, CumQty 0), on the
 * session's own thread — no risk check, no ledger, no exchange, no hop to another thread. Everything
 * the FIX engine itself does is the same as in trade-api's acceptor ({@code adapter/fix/FixAcceptor}):
 * {@link ThreadedSocketAcceptor} (one thread per session), a dynamic session per SenderCompID
 * (TargetCompID {@code OPENTRADE}), the FIX44 data dictionary with the same validation settings, the
 * same persistence ({@link FileStoreFactory}, {@code PersistMessages=Y}, no fsync: QuickFIX/J's default
 * {@code FileStoreSync=N}, as in trade-api), a log that writes no message, TCP_NODELAY. Any Logon is
 * accepted (Username/Password are not checked). {@code --store memory} swaps in the memory store to show
 * what the file store costs.
 *
 * <pre>
 * java -cp benchmarks.jar org.opentrade.bench.fix.BareFixAcceptor --port 18878 --store-dir DIR [--store file|memory]
 * </pre>
 * Prints {@code READY port=<port>} once listening; runs until killed.
 */
public final class BareFixAcceptor implements Application {
    static final String COMP_ID = "OPENTRADE";

    private final AtomicLong orderIds = new AtomicLong();

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 18878;
        Path storeDir = null;
        boolean fileStore = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--store-dir" -> storeDir = Path.of(args[++i]);
                case "--store" -> fileStore = switch (args[++i]) {
                    case "file" -> true;
                    case "memory" -> false;
                    default -> throw usage("--store is file or memory");
                };
                default -> throw usage("unknown argument " + args[i]);
            }
        }
        if (fileStore && storeDir == null) {
            throw usage("--store-dir is required with the file store");
        }
        // trade-api's acceptor settings, key for key (a null store dir for the memory store)
        SessionSettings settings = FixAcceptor.sessionSettings(host, port, fileStore ? storeDir : null);
        MessageStoreFactory store;
        if (fileStore) {
            Files.createDirectories(storeDir);
            store = new FileStoreFactory(settings);
        } else {
            store = new MemoryStoreFactory();
        }
        LogFactory log = QuietFixLog.factory();
        MessageFactory messages = new quickfix.fix44.MessageFactory(); // as trade-api's acceptor
        BareFixAcceptor app = new BareFixAcceptor();
        ThreadedSocketAcceptor acceptor = new ThreadedSocketAcceptor(app, store, settings, log, messages);
        acceptor.setSessionProvider(new InetSocketAddress(host, port),
                new DynamicAcceptorSessionProvider(settings, template(), app, store, log, messages));
        acceptor.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> acceptor.stop(true), "bare-fix-stop"));
        System.out.printf("READY port=%d store=%s%n", port, fileStore ? "file:" + storeDir : "memory");
        new CountDownLatch(1).await(); // until killed
    }

    private static IllegalArgumentException usage(String why) {
        System.err.println(why + "\nusage: BareFixAcceptor [--host H] [--port P] --store-dir DIR [--store file|memory]");
        System.exit(2);
        return new IllegalArgumentException(why);
    }

    private static SessionID template() {
        return new SessionID("FIX.4.4", COMP_ID, DynamicAcceptorSessionProvider.WILDCARD);
    }

    /** NewOrderSingle → ExecutionReport New at once, on the session's thread. */
    @Override
    public void fromApp(Message m, SessionID sessionId) throws FieldNotFound {
        if (!"D".equals(m.getHeader().getString(35))) {
            return;
        }
        long id = orderIds.incrementAndGet();
        ExecutionReport r = new ExecutionReport();
        r.setString(37, Long.toString(id)); // OrderID
        r.setString(17, id + "-1"); // ExecID
        r.setChar(150, '0'); // ExecType New
        r.setChar(39, '0'); // OrdStatus New
        r.setString(11, m.getString(11));
        r.setString(55, m.getString(55));
        r.setChar(54, m.getChar(54));
        r.setChar(40, m.getChar(40));
        if (m.isSetField(59)) {
            r.setChar(59, m.getChar(59));
        }
        if (m.isSetField(44)) {
            r.setString(44, m.getString(44));
        }
        r.setString(38, m.getString(38));
        r.setString(151, m.getString(38)); // LeavesQty
        r.setInt(14, 0); // CumQty
        r.setInt(6, 0); // AvgPx
        r.setString(60, m.getString(60));
        try {
            Session.sendToTarget(r, sessionId);
        } catch (SessionNotFound e) {
            // the session went away between the order and its answer: nothing to answer
        }
    }

    @Override
    public void onCreate(SessionID sessionId) {
    }

    @Override
    public void onLogon(SessionID sessionId) {
    }

    @Override
    public void onLogout(SessionID sessionId) {
    }

    @Override
    public void toAdmin(Message message, SessionID sessionId) {
    }

    @Override
    public void fromAdmin(Message message, SessionID sessionId) {
    }

    @Override
    public void toApp(Message message, SessionID sessionId) {
    }
}
