package org.opentrade.gateway.adapter.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opentrade.gateway.port.Await.result;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.domain.UsageSample;
import org.opentrade.gateway.port.Await;
import org.opentrade.gateway.port.UsageMeter;
import org.opentrade.gateway.port.UsageMeterContract;

class EmbeddedUsageMeterTest extends UsageMeterContract {
    private static final long RETENTION_MINUTES = 8 * 24 * 60;

    @TempDir
    Path dir;

    @Override
    protected UsageMeter newMeter() throws Exception {
        return EmbeddedUsageMeter.open(dir, RETENTION_MINUTES);
    }

    @Override
    protected UsageMeter reopen(UsageMeter meter) throws Exception {
        Await.result(meter.close());
        return EmbeddedUsageMeter.open(dir, RETENTION_MINUTES);
    }

    @Test
    void rowsPastTheRetentionAreDroppedWhileRunningFromMemoryAndDisk() throws Exception {
        AtomicLong now = new AtomicLong(1_800_000_000_000L);
        long start = now.get() / 60_000;
        EmbeddedUsageMeter m = EmbeddedUsageMeter.open(dir.resolve("pruned"), 10, now::get);
        try {
            m.record(new UsageSample("k1", "GET /v1/a", start, 200, 10));
            m.record(new UsageSample("k2", "GET /v1/a", start, 200, 10));
            result(m.flush());
            assertEquals(2, m.storedRows());

            now.addAndGet((EmbeddedUsageMeter.COMPACT_EVERY_MINUTES + 11) * 60_000);
            m.record(new UsageSample("k1", "GET /v1/a", now.get() / 60_000, 200, 10));
            result(m.flush());

            assertEquals(1, m.storedRows(), "only the row within the retention is held");
            assertEquals(List.of(), result(m.usage(List.of("k1", "k2"), start, start + 1)));
            assertEquals(1, Files.readAllLines(dir.resolve("pruned").resolve("usage.jsonl")).size(),
                    "the log is compacted while running too");
        } finally {
            result(m.close());
        }
    }
}
