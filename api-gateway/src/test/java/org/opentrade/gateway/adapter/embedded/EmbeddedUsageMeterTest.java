package org.opentrade.gateway.adapter.embedded;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
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
}
