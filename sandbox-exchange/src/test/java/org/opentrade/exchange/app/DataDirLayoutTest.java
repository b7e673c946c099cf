package org.opentrade.exchange.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLayoutTest {
    @Test
    void aNewDirectoryRecordsItsCountAndRefusesAnother(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        DataDirLayout.check(data, 2);
        assertEquals("2", Files.readString(data.resolve(DataDirLayout.FILE)).strip());
        DataDirLayout.check(data, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DataDirLayout.check(data, 1));
        assertTrue(e.getMessage().contains("written with 2 shard(s) and exchange.shards is 1"), e.getMessage());
    }

    @Test
    void aDirectoryFromBeforeTheFileCountsItsShardDirectories(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("shard-0"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DataDirLayout.check(dir, 2));
        assertTrue(e.getMessage().contains("written with 1 shard(s)"), e.getMessage());
        DataDirLayout.check(dir, 1);
        assertEquals("1", Files.readString(dir.resolve(DataDirLayout.FILE)).strip());
    }

    @Test
    void anUnreadableRecordIsReported(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(DataDirLayout.FILE), "two");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DataDirLayout.check(dir, 2));
        assertTrue(e.getMessage().contains("holds 'two'"), e.getMessage());
    }
}
