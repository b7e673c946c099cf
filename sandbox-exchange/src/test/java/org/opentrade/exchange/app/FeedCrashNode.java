package org.opentrade.exchange.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.adapter.disruptor.ShardedExchangeOptions;
import org.opentrade.exchange.adapter.eventbus.EventBusPublisher;
import org.opentrade.exchange.adapter.eventbus.FeedEndpoint;
import org.opentrade.exchange.adapter.eventbus.SnapshotEndpoint;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.client.FeedBatchCodec;
import org.opentrade.exchange.client.feed.FeedConsumer;
import org.opentrade.exchange.client.feed.FeedConsumerOptions;
import org.opentrade.exchange.client.feed.FeedHandler;
import org.opentrade.exchange.client.feed.eventbus.FeedConsumers;
import org.opentrade.exchange.domain.ExchangeListener;
import org.opentrade.exchange.domain.FastOrderBook;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.domain.Order;
import org.opentrade.exchange.domain.OrderBook;
import org.opentrade.exchange.domain.OrderIndex;
import org.opentrade.exchange.model.TradingCalendar;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.testing.CrashLoad;
import org.opentrade.exchange.testing.CrashUniverse;
import org.opentrade.exchange.testing.DelegatingBook;

/**
 * The two processes {@link FeedExactlyOnceIT} kills, joined by a clustered event bus (Hazelcast on
 * 127.0.0.1, as in distributed mode).
 *
 * <ul>
 *   <li>{@code exchange <dir> <run> <clusterPort> <loadSeconds>}: the exchange with its feed
 *   endpoints, journal and event log under {@code dir}, a heartbeat every 200 ms, and a random mixed
 *   load of about 1 500 commands/s for {@code loadSeconds}; one order of every run is poisoned (the
 *   engine throws on it). Prints {@code READY}, then {@code HEAD <shard> <seq>} lines once the load
 *   is done, and keeps serving until killed.</li>
 *   <li>{@code consumer <dir> <clusterPort>}: a durable feed consumer whose handler appends one line
 *   per event to {@code dir/shard-N.events} and takes its position from the last complete line (the
 *   handler-owned checkpoint: the data is the position). Prints {@code READY}; exits with 3 when it
 *   sees an event out of order, which the library must never deliver.</li>
 * </ul>
 */
public final class FeedCrashNode {
    static final int SHARDS = 2;
    static final String[] SYMBOLS = CrashUniverse.SYMBOLS;
    static final long[] PRICES = CrashUniverse.PRICES;
    static final InstrumentCatalog CATALOG = CrashUniverse.CATALOG;
    static final TradingCalendar CALENDAR = CrashUniverse.CALENDAR;
    /** Order ids of run r are r * RUN_IDS + n; the poisoned one of each run is r * RUN_IDS + 777. */
    static final long RUN_IDS = 10_000_000L;


    private FeedCrashNode() {
    }

    static boolean poisoned(long orderId) {
        return orderId % RUN_IDS == 777;
    }

    /** Books that throw when a poisoned order reaches them: the same in every process and the clean replay. */
    static OrderBook.Factory poisonedBooks() {
        return (symbol, index) -> new PoisonedBook(symbol, index);
    }

    static ShardedExchangeOptions options(Path dir) {
        return new ShardedExchangeOptions(SHARDS, dir, FsyncPolicy.NONE, 4096, 1_000, CATALOG, CALENDAR)
                .withBookFactory(poisonedBooks());
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("exchange")) {
            exchange(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
        } else {
            consumer(Path.of(args[1]), Integer.parseInt(args[2]));
        }
    }

    static Vertx clustered(int port) throws Exception {
        Config hz = ConfigUtil.loadConfig();
        hz.setClusterName("opentrade-feed-it-" + port);
        hz.setProperty("hazelcast.logging.type", "none");
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        hz.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        hz.setProperty("hazelcast.merge.first.run.delay.seconds", "2");
        // As ClusteredVertx sets it for the services: the master admits joiners after 1 s, not Hazelcast's 5 s.
        hz.setProperty("hazelcast.wait.seconds.before.join", "1");
        hz.setProperty("hazelcast.max.wait.seconds.before.join", "5");
        NetworkConfig net = hz.getNetworkConfig();
        net.setPort(port).setPortAutoIncrement(true).setPortCount(10);
        net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (int p = port; p < port + 10; p++) {
            join.getTcpIpConfig().addMember("127.0.0.1:" + p);
        }
        VertxOptions options = new VertxOptions();
        options.getEventBusOptions().setHost("127.0.0.1").setPort(0);
        return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hz)).buildClustered()
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static void exchange(Path dir, long run, int port, int loadSeconds) throws Exception {
        Vertx vertx = clustered(port);
        FeedBatchCodec.register(vertx);
        Context ctx = vertx.getOrCreateContext();
        EventBusPublisher publisher = new EventBusPublisher(vertx.eventBus(), ctx, SHARDS, false);
        ShardedExchange ex = ShardedExchange.start(options(dir), publisher);
        FeedEndpoint.register(vertx, ex).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        SnapshotEndpoint.register(vertx, ex).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        ctx.runOnContext(v -> {
            for (int i = 0; i < SHARDS; i++) {
                publisher.startAt(i, ex.headSeq(i));
            }
            vertx.setPeriodic(200, t -> {
                long[] first = new long[SHARDS];
                for (int i = 0; i < SHARDS; i++) {
                    first[i] = ex.firstKeptSeq(i);
                }
                publisher.heartbeat(first);
            });
        });
        System.out.println("READY");
        System.out.flush();
        load(ex, run, loadSeconds);
        for (int i = 0; i < SHARDS; i++) {
            System.out.println("HEAD " + i + " " + ex.headSeq(i));
        }
        System.out.flush();
        Thread.currentThread().join(); // serve replays until killed
    }

    private static void load(ShardedExchange ex, long run, int seconds) throws InterruptedException {
        CrashLoad commands = new CrashLoad(run, run * RUN_IDS + 1);
        Semaphore inFlight = new Semaphore(256);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long pace = System.nanoTime();
        while (System.nanoTime() < deadline) {
            pace += 666_667; // about 1 500 commands/s
            long wait = pace - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Command c = commands.next(System.currentTimeMillis());
            inFlight.acquire();
            ex.submit(c).whenComplete((result, error) -> inFlight.release());
        }
        inFlight.acquire(256);
        inFlight.release(256);
    }

    /** One line per event: what the comparison with a clean replay needs. */
    static String line(ExchangeEvent e) {
        return e.seq() + " " + e.type() + " " + e.orderId() + " " + e.counterOrderId() + " " + e.qty() + " "
                + e.leavesQty() + " " + e.resultCode().code();
    }

    private static void consumer(Path dir, int port) throws Exception {
        Files.createDirectories(dir);
        Vertx vertx = clustered(port);
        FeedBatchCodec.register(vertx);
        EventFiles files = new EventFiles(dir);
        FeedConsumer consumer = FeedConsumers.onEventBus(vertx, files, FeedConsumerOptions.defaults()
                .withConsumerName("crash-test").withRetry(50, 1_000));
        consumer.start();
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The consumer's durable state: per shard a file of event lines; its last complete line is the position. */
    static final class EventFiles implements FeedHandler {
        private final RandomAccessFile[] files = new RandomAccessFile[SHARDS];
        private final long[] position = new long[SHARDS];

        EventFiles(Path dir) throws IOException {
            for (int s = 0; s < SHARDS; s++) {
                Path p = dir.resolve("shard-" + s + ".events");
                RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw");
                position[s] = recover(f);
                files[s] = f;
            }
        }

        /** Cuts a torn last line (the process died mid-write) and returns the last complete line's seq. */
        private static long recover(RandomAccessFile f) throws IOException {
            long len = f.length();
            long end = len;
            while (end > 0) {
                f.seek(end - 1);
                if (f.read() == '\n') {
                    break;
                }
                end--;
            }
            f.setLength(end);
            if (end == 0) {
                return 0;
            }
            long start = end - 1;
            while (start > 0) {
                f.seek(start - 1);
                if (f.read() == '\n') {
                    break;
                }
                start--;
            }
            f.seek(start);
            String last = f.readLine();
            f.seek(end);
            return Long.parseLong(last.substring(0, last.indexOf(' ')));
        }

        @Override
        public long position(int shard) {
            return position[shard];
        }

        @Override
        public void onEvent(ExchangeEvent e) {
            int s = e.shard();
            if (e.seq() != position[s] + 1) {
                System.out.println("VIOLATION shard " + s + " expected " + (position[s] + 1) + " got " + e.seq());
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }
            try {
                files[s].write((line(e) + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            position[s] = e.seq();
        }

        @Override
        public void onTruncated(int shard, long pos, long firstKeptSeq) {
            System.out.println("TRUNCATED shard " + shard + " at " + pos + " first kept " + firstKeptSeq);
            System.out.flush();
        }
    }

    /** Throws when a poisoned order reaches the book, after the engine accepted it. */
    private static final class PoisonedBook extends DelegatingBook {
        PoisonedBook(String symbol, OrderIndex index) {
            super(new FastOrderBook(symbol, index));
        }

        @Override
        public boolean match(Order taker, boolean preventSelfTrade, ExchangeListener listener) {
            if (poisoned(taker.id())) {
                throw new IllegalStateException("poisoned order " + taker.id());
            }
            return super.match(taker, preventSelfTrade, listener);
        }
    }
}
