package org.opentrade.trade.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.opentrade.trade.port.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SnapshotStore} in Redis: one key per snapshot ({@code …:snapshot:<n>}, {@code n} from the
 * counter {@code …:snapshot-seq}) holding the intent index, the feed positions and the ledger bytes
 * with a CRC32C, and a sorted set {@code …:snapshots} of the snapshot keys by {@code n}. A write is
 * one Lua script — count, store, index, and delete all but the newest
 * {@link RedisStoreOptions#keepSnapshots()} — so it is atomic: a reader sees the new snapshot or the
 * previous ones, never a torn one. {@link #latest()} takes the newest intact one.
 *
 * <p>Durable as the server's persistence setting makes it (see {@link RedisIntentStore}); with
 * {@link RedisStoreOptions#waitReplicas()} {@code > 0} a write also waits for that many replicas.
 *
 * <p>Threads: any, one call at a time; both methods block on Redis (call them off the event loop).
 */
public final class RedisSnapshotStore implements SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSnapshotStore.class);
    private static final int FORMAT = 1;
    /** KEYS: seq, index set, key prefix of snapshots. ARGV: bytes, keep. Returns the snapshot number. */
    static final String WRITE_SCRIPT = """
            local n = redis.call('INCR', KEYS[1])
            local key = KEYS[3] .. n
            redis.call('SET', key, ARGV[1])
            redis.call('ZADD', KEYS[2], n, key)
            local keep = tonumber(ARGV[2])
            local old = redis.call('ZRANGE', KEYS[2], 0, -keep - 1)
            for _, k in ipairs(old) do
              redis.call('DEL', k)
              redis.call('ZREM', KEYS[2], k)
            end
            return n
            """;

    private final TradeRedis redis;
    private final RedisStoreOptions options;
    private final String seqKey;
    private final String indexKey;
    private final String snapshotPrefix;

    /** {@code redis} stays the caller's. */
    public RedisSnapshotStore(TradeRedis redis) {
        this.redis = redis;
        this.options = redis.options();
        this.seqKey = options.key("snapshot-seq");
        this.indexKey = options.key("snapshots");
        this.snapshotPrefix = options.key("snapshot:");
    }

    @Override
    public void write(long intentIndex, Map<Integer, Long> feedPositions, byte[] ledgerBytes) {
        byte[] value = encode(new Snapshot(intentIndex, feedPositions, ledgerBytes));
        byte[] keep = Integer.toString(options.keepSnapshots()).getBytes(StandardCharsets.US_ASCII);
        redis.await(redis.async().<Long>eval(redis.fenced(WRITE_SCRIPT), ScriptOutputType.INTEGER,
                redis.guardedKeys(seqKey, indexKey, snapshotPrefix), redis.guardedArgs(value, keep)), "writing a snapshot");
        if (options.waitReplicas() > 0) {
            long replicas = redis.await(redis.async().waitForReplication(options.waitReplicas(),
                    options.commandTimeout().toMillis()), "waiting for replicas of a snapshot");
            if (replicas < options.waitReplicas()) {
                throw new IllegalStateException("WAIT: " + replicas + " of " + options.waitReplicas()
                        + " replicas acknowledged the snapshot");
            }
        }
    }

    @Override
    public Optional<Snapshot> latest() {
        List<byte[]> members = redis.await(redis.async().zrevrange(indexKey, 0, -1), "listing snapshots");
        for (byte[] member : members) {
            String key = new String(member, StandardCharsets.UTF_8);
            byte[] value = redis.await(redis.async().get(key), "reading a snapshot");
            Snapshot s = value == null ? null : decode(value);
            if (s != null) {
                return Optional.of(s);
            }
            LOG.warn("snapshot {} is missing or damaged; trying the one before", key);
        }
        return Optional.empty();
    }

    /** format, intent index, positions, ledger bytes, then a CRC32C of all that. */
    static byte[] encode(Snapshot s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.ledgerBytes().length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeLong(s.intentIndex());
            Map<Integer, Long> positions = new TreeMap<>(s.feedPositions());
            out.writeInt(positions.size());
            for (Map.Entry<Integer, Long> e : positions.entrySet()) {
                out.writeInt(e.getKey());
                out.writeLong(e.getValue());
            }
            byte[] ledger = s.ledgerBytes();
            out.writeInt(ledger.length);
            out.write(ledger);
            CRC32C crc = new CRC32C();
            byte[] body = bytes.toByteArray();
            crc.update(body);
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The snapshot, or null when the value is damaged (wrong checksum, format or length). */
    static Snapshot decode(byte[] value) {
        if (value.length < 4 + 8 + 4 + 4 + 4) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(value, 0, value.length - 4);
        int stored = ((value[value.length - 4] & 0xff) << 24) | ((value[value.length - 3] & 0xff) << 16)
                | ((value[value.length - 2] & 0xff) << 8) | (value[value.length - 1] & 0xff);
        if ((int) crc.getValue() != stored) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value, 0, value.length - 4))) {
            if (in.readInt() != FORMAT) {
                return null;
            }
            long intentIndex = in.readLong();
            int n = in.readInt();
            Map<Integer, Long> positions = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                positions.put(in.readInt(), in.readLong());
            }
            byte[] ledger = new byte[in.readInt()];
            in.readFully(ledger);
            return in.available() == 0 ? new Snapshot(intentIndex, positions, ledger) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
