package org.opentrade.trade.adapter.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of FIX sessions in Redis, in the instance's key space, for distributed mode: per session its next
 * sequence numbers and creation time (hash {@code …:fix-session:<id>:state}) and the messages it sent that a
 * ResendRequest may ask for again (hash {@code …:fix-session:<id>:sent}, sequence number → text). A process that
 * takes the instance over on another host continues every session where the one before it stopped: no
 * sequence-number reset, and resends still answered. No QuickFIX/J types here: the FIX adapter's message store
 * wraps this. Every write is a script fenced by the instance's claim, acknowledged before it returns (a message
 * is stored before it is sent); Redis' persistence setting decides what survives a crash of Redis itself.
 *
 * <p>Blocking: call on QuickFIX/J's threads, never an event loop. Thread-safe.
 */
public final class RedisFixSessions {
    /** Sequence numbers per HMGET when reading sent messages back. */
    static final int READ_CHUNK = 1_000;
    /** KEYS: state. ARGV: now (ms). Creates the state (numbers 1, created now) unless it exists; returns it. */
    static final String OPEN_SCRIPT = """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              redis.call('HSET', KEYS[1], 'sender', '1', 'target', '1', 'created', ARGV[1])
            end
            return redis.call('HMGET', KEYS[1], 'sender', 'target', 'created')
            """;
    /** KEYS: a hash. ARGV: field, value. */
    static final String SET_SCRIPT = """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            return 1
            """;
    /** KEYS: state, sent. ARGV: now (ms). Forgets the messages and starts the numbers over. */
    static final String RESET_SCRIPT = """
            redis.call('DEL', KEYS[2])
            redis.call('HSET', KEYS[1], 'sender', '1', 'target', '1', 'created', ARGV[1])
            return 1
            """;
    /** KEYS: a hash. ARGV: its fields to delete (then the guard's token when fenced). */
    static final String FORGET_SCRIPT = """
            local n = #ARGV
            if #KEYS > 1 then
              n = n - 1
            end
            return redis.call('HDEL', KEYS[1], unpack(ARGV, 1, n))
            """;
    /** KEYS: state, sent. */
    static final String DELETE_SCRIPT = """
            return redis.call('DEL', KEYS[1], KEYS[2])
            """;

    private final TradeRedis redis;
    private final String setDigest;
    private final String clOrdIds;

    /** Loads the scripts (blocks once); {@code redis} stays the caller's. */
    public RedisFixSessions(TradeRedis redis) {
        this.redis = redis;
        this.setDigest = redis.await(redis.async().scriptLoad(redis.fenced(SET_SCRIPT)), "loading the FIX store's script");
        this.clOrdIds = redis.options().key("fix-clordids");
    }

    /**
     * The ClOrdIDs replaces gave open orders, order id → {account, current ClOrdID} (hash {@code …:fix-clordids}):
     * the ledger keeps only an order's first one.
     */
    public Map<String, String[]> replacedClOrdIds() {
        Map<String, byte[]> all = redis.await(redis.async().hgetall(clOrdIds), "reading replaced ClOrdIDs");
        Map<String, String[]> out = new HashMap<>();
        all.forEach((orderId, value) -> {
            String[] f = new String(value, StandardCharsets.UTF_8).split("\t", -1);
            if (f.length == 2) {
                out.put(orderId, f);
            }
        });
        return out;
    }

    /** A replace made {@code clOrdId} the current ClOrdID of {@code account}'s order {@code orderId}. */
    public void replacedClOrdId(String orderId, String account, String clOrdId) {
        redis.await(redis.async().<Long>evalsha(setDigest, ScriptOutputType.INTEGER, redis.guardedKeys(clOrdIds),
                redis.guardedArgs(orderId.getBytes(StandardCharsets.UTF_8),
                        (account + "\t" + clOrdId).getBytes(StandardCharsets.UTF_8))), "writing a replaced ClOrdID");
    }

    /** The orders are no longer open: their replaced ClOrdIDs are forgotten. */
    public void closedOrders(Collection<String> orderIds) {
        if (orderIds.isEmpty()) {
            return;
        }
        byte[][] fields = orderIds.stream().map(id -> id.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        redis.await(redis.async().<Long>eval(redis.fenced(FORGET_SCRIPT), ScriptOutputType.INTEGER,
                redis.guardedKeys(clOrdIds), redis.guardedArgs(fields)), "forgetting replaced ClOrdIDs");
    }

    /** One session's state; {@code sessionId} is QuickFIX/J's text of it (begin string, comp ids). */
    public Session session(String sessionId) {
        return new Session(sessionId);
    }

    /** The stored numbers of a session: next to send, next to receive, and when its numbering began (epoch ms). */
    public record Numbers(int nextSender, int nextTarget, long createdMs) {
    }

    /** One session's keys. */
    public final class Session {
        private final String state;
        private final String sent;

        private Session(String sessionId) {
            this.state = redis.options().key("fix-session:" + sessionId + ":state");
            this.sent = redis.options().key("fix-session:" + sessionId + ":sent");
        }

        /** The session's numbers, created (1, 1, now) when Redis has none yet. */
        public Numbers open(long nowMs) {
            List<byte[]> fields = redis.await(redis.async().<List<byte[]>>eval(redis.fenced(OPEN_SCRIPT),
                    ScriptOutputType.MULTI, redis.guardedKeys(state), redis.guardedArgs(ascii(nowMs))),
                    "reading a FIX session's numbers");
            return new Numbers(Integer.parseInt(text(fields.get(0))), Integer.parseInt(text(fields.get(1))),
                    Long.parseLong(text(fields.get(2))));
        }

        /** Whether Redis holds this session's state at all (a session of an earlier store may be carried over). */
        public boolean exists() {
            return redis.await(redis.async().exists(state), "looking a FIX session up") > 0;
        }

        /** Sets the next number to send ({@code sender}) or to receive. */
        public void next(boolean sender, int value) {
            set(state, sender ? "sender" : "target", Integer.toString(value));
        }

        /** Keeps {@code text}, sent as {@code seq}, for a resend. */
        public void sent(int seq, String text) {
            set(sent, Integer.toString(seq), text);
        }

        /** The kept messages from {@code from} to {@code to}, in order (numbers not kept are left out). */
        public List<String> sent(int from, int to) {
            List<String> out = new ArrayList<>();
            for (long start = Math.max(1, from); start <= to; start += READ_CHUNK) {
                long end = Math.min(to, start + READ_CHUNK - 1);
                String[] fields = new String[(int) (end - start + 1)];
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = Long.toString(start + i);
                }
                List<KeyValue<String, byte[]>> values = redis.await(redis.async().hmget(sent, fields),
                        "reading a FIX session's sent messages");
                for (KeyValue<String, byte[]> v : values) {
                    if (v.hasValue()) {
                        out.add(new String(v.getValue(), StandardCharsets.UTF_8));
                    }
                }
            }
            return out;
        }

        /** Forgets the kept messages and numbers the session from 1 again, created at {@code nowMs}. */
        public void reset(long nowMs) {
            redis.await(redis.async().<Long>eval(redis.fenced(RESET_SCRIPT), ScriptOutputType.INTEGER,
                    redis.guardedKeys(state, sent), redis.guardedArgs(ascii(nowMs))), "resetting a FIX session");
        }

        /** Removes the session's keys (a session that was refused and is discarded). */
        public void delete() {
            redis.await(redis.async().<Long>eval(redis.fenced(DELETE_SCRIPT), ScriptOutputType.INTEGER,
                    redis.guardedKeys(state, sent), redis.guardedArgs()), "deleting a FIX session");
        }

        private void set(String key, String field, String value) {
            redis.await(redis.async().<Long>evalsha(setDigest, ScriptOutputType.INTEGER, redis.guardedKeys(key),
                    redis.guardedArgs(field.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8))),
                    "writing a FIX session's state");
        }
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
