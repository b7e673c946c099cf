package org.opentrade.gateway.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opentrade.gateway.port.Await.result;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.domain.UsageRow;
import org.opentrade.gateway.domain.UsageSample;

/** What every {@link UsageMeter} does; each adapter's test extends this with its own meter. */
public abstract class UsageMeterContract {

    /** A fresh meter on an empty store. */
    protected abstract UsageMeter newMeter() throws Exception;

    /** Closes {@code meter} and opens it again on the same data (embedded: same directory; Redis: same server). */
    protected abstract UsageMeter reopen(UsageMeter meter) throws Exception;

    protected UsageMeter meter;

    /** A recent minute, so no store's retention drops the rows. */
    protected final long minute = System.currentTimeMillis() / 60_000 - 10;

    private static final String GET_A = "GET /v1/a";
    private static final String GET_B = "GET /v1/b/{id}";

    @BeforeEach
    protected void openMeter() throws Exception {
        meter = newMeter();
    }

    @AfterEach
    protected void closeMeter() throws Exception {
        if (meter != null) {
            result(meter.close());
        }
    }

    private void call(String key, String route, long epochMinute, int status, long latencyMicros) {
        meter.record(new UsageSample(key, route, epochMinute, status, latencyMicros));
    }

    /** The calls of {@link #rowsAggregatePerKeyRouteAndMinute}, and the rows they make. */
    private List<UsageRow> recordMixedCalls() {
        call("k1", GET_A, minute, 200, 100);
        call("k1", GET_A, minute, 302, 300);
        call("k1", GET_A, minute, 404, 50);
        call("k1", GET_A, minute, 503, 1000);
        call("k1", GET_A, minute, 101, 1);
        call("k1", GET_B, minute, 201, 10);
        call("k2", GET_A, minute, 500, 7);
        call("k1", GET_A, minute + 1, 429, 5);
        return List.of(
                new UsageRow("k1", GET_A, minute, 3, 1, 1, 1451, 1000),
                new UsageRow("k1", GET_B, minute, 1, 0, 0, 10, 10),
                new UsageRow("k2", GET_A, minute, 0, 0, 1, 7, 7),
                new UsageRow("k1", GET_A, minute + 1, 0, 1, 0, 5, 5));
    }

    @Test
    public void rowsAggregatePerKeyRouteAndMinute() throws Exception {
        List<UsageRow> expected = recordMixedCalls();
        result(meter.flush());

        assertEquals(expected, result(meter.usage(List.of("k1", "k2"), minute, minute + 2)));
    }

    @Test
    public void usageIncludesCallsNotYetFlushed() throws Exception {
        List<UsageRow> expected = recordMixedCalls();

        assertEquals(expected, result(meter.usage(List.of("k1", "k2"), minute, minute + 2)));
    }

    @Test
    public void flushedAndUnflushedCallsOfOneRowAddUp() throws Exception {
        call("k1", GET_A, minute, 200, 40);
        call("k1", GET_A, minute, 500, 90);
        result(meter.flush());
        call("k1", GET_A, minute, 200, 60);

        assertEquals(List.of(new UsageRow("k1", GET_A, minute, 2, 0, 1, 190, 90)),
                result(meter.usage(List.of("k1"), minute, minute + 1)));

        result(meter.flush());
        assertEquals(List.of(new UsageRow("k1", GET_A, minute, 2, 0, 1, 190, 90)),
                result(meter.usage(List.of("k1"), minute, minute + 1)));
    }

    @Test
    public void usageFiltersByKeysAndMinuteRange() throws Exception {
        List<UsageRow> all = recordMixedCalls();
        result(meter.flush());

        assertEquals(List.of(all.get(0), all.get(1), all.get(3)), result(meter.usage(List.of("k1"), minute, minute + 2)));
        assertEquals(List.of(all.get(2)), result(meter.usage(List.of("k2", "k-unknown"), minute, minute + 2)));
        assertEquals(List.of(all.get(0), all.get(1), all.get(2)),
                result(meter.usage(List.of("k1", "k2"), minute, minute + 1)));
        assertEquals(List.of(all.get(3)), result(meter.usage(List.of("k1", "k2"), minute + 1, minute + 5)));
        assertEquals(List.of(), result(meter.usage(List.of("k1", "k2"), minute - 5, minute)));
        assertEquals(List.of(), result(meter.usage(List.of(), minute, minute + 2)));
    }

    /**
     * A query answers at most maxRows rows in whole minutes (the first minute whatever its rows), and the minute the
     * next page starts at; the pages of a window hold each of its rows once, flushed or not, across keys whose
     * minutes interleave.
     */
    @Test
    public void pagesHoldWholeMinutesUpToMaxRowsAndTogetherEveryRowOnce() throws Exception {
        long base = minute - 30;
        for (long m = base; m < base + 10; m++) {
            for (String route : new String[] {GET_A, GET_B, "GET /v1/c"}) {
                call("k1", route, m, 200, 5);
            }
        }
        result(meter.flush());
        for (long m = base + 5; m < base + 12; m++) {
            call("k2", GET_A, m, 200, 5); // not flushed
        }
        List<UsageRow> all = result(meter.usage(List.of("k1", "k2"), base, base + 20));
        assertEquals(37, all.size());

        org.opentrade.gateway.domain.UsagePage first = result(meter.usage(List.of("k1", "k2"), base, base + 20, 7));
        assertEquals(all.subList(0, 6), first.rows());
        assertEquals(base + 2, first.nextMinute());

        List<UsageRow> paged = new ArrayList<>();
        long from = base;
        int pages = 0;
        while (from != org.opentrade.gateway.domain.UsagePage.NO_MORE && pages++ < 40) {
            org.opentrade.gateway.domain.UsagePage page = result(meter.usage(List.of("k1", "k2"), from, base + 20, 7));
            org.junit.jupiter.api.Assertions.assertTrue(page.rows().size() <= 7, page.rows().toString());
            paged.addAll(page.rows());
            from = page.nextMinute();
        }
        assertEquals(all, paged);

        org.opentrade.gateway.domain.UsagePage over = result(meter.usage(List.of("k1"), base, base + 20, 2));
        assertEquals(all.subList(0, 3), over.rows(), "the first minute whole, though over maxRows");
        assertEquals(base + 1, over.nextMinute());
    }

    @Test
    public void flushedUsageSurvivesReopen() throws Exception {
        List<UsageRow> expected = recordMixedCalls();
        result(meter.flush());

        meter = reopen(meter);

        assertEquals(expected, result(meter.usage(List.of("k1", "k2"), minute, minute + 2)));
    }

    @Test
    public void closingFlushesPendingCalls() throws Exception {
        List<UsageRow> expected = recordMixedCalls();

        meter = reopen(meter);

        assertEquals(expected, result(meter.usage(List.of("k1", "k2"), minute, minute + 2)));
    }

    @Test
    public void concurrentRecordsWhileFlushingLoseNothing() throws Exception {
        int threads = 8;
        int callsEach = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean recording = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            // Flushes race the records, so counters are taken and retired while threads add to them.
            Future<?> flusher = pool.submit(() -> {
                start.await();
                while (recording.get()) {
                    result(meter.flush());
                }
                return null;
            });
            List<Future<?>> recorders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                recorders.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < callsEach; i++) {
                        // Half on one shared row, half spread over rows of this thread.
                        String route = i % 2 == 0 ? GET_A : "GET /v1/t" + thread + "/" + (i % 7);
                        call("k1", route, minute + (i % 3 == 0 ? 1 : 0), i % 5 == 0 ? 500 : 200, 3);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : recorders) {
                f.get();
            }
            recording.set(false);
            flusher.get();
        } finally {
            pool.shutdownNow();
        }
        result(meter.flush());

        List<UsageRow> rows = result(meter.usage(List.of("k1"), minute, minute + 2));
        long calls = rows.stream().mapToLong(UsageRow::calls).sum();
        long errors = rows.stream().mapToLong(UsageRow::calls5xx).sum();
        long latency = rows.stream().mapToLong(UsageRow::latencyMicrosTotal).sum();
        assertEquals((long) threads * callsEach, calls);
        assertEquals((long) threads * (callsEach / 5), errors);
        assertEquals(3L * threads * callsEach, latency);
        assertEquals(3L, rows.stream().mapToLong(UsageRow::latencyMicrosMax).max().orElseThrow());
    }
}
