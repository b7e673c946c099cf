package org.opentrade.trade.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.opentrade.trade.adapter.file.DurableMarks;
import org.opentrade.trade.adapter.file.StreamRecordJournal;
import org.opentrade.trade.adapter.file.StreamRecords;
import org.opentrade.trade.port.StreamJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StreamJournal} in Redis, beside the instance's intents and snapshots, so whichever process serves the
 * instance next, on any host, resumes its clients' order streams from their last seq (the file journal is on
 * one host's disk). A Redis list {@code …:stream-journal} of {@link StreamRecords} bodies, one element per
 * record, with {@code …:stream-journal-base} counting the records trimmed off its head (as the intent log).
 *
 * <p><b>Prefix.</b> {@link #flush} sends what collected since the last one as one append script that names the
 * index its first record must get: Redis appends it only right after the previous batch, so the list stays a
 * prefix of what was recorded, whatever fails in between; a refused or failed append stops recording for the
 * rest of the process (counted in {@link #dropped}), as the file journal's failed write does. Every write is
 * fenced by the instance's claim ({@link TradeRedis#fenced}): a process that lost the instance writes nothing.
 *
 * <p><b>Durability.</b> {@link #flush} does not wait for Redis (the order stream calls it on its event loop
 * before each frame goes out): a batch is in the journal once Redis answered it, a moment later. A crash in that
 * moment loses the batch, so a client may hold a seq the next process cannot vouch for: that client gets the
 * flagged snapshot ({@code resumed: false}), never a replay with a hole. Beyond that, the Redis server's
 * persistence setting decides what survives a crash of Redis itself (as for intents).
 *
 * <p><b>Pruning.</b> Once a snapshot is durable, records before the older of the two newest durable marks
 * and sent before {@code keepAfterMs} are trimmed (one fenced script, as the intent log's prune). Records an
 * earlier process left count as sent when this one loaded them. Memory in Redis: the frames of the retention
 * age and of two snapshot intervals, a few hundred bytes each.
 *
 * <p>Threads: every method is synchronized (the order stream's owner context makes nearly every call; Redis'
 * answers arrive on Lettuce's I/O thread). {@link #load} and {@link #close} block on Redis.
 */
public final class RedisStreamJournal extends StreamRecordJournal {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamJournal.class);
    /** Records per LRANGE when loading. */
    static final int READ_CHUNK = 4_096;
    /** Records per append at most: the script unpacks them as the arguments of one RPUSH. */
    static final int MAX_BATCH_RECORDS = 1_000;
    /** Records pending beyond this many bytes are sent at once, whether a frame goes out or not. */
    static final int FLUSH_AT_BYTES = 64 << 10;
    /**
     * KEYS: list, base. ARGV: the index the first record gets, the count n, the n records. Returns the list's
     * length; refuses (writing nothing) unless the list ends right before that index.
     */
    static final String APPEND_SCRIPT = """
            local next = tonumber(redis.call('GET', KEYS[2]) or '0') + redis.call('LLEN', KEYS[1]) + 1
            if next ~= tonumber(ARGV[1]) then
              return redis.error_reply(KEYS[1] .. ': the next record is ' .. next .. ', this process expected ' .. ARGV[1])
            end
            return redis.call('RPUSH', KEYS[1], unpack(ARGV, 3, 2 + tonumber(ARGV[2])))
            """;
    /** KEYS: list. ARGV: how many records to keep from the head. Cuts a damaged tail off. */
    static final String CUT_SCRIPT = """
            local keep = tonumber(ARGV[1])
            if keep == 0 then
              redis.call('DEL', KEYS[1])
            else
              redis.call('LTRIM', KEYS[1], 0, keep - 1)
            end
            return keep
            """;

    private final TradeRedis redis;
    private final String listKey;
    private final String baseKey;
    private final LongSupplier clockMs;
    private final String appendDigest;
    private final List<byte[]> pending = new ArrayList<>();
    private int pendingBytes;
    /** Records trimmed off the head so far: the list's first element has index base + 1. */
    private long base;
    /** The index the next record recorded gets. */
    private long next;
    /** The index of the first pending record (the records before it were sent). */
    private long sentUpTo;
    /**
     * What pruning's keep time reads: the first index of the records sent (or loaded) in each second → the last
     * time records were sent in it (so they count as sent at most that late: kept a little longer, never shorter).
     * One entry a second, however many flushes.
     */
    private final TreeMap<Long, Long> batchTimes = new TreeMap<>();
    /** When the newest entry of {@link #batchTimes} began. */
    private long bucketStart = Long.MIN_VALUE;
    private final DurableMarks marks = new DurableMarks();
    /**
     * The generation records by index (loaded or recorded): a trim that cuts the one the kept records belong to
     * puts it back at the new head, else a start would not know the epoch of the frames it kept (a client of it
     * then got the flagged snapshot from about five minutes into a process on).
     */
    private final TreeMap<Long, byte[]> generations = new TreeMap<>();
    private long dropped;
    private boolean loaded;
    /** After {@link #close}: nothing more is recorded. */
    private boolean closed;
    /** After a failed write: nothing more is written. */
    private boolean stopped;
    /** Completes when the last command sent so far has been answered (close waits for it). */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    /** A journal in the instance's key space of {@code redis} (the caller's: it stays open after {@link #close}). */
    public RedisStreamJournal(TradeRedis redis) {
        this(redis, System::currentTimeMillis);
    }

    RedisStreamJournal(TradeRedis redis, LongSupplier clockMs) {
        this.redis = redis;
        this.listKey = redis.options().key("stream-journal");
        this.baseKey = redis.options().key("stream-journal-base");
        this.clockMs = clockMs;
        this.appendDigest = redis.await(redis.async().scriptLoad(redis.fenced(APPEND_SCRIPT)),
                "loading the order stream journal's append script");
    }

    @Override
    public synchronized Recorded load() {
        if (loaded) {
            throw new IllegalStateException("load once, before recording");
        }
        List<Long> opened = redis.await(redis.async().<List<Long>>eval(RedisLists.OPEN_SCRIPT, ScriptOutputType.MULTI,
                listKey, baseKey), "opening the order stream journal");
        base = opened.get(0);
        long length = opened.get(1);
        List<Entry> entries = new ArrayList<>();
        boolean fromOrigin = base == 0 && length == 0;
        long good = 0;
        boolean damaged = false;
        while (good < length && !damaged) {
            List<byte[]> chunk = redis.await(redis.async().lrange(listKey, good, good + READ_CHUNK - 1),
                    "reading the order stream journal");
            if (chunk.isEmpty()) {
                break;
            }
            for (byte[] body : chunk) {
                if (body.length == 0 || !StreamRecords.known(body[0])) {
                    damaged = true;
                    break;
                }
                if (good == 0) {
                    fromOrigin = base == 0 && body[0] == StreamRecords.ORIGIN;
                }
                if (body[0] == StreamRecords.GENERATION) {
                    generations.put(base + good + 1, body);
                }
                if (body[0] == StreamRecords.BARRIER) {
                    entries.clear();
                    fromOrigin = false;
                } else if (body[0] != StreamRecords.ORIGIN) {
                    try {
                        entries.add(StreamRecords.decode(body));
                    } catch (StreamRecords.Damaged d) {
                        damaged = true;
                        break;
                    }
                }
                good++;
            }
            if (chunk.size() < READ_CHUNK) {
                break;
            }
        }
        if (good < length) {
            LOG.warn("order stream journal {}: record {} cannot be read; cut there ({} records after it dropped)",
                    listKey, base + good + 1, length - good);
            redis.await(redis.async().<Long>eval(redis.fenced(CUT_SCRIPT), ScriptOutputType.INTEGER,
                    redis.guardedKeys(listKey), redis.guardedArgs(ascii(good))), "cutting the order stream journal");
        }
        next = base + good + 1;
        sentUpTo = next;
        if (good > 0) {
            bucketStart = clockMs.getAsLong();
            batchTimes.put(base + 1, bucketStart);
        }
        loaded = true;
        if (base == 0 && good == 0) {
            add(StreamRecords.origin(clockMs.getAsLong()));
            flush();
        }
        return new Recorded(fromOrigin, entries);
    }

    @Override
    public synchronized long mark(long intentIndex, Map<Integer, Long> feedPositions) {
        long token = marks.mark(next);
        add(StreamRecords.mark(intentIndex, feedPositions));
        flush();
        return token;
    }

    @Override
    public synchronized void snapshotDurable(long token, long keepAfterMs) {
        long keepFrom = closed || stopped ? -1 : marks.durable(token);
        if (keepFrom < 0) {
            return;
        }
        for (Map.Entry<Long, Long> batch : batchTimes.entrySet()) {
            if (batch.getValue() >= keepAfterMs) {
                keepFrom = Math.min(keepFrom, batch.getKey());
                break;
            }
        }
        keepFrom = Math.min(keepFrom, sentUpTo); // only records Redis was sent
        long drop = keepFrom - 1 - base;
        if (drop <= 0) {
            return;
        }
        Map.Entry<Long, Long> straddling = batchTimes.floorEntry(keepFrom);
        batchTimes.headMap(keepFrom, false).clear();
        if (straddling != null && !batchTimes.containsKey(keepFrom)) {
            batchTimes.put(keepFrom, straddling.getValue());
        }
        long expected = base;
        Map.Entry<Long, byte[]> generation = generations.lowerEntry(keepFrom);
        byte[] head = generation == null || generations.containsKey(keepFrom) ? null : generation.getValue();
        generations.headMap(keepFrom, false).clear();
        if (head != null) {
            generations.put(keepFrom - 1, head); // in place of the last record dropped
        }
        base += head == null ? drop : drop - 1;
        CompletableFuture<Long> trimmed = redis.async().<Long>eval(redis.fenced(RedisLists.TRIM_SCRIPT), ScriptOutputType.INTEGER,
                redis.guardedKeys(listKey, baseKey), redis.guardedArgs(ascii(expected), ascii(drop),
                        ascii(head == null ? 0 : 1), head == null ? new byte[0] : head)).toCompletableFuture();
        tail = trimmed.handle((newBase, error) -> {
            if (error != null) {
                stop("trimming it failed", error);
            }
            return null;
        });
    }

    @Override
    public synchronized void flush() {
        if (closed || stopped || pending.isEmpty()) {
            return;
        }
        int n = pending.size();
        byte[][] args = new byte[n + 2][];
        args[0] = ascii(sentUpTo);
        args[1] = ascii(n);
        for (int i = 0; i < n; i++) {
            args[i + 2] = pending.get(i);
        }
        long now = clockMs.getAsLong();
        if (!batchTimes.isEmpty() && now >= bucketStart && now - bucketStart < 1_000) {
            batchTimes.put(batchTimes.lastKey(), now);
        } else {
            batchTimes.put(sentUpTo, now);
            bucketStart = now;
        }
        sentUpTo += n;
        pending.clear();
        pendingBytes = 0;
        CompletableFuture<Long> appended = redis.async().<Long>evalsha(appendDigest, ScriptOutputType.INTEGER,
                redis.guardedKeys(listKey, baseKey), redis.guardedArgs(args)).toCompletableFuture();
        tail = appended.handle((length, error) -> {
            if (error != null) {
                stop("an append failed", error);
            }
            return null;
        });
    }

    @Override
    public synchronized long dropped() {
        return dropped;
    }

    /** Sends what is pending, stops recording and waits (bounded) for Redis to answer what was sent. */
    @Override
    public void close() {
        CompletableFuture<Void> last;
        synchronized (this) {
            flush();
            closed = true;
            last = tail;
        }
        try {
            last.get(redis.options().commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("order stream journal {}: writes still unanswered at close: {}", listKey, e.toString());
        }
    }

    @Override
    protected void add(byte[] body) {
        if (closed || stopped || !loaded) {
            dropped++;
            return;
        }
        pending.add(body);
        pendingBytes += body.length;
        if (body[0] == StreamRecords.GENERATION) {
            generations.put(next, body);
        }
        next++;
        if (pending.size() >= MAX_BATCH_RECORDS || pendingBytes >= FLUSH_AT_BYTES) {
            flush();
        }
    }

    private synchronized void stop(String what, Throwable error) {
        if (stopped) {
            return;
        }
        stopped = true;
        dropped++;
        LOG.error("order stream journal {} in redis {}: {} ({}); recording stops until the next start, whose resumes "
                + "then reach back only to what Redis holds", listKey, RedisStoreOptions.redacted(redis.options().uri()),
                what, error.toString());
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
