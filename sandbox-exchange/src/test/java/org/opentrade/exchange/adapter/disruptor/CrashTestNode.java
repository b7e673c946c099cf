package org.opentrade.exchange.adapter.disruptor;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.model.TradingCalendar;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.port.EventPublisher;
import org.opentrade.exchange.testing.CrashLoad;
import org.opentrade.exchange.testing.CrashUniverse;

/**
 * The process that {@link CrashRecoveryIT} kills. {@code load <dir> <seed>} runs the real runtime
 * (journal, snapshots, two shards) under a random mixed load and prints one line per acknowledged
 * command: {@code ACK <shard> <journalSeq> <type> <orderId>}, only once its result came back.
 * {@code recover <dir>} recovers, prints {@code HASH <shard> <stateHash>} per shard, and exits.
 * The load stops by itself after 60 s or 200 000 commands.
 */
public final class CrashTestNode {
    static final int SHARDS = 2;
    static final long SNAPSHOT_EVERY = 1_000;
    static final long T0 = 1_767_225_600_000L;
    static final String[] SYMBOLS = CrashUniverse.SYMBOLS;
    static final long[] PRICES = CrashUniverse.PRICES;
    static final InstrumentCatalog CATALOG = CrashUniverse.CATALOG;
    static final TradingCalendar CALENDAR = CrashUniverse.CALENDAR;


    private CrashTestNode() {
    }

    static ShardedExchangeOptions options(Path dir) {
        return new ShardedExchangeOptions(SHARDS, dir, FsyncPolicy.BATCH, 4096, SNAPSHOT_EVERY, CATALOG, CALENDAR);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("recover")) {
            ShardedExchange ex = ShardedExchange.start(options(dir), EventPublisher.NONE);
            ex.close();
            List<String> hashes = ex.stateHashes();
            for (int i = 0; i < hashes.size(); i++) {
                System.out.println("HASH " + i + " " + hashes.get(i));
            }
            System.out.flush();
            return;
        }
        load(dir, Long.parseLong(args[2]));
    }

    private static void load(Path dir, long seed) throws InterruptedException {
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII));
        ShardedExchange ex = ShardedExchange.start(options(dir), EventPublisher.NONE);
        CrashLoad load = new CrashLoad(seed, 1);
        Semaphore inFlight = new Semaphore(256);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        System.out.println("READY");
        System.out.flush();
        for (int n = 0; n < 200_000 && System.nanoTime() < deadline; n++) {
            Command c = load.next(T0 + n * 50L); // 50 ms per command: crosses several day ends over the run
            inFlight.acquire();
            Command sent = c;
            int shard = ShardedExchange.shardOf(sent.symbol(), SHARDS);
            ex.submit(sent).whenComplete((result, error) -> {
                try {
                    if (result != null && result.journalSeq() > 0) {
                        synchronized (out) {
                            out.write("ACK " + shard + " " + result.journalSeq() + " " + sent.type() + " "
                                    + sent.orderId() + "\n");
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    inFlight.release();
                }
            });
        }
        ex.close();
    }

    /** Parses an ACK line into {shard, journalSeq, type ordinal, orderId}, or null. */
    static long[] parseAck(String line) {
        String[] f = line.split(" ");
        if (f.length != 5 || !f[0].equals("ACK")) {
            return null;
        }
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), CommandType.valueOf(f[3]).ordinal(),
                Long.parseLong(f[4])};
    }
}
