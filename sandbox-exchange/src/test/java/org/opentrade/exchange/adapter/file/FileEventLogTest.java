package org.opentrade.exchange.adapter.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.model.ExchangeEvent;
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

    /** A standby's log: reset after its image, then the leader's earlier events put in front, page by page. */
    @Test
    void historyPutInFrontOfAResetLogIsReadAcrossAndSurvivesAReopen() {
        EventLog log = newLog();
        log.resetAfter(300);
        log.append(events(301, 320));
        log.commit();
        assertEquals(301, log.firstSeq());
        assertThrows(IllegalArgumentException.class, () -> log.prependHistory(events(101, 299)), "must end at 300");
        assertThrows(IllegalArgumentException.class, () -> log.prependHistory(List.of(event(300), event(299))));
        assertEquals(301, log.firstSeq(), "nothing added by a refused page");
        log.prependHistory(events(201, 300));
        log.prependHistory(events(1, 200));
        assertEquals(1, log.firstSeq());
        assertEvents(events(1, 320), readAll(log));

        EventLog again = reopen(log);
        again.append(events(321, 330));
        again.commit();
        assertEquals(1, again.firstSeq());
        assertEvents(events(1, 330), readAll(again));
        again.deleteUpTo(250);
        assertEquals(201, again.firstSeq(), "pruned like any other segment");
        again.close();
    }

    private static List<ExchangeEvent> readAll(EventLog log) {
        List<ExchangeEvent> out = new ArrayList<>();
        while (log.read(out.isEmpty() ? log.firstSeq() - 1 : out.get(out.size() - 1).seq(), 1_000, out::add) > 0) {
            // pages of 1 000
        }
        return out;
    }
}
