package org.opentrade.gateway.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.opentrade.gateway.port.Await.result;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentrade.gateway.domain.UsageRow;
import org.opentrade.gateway.domain.UsageSample;
import org.opentrade.gateway.port.Await;
import org.opentrade.gateway.port.UsageMeter;
import org.opentrade.gateway.port.UsageMeterContract;

class RedisUsageMeterIT extends UsageMeterContract {

    @RegisterExtension
    static final RedisServerExtension fixture = new RedisServerExtension();

    @Override
    protected UsageMeter newMeter() throws Exception {
        fixture.server().flushAll();
        return new RedisUsageMeter(fixture.connections().open());
    }

    @Override
    protected UsageMeter reopen(UsageMeter meter) throws Exception {
        result(meter.close());
        return new RedisUsageMeter(fixture.connections().open());
    }

    @Test
    void theCountsOfAFailedFlushAreWrittenByTheNextOne() throws Exception {
        meter.record(new UsageSample("k1", "GET /v1/a", minute, 200, 10));
        meter.record(new UsageSample("k1", "GET /v1/a", minute, 500, 30));

        fixture.server().kill();
        try {
            assertThrows(Exception.class, () -> result(meter.flush()));
            meter.record(new UsageSample("k1", "GET /v1/a", minute, 404, 20));
        } finally {
            fixture.server().restart();
        }
        Await.until(Duration.ofSeconds(10), () -> {
            try {
                result(meter.flush());
                return true;
            } catch (Exception stillDown) {
                return false;
            }
        });

        UsageMeter fresh = new RedisUsageMeter(fixture.connections().open());
        assertEquals(List.of(new UsageRow("k1", "GET /v1/a", minute, 1, 1, 1, 60, 30)),
                result(fresh.usage(List.of("k1"), minute, minute + 1)));
    }

    @Test
    void rowsExpireAfterTheRetention() throws Exception {
        UsageMeter shortLived = new RedisUsageMeter(fixture.connections().open(fixture.connections().options()
                .withUsageRetention(Duration.ofMillis(200))));
        shortLived.record(new UsageSample("k-ttl", "GET /v1/a", minute, 200, 10));
        result(shortLived.flush());
        assertEquals(1, result(shortLived.usage(List.of("k-ttl"), minute, minute + 1)).size());

        Await.until(Duration.ofSeconds(5),
                () -> result(shortLived.usage(List.of("k-ttl"), minute, minute + 1)).isEmpty());
    }
}
