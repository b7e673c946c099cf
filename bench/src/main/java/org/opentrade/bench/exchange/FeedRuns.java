package org.opentrade.bench.exchange;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.client.feed.FeedConsumerOptions;
import org.opentrade.exchange.client.feed.ShardStats;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.FeedBatch;

/**
 * The measured feed runs on a {@link FeedRig}: live (a consumer following the exchange while
 * commands are driven in), catch-up (a fresh consumer replaying the idle exchange's log through the
 * bus) and raw replay (the log read without the bus). Each prints one line of figures plus the CPU
 * its threads used, and returns them. Called from the harness thread, which also drives commands.
 */
final class FeedRuns {
    private static final long WAIT_SECONDS = 300;
    /** The shard thread's name prefix (ExchangeShard names it); its OS name is cut to 15 characters. */
    private static final String SHARD_THREAD = "exchange-shard";
    private static final String WORKERS = "vert.x-worker-thread-";

    private FeedRuns() {
    }

    /** CPU per unit of work by thread, in nanoseconds, and how many cores the whole JVM used. */
    record Costs(double shardPerCommand, double producerPerCommand, double exchangeLoopPerEvent,
                 double consumerPerEvent, double workersPerEvent, double jvmCores, double shardWaitingForCpu) {
    }

    /** What one live run measured. */
    record Live(CommandDriver.Outcome driver, FeedCounter.Window window, long events, ShardStats stats, Costs costs,
                long gcCount, long gcMillis) {
        double consumerEventsPerSecond() {
            return events * 1e9 / window.nanos();
        }

        /** How long after the exchange completed the last command the consumer had its last event. */
        double lagMillis() {
            return (window.lastNanos() - driver.completedNanos()) / 1e6;
        }

        Live best(Live other) {
            return other != null && other.consumerEventsPerSecond() > consumerEventsPerSecond() ? other : this;
        }
    }

    /** What one catch-up measured. */
    record CatchUp(int page, long events, double eventsPerSecond, Costs costs) {
    }

    /**
     * Follows the rig's exchange with one consumer from its first event, warms the exchange to the
     * stream's steady state, then submits the first {@code n} measured commands ({@code rate} 0: as
     * fast as the exchange takes them) and times the consumer over their {@code expected} events.
     */
    static Live live(FeedRig rig, MixedStream stream, int n, long expected, long rate, String label) {
        FeedRig.Consumer consumer = rig.consumer(FeedConsumerOptions.DEFAULT_REPLAY_PAGE_SIZE);
        consumer.feed().start();
        wait(consumer.counter().live(), () -> "the consumer going live");
        ShardedExchange exchange = rig.exchange();
        Command[] warmup = stream.warmup();
        CommandDriver.drive(exchange, warmup, 0, warmup.length, 0, rig.window());
        long start = exchange.headSeq(0);
        wait(consumer.counter().awaitSeq(start), () -> "the consumer catching up with the warm-up");
        CompletableFuture<FeedCounter.Window> window = consumer.counter().expect(start + 1, start + expected);
        System.gc(); // outside measurement: warm-up garbage
        long[] gc0 = collections();
        SectionRecorder recorder = SectionRecorder.start(label, "live-" + label);
        ThreadCpu cpu0 = ThreadCpu.now();
        SchedStat shard0 = SchedStat.of(SHARD_THREAD);
        SchedStat jvm0 = SchedStat.of("");
        CommandDriver.Outcome driven = CommandDriver.drive(exchange, stream.commands(), 0, n, rate, rig.window());
        FeedCounter.Window w = wait(window, () -> "the consumer receiving event " + (start + expected) + " (stats: "
                + consumer.feed().stats(0) + ")");
        ThreadCpu cpu1 = ThreadCpu.now();
        SchedStat shard1 = SchedStat.of(SHARD_THREAD);
        SchedStat jvm1 = SchedStat.of("");
        recorder.stop();
        long[] gc1 = collections();
        if (exchange.headSeq(0) != start + expected) {
            throw new IllegalStateException("the exchange emitted " + (exchange.headSeq(0) - start) + " events for "
                    + "the measured commands, the engine alone " + expected);
        }
        ShardStats stats = consumer.feed().stats(0);
        consumer.feed().stop();
        Costs costs = new Costs(cpu1.nanosOfNamed(SHARD_THREAD, cpu0) / (double) n,
                cpu1.nanosOf(Thread.currentThread(), cpu0) / (double) n,
                cpu1.nanosOf(rig.exchangeThread(), cpu0) / (double) expected,
                cpu1.nanosOf(consumer.thread(), cpu0) / (double) expected,
                cpu1.nanosOfNamed(WORKERS, cpu0) / (double) expected, cpu1.coresSince(cpu0),
                shard1.waitingShare(shard0));
        Live run = new Live(driven, w, expected, stats, costs, gc1[0] - gc0[0], gc1[1] - gc0[1]);
        System.out.printf(Locale.ROOT, "  %s: %,d commands %s -> exchange completed %,.0f commands/s (ring full %,d"
                        + " times); consumer %,d events in %.3f s = %,.0f events/s; its last event %.1f ms after the"
                        + " last command completed%n", label, n,
                rate == 0 ? "as fast as taken" : String.format(Locale.ROOT, "paced at %,d/s", rate),
                driven.commandsPerSecond(), driven.overloaded(), expected, w.nanos() / 1e9,
                run.consumerEventsPerSecond(), run.lagMillis());
        System.out.printf(Locale.ROOT, "    CPU: shard thread %.0f ns/command, producer %.0f ns/command, exchange event"
                        + " loop %.0f ns/event, consumer event loop %.0f ns/event; %s%n", costs.shardPerCommand(),
                costs.producerPerCommand(), costs.exchangeLoopPerEvent(), costs.consumerPerEvent(),
                cpu1.busiestSince(cpu0));
        System.out.printf(Locale.ROOT, "    scheduler: shard thread %s; all JVM threads %s%n",
                shard1.since(shard0, 1), jvm1.since(jvm0, 0));
        System.out.printf(Locale.ROOT, "    consumer: resumes %d, gaps %d, duplicates %d, retries %d, buffer overflows"
                        + " %d; GC during the run: %d collections, %d ms%n", stats.resumes(), stats.gaps(),
                stats.duplicates(), stats.retries(), stats.bufferOverflows(), run.gcCount(), run.gcMillis());
        return run;
    }

    /** A fresh consumer from position 0 to the idle exchange's head; events/s timed from {@code start()}. */
    static CatchUp catchUp(FeedRig rig, int page, String label) {
        long head = rig.exchange().headSeq(0);
        FeedRig.Consumer consumer = rig.consumer(page);
        CompletableFuture<FeedCounter.Window> window = consumer.counter().expect(1, head);
        System.gc();
        SectionRecorder recorder = SectionRecorder.start(label, "catch-up-page-" + page);
        ThreadCpu cpu0 = ThreadCpu.now();
        long t0 = System.nanoTime();
        consumer.feed().start();
        FeedCounter.Window w = wait(window, () -> "catch-up to " + head + " (stats: " + consumer.feed().stats(0) + ")");
        ThreadCpu cpu1 = ThreadCpu.now();
        recorder.stop();
        ShardStats stats = consumer.feed().stats(0);
        consumer.feed().stop();
        double rate = head * 1e9 / (w.lastNanos() - t0);
        Costs costs = new Costs(0, 0, cpu1.nanosOf(rig.exchangeThread(), cpu0) / (double) head,
                cpu1.nanosOf(consumer.thread(), cpu0) / (double) head,
                cpu1.nanosOfNamed(WORKERS, cpu0) / (double) head, cpu1.coresSince(cpu0), Double.NaN);
        System.out.printf(Locale.ROOT, "  %s: catch-up through FeedEndpoint, page %,d: %,d events in %.3f s = %,.0f"
                        + " events/s (first event after %.1f ms; retries %d)%n", label, page, head,
                (w.lastNanos() - t0) / 1e9, rate, (w.firstNanos() - t0) / 1e6, stats.retries());
        System.out.printf(Locale.ROOT, "    CPU: workers (log reads) %.0f ns/event, exchange event loop %.0f ns/event,"
                        + " consumer event loop %.0f ns/event; %s%n", costs.workersPerEvent(),
                costs.exchangeLoopPerEvent(), costs.consumerPerEvent(), cpu1.busiestSince(cpu0));
        return new CatchUp(page, head, rate, costs);
    }

    /** {@link ShardedExchange#replay} page after page on this thread, no bus: the event log's read rate. */
    static double rawReplay(FeedRig rig, int page, String label) {
        ShardedExchange exchange = rig.exchange();
        long head = exchange.headSeq(0);
        long after = 0;
        SectionRecorder recorder = SectionRecorder.start(label, "raw-replay-page-" + page);
        long t0 = System.nanoTime();
        while (after < head) {
            FeedBatch b = exchange.replay(0, after, page);
            if (!b.isOk() || b.events().isEmpty() || b.firstSeq() != after + 1) {
                throw new IllegalStateException("replay after " + after + " answered " + b.code() + " with "
                        + b.events().size() + " events from " + b.firstSeq());
            }
            after = b.lastSeq();
        }
        double rate = head * 1e9 / (System.nanoTime() - t0);
        recorder.stop();
        System.out.printf(Locale.ROOT, "  %s: raw ShardedExchange.replay, page %,d, one thread: %,.0f events/s"
                + " (%.0f ns/event)%n", label, page, rate, 1e9 / rate);
        return rate;
    }

    static <T> T wait(CompletableFuture<T> f, Supplier<String> what) {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("gave up after " + WAIT_SECONDS + " s waiting for " + what.get(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("failed waiting for " + what.get() + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + what.get(), e);
        }
    }

    private static long[] collections() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }
}
