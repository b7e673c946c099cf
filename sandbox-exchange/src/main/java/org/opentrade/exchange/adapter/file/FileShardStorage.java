package org.opentrade.exchange.adapter.file;

import java.nio.file.Path;
import org.opentrade.exchange.port.ShardStorage;

/** Opens each shard's storage under {@code <dir>/shard-N/{journal,snapshots,events}}. */
public final class FileShardStorage implements ShardStorage.Factory {
    private final Path dir;
    private final FsyncPolicy fsync;

    public FileShardStorage(Path dir, FsyncPolicy fsync) {
        if (dir == null || fsync == null) {
            throw new IllegalArgumentException("file storage needs a directory and an fsync policy");
        }
        this.dir = dir;
        this.fsync = fsync;
    }

    @Override
    public ShardStorage open(int shard) {
        Path d = dir.resolve("shard-" + shard);
        return new ShardStorage(FileCommandJournal.open(d.resolve("journal"), fsync),
                new FileSnapshotStore(d.resolve("snapshots"), fsync == FsyncPolicy.BATCH), FileEventLog.open(d.resolve("events"), shard),
                new FileConsumerCheckpoints(d));
    }
}
