package org.opentrade.exchange.adapter.eventbus;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.opentrade.exchange.adapter.file.JournalCodec;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.port.SnapshotStore;

/**
 * What a leading exchange and its standby send each other over the clustered event bus (mutual TLS
 * when the cluster has it): the addresses, a batch of journaled commands, and a shard's image. Binary,
 * big-endian; commands in the journal's own record form ({@link JournalCodec}).
 */
final class ReplicationWire {
    /** Largest batch a standby takes: a leader's batch is at most a ring of commands. */
    static final int MAX_BATCH = 1 << 17;
    /** Largest command record (the journal's bound). */
    private static final int MAX_RECORD = 4096;

    private ReplicationWire() {
    }

    /** Where the leader of {@code shard} answers image requests. */
    static String imageAddress(int shard) {
        return "exchange.replica.image." + shard;
    }

    /** Where the leader of {@code shard} tells a standby whether it still sends to it. */
    static String aliveAddress(int shard) {
        return "exchange.replica.alive." + shard;
    }

    /** Where standby {@code node} takes the batches of {@code shard}. */
    static String batchAddress(String node, int shard) {
        return "exchange.replica.batch." + node + "." + shard;
    }

    /** A batch: commands journaled as firstSeq.. by the leader holding {@code fence}, for attachment {@code attach}. */
    record Batch(long fence, long attach, long firstSeq, List<Command> commands) {
    }

    static Buffer batch(long fence, long attach, long firstSeq, List<Command> commands) {
        Buffer b = Buffer.buffer(32 + commands.size() * 96);
        b.appendLong(fence).appendLong(attach).appendLong(firstSeq).appendInt(commands.size());
        for (Command c : commands) {
            byte[] r = JournalCodec.toBytes(c);
            b.appendInt(r.length).appendBytes(r);
        }
        return b;
    }

    /** @throws IllegalArgumentException on bytes that are not a batch */
    static Batch batch(Buffer b) {
        try {
            long fence = b.getLong(0);
            long attach = b.getLong(8);
            long first = b.getLong(16);
            int n = b.getInt(24);
            if (n < 1 || n > MAX_BATCH || first < 1) {
                throw new IllegalArgumentException("batch of " + n + " commands from seq " + first);
            }
            List<Command> commands = new ArrayList<>(n);
            int at = 28;
            for (int i = 0; i < n; i++) {
                int len = b.getInt(at);
                if (len < 1 || len > MAX_RECORD) {
                    throw new IllegalArgumentException("command record of " + len + " bytes");
                }
                commands.add(JournalCodec.fromBytes(b.getBytes(at + 4, at + 4 + len)));
                at += 4 + len;
            }
            if (at != b.length()) {
                throw new IllegalArgumentException((b.length() - at) + " bytes after the batch");
            }
            return new Batch(fence, attach, first, commands);
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated batch", e);
        }
    }

    /** An image with the fence of the leader that took it. */
    record Image(long fence, SnapshotStore.Snapshot snapshot) {
    }

    static Buffer image(long fence, SnapshotStore.Snapshot s) {
        return Buffer.buffer(28 + s.engineState().length).appendLong(fence).appendLong(s.journalSeq())
                .appendLong(s.eventSeq()).appendInt(s.engineState().length).appendBytes(s.engineState());
    }

    static Image image(Buffer b) {
        try {
            int len = b.getInt(24);
            if (len < 0 || 28 + len != b.length()) {
                throw new IllegalArgumentException("image of " + b.length() + " bytes says " + len);
            }
            return new Image(b.getLong(0), new SnapshotStore.Snapshot(b.getLong(8), b.getLong(16),
                    b.getBytes(28, 28 + len)));
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated image", e);
        }
    }
}
