package org.opentrade.exchange.adapter.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.port.EventLog;
import org.opentrade.exchange.port.EventLogContract;

/** The file event log keeps the event-log contract, with small segments so pruning deletes files. */
class FileEventLogTest extends EventLogContract {
    @TempDir
    Path dir;
    private Path current;

    @Override
    protected EventLog newLog() {
        try {
            current = Files.createTempDirectory(dir, "events");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return FileEventLog.open(current, SHARD, 4096);
    }

    @Override
    protected EventLog reopen(EventLog log) {
        log.close();
        return FileEventLog.open(current, SHARD, 4096);
    }
}
