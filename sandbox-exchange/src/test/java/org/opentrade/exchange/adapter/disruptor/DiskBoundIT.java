package org.opentrade.exchange.adapter.disruptor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.adapter.csv.UniverseFile;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.domain.sim.Simulator;
import org.opentrade.exchange.domain.sim.SimulatorOptions;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.ExchangeEvent;

/**
 * Disk stays bounded: a month of the default liquidity simulator's traffic, compressed in simulated
 * time (the simulator steps every 100 ms of simulated time as in the service, as fast as the shard
 * takes it), runs through the real shard with its default storage — journal and event-log segments,
 * snapshots by count and by time, 24 h event retention — and the data directory never grows past
 * the stated bound, while the run writes many times that.
 *
 * <p>One instrument of the default universe: each instrument's simulated flow is independent and
 * the same size, so the default 32-instrument universe's bound is the per-instrument figure below
 * times 32 plus the fixed part (README, "Disk").
 */
class DiskBoundIT {
    private static final long DAY = 24L * 3600 * 1000;
    private static final long STEP = Long.getLong("opentrade.diskbound.step", 1000);
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final int DAYS = Integer.getInteger("opentrade.diskbound.days", 30);
    /**
     * The stated bound for one instrument: a day of events (the retention window) plus up to two
     * 16 MiB event segments and two 64 MiB journal segments (deletion is by whole segments), plus
     * snapshots.
     */
    static final long BOUND_BYTES = 250L << 20;

    @TempDir
    Path dir;

    @Test
    void aMonthOfDefaultSimulatorTrafficStaysWithinTheStatedSize() throws Exception {
        InstrumentCatalog all = UniverseFile.loadDefault();
        InstrumentCatalog one = new InstrumentCatalog(List.of(all.all().get(0)));
        ContinuousCalendar calendar = new ContinuousCalendar();
        ShardedExchangeOptions options = ShardedExchangeOptions.defaults(one, calendar)
                .withJournal(dir, FsyncPolicy.NONE);
        ConcurrentLinkedQueue<ExchangeEvent> inbox = new ConcurrentLinkedQueue<>();
        long[] written = {0};
        long peak = 0;
        long dayOneBytes = 0;
        long dayOneRecords = 0;
        long commands = 0;
        long rejections = 0;
        try (ShardedExchange ex = ShardedExchange.start(options, (shard, batch) -> {
            for (ExchangeEvent e : batch) {
                if (Simulator.wants(e)) {
                    inbox.add(e);
                }
            }
        })) {
            Simulator sim = new Simulator(SimulatorOptions.defaults(), one, calendar, Simulator.firstOrderIdFor(T0));
            ArrayDeque<CompletableFuture<CommandResult>> inFlight = new ArrayDeque<>();
            long end = T0 + DAYS * DAY;
            long nextMeasure = T0 + 3_600_000;
            for (long now = T0 + STEP; now <= end; now += STEP) {
                List<ExchangeEvent> seen = new ArrayList<>();
                ExchangeEvent e;
                while ((e = inbox.poll()) != null) {
                    seen.add(e);
                }
                sim.onEvents(seen);
                if (now % 1000 == 0) {
                    inFlight.add(ex.submit(Command.tick(now)).toCompletableFuture());
                }
                for (Command c : sim.step(now)) {
                    inFlight.add(ex.submit(c).toCompletableFuture());
                    commands++;
                }
                while (inFlight.size() > 2_000) {
                    CommandResult r = inFlight.poll().get(30, TimeUnit.SECONDS);
                    rejections += r.isRejected() ? 1 : 0;
                }
                if (now >= nextMeasure) {
                    // Settle what is in flight so the simulator sees every outcome, as the service does.
                    while (!inFlight.isEmpty()) {
                        rejections += inFlight.poll().get(30, TimeUnit.SECONDS).isRejected() ? 1 : 0;
                    }
                    long bytes = bytesUnder(dir);
                    peak = Math.max(peak, bytes);
                    if (now - T0 <= DAY) {
                        // Nothing is pruned within the retention window: bytes per record as written.
                        dayOneBytes = bytes;
                        dayOneRecords = commands + ex.headSeq(0);
                    }
                    nextMeasure += 3_600_000;
                }
            }
            while (!inFlight.isEmpty()) {
                inFlight.poll().get(30, TimeUnit.SECONDS);
            }
            written[0] = ex.headSeq(0);
        }
        long events = written[0];
        // Rejections here are cancels racing fills: the simulator runs up to 2 000 commands ahead of
        // the outcomes it has seen (the service feeds it every 100 ms), so some of its cancels are late.
        System.out.printf("disk bound: %d days, %d commands (%d rejected), %d events, peak %.1f MiB (bound %d MiB)%n",
                DAYS, commands, rejections, events, peak / 1048576.0, BOUND_BYTES >> 20);
        assertTrue(commands > DAYS * 86_400L / 4, "the simulator kept trading: " + commands + " commands");
        assertTrue(peak <= BOUND_BYTES, "peak disk " + peak + " bytes over the bound " + BOUND_BYTES);
        long unpruned = dayOneBytes * (commands + events) / dayOneRecords;
        System.out.printf("disk bound: without pruning the run would keep about %.1f MiB%n", unpruned / 1048576.0);
        assertTrue(peak * 3 < unpruned || DAYS < 7,
                "the run must write far more than it keeps, or pruning proves nothing: peak " + peak + " of " + unpruned);
    }

    /** Bytes of the files under {@code root}; files the shard deletes meanwhile count as gone. */
    private static long bytesUnder(Path root) throws IOException {
        long[] total = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                total[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException gone) {
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

}
