package org.opentrade.exchange.client;

/**
 * The exchange's event-bus addresses. JSON field names are snake_case; prices are decimal strings
 * with two places ({@code "10.01"}); quantities, ids, sequence numbers and epoch-millisecond
 * timestamps are JSON integers. {@link ExchangeJson} is the one mapping of every shape.
 *
 * <h2>{@value #COMMANDS} — request-reply</h2>
 * Send a command, get its {@code CommandResult} back:
 * <pre>{@code
 * {"type": "NEW_ORDER", "order_id": 17, "account": "alice", "symbol": "600000.SH",
 *  "side": "BUY", "order_type": "LIMIT", "tif": "GTC", "price": "10.01", "qty": 100,
 *  "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
 * {"type": "CANCEL",  "order_id": 17, "account": "alice", "symbol": "600000.SH"}
 * {"type": "REPLACE", "order_id": 17, "account": "alice", "symbol": "600000.SH", "price": "10.02", "qty": 200}
 * }</pre>
 * {@code order_type} is LIMIT (default), MARKET, STOP or STOP_LIMIT; {@code tif} GTC (default), DAY,
 * IOC or FOK; {@code stop_price} is required for stops. The exchange stamps the time itself (any
 * {@code timestamp} field is ignored). The trace context comes from the {@code traceparent} field or,
 * failing that, a {@code traceparent} message header. Order ids from {@code 2^62} up are reserved for
 * the liquidity simulator.
 *
 * <p>The reply is always a result, never a failure:
 * <pre>{@code
 * {"code": 0, "result": "OK", "message": "ok", "journal_seq": 42,
 *  "events": [{"seq": 97, "type": "ACCEPTED", "order_id": 17, ...}, {"seq": 98, "type": "TRADE", ...}]}
 * }</pre>
 * A rejected command has a negative {@code code} (docs/errors.md ranges: -4xxx orders, -5xxx exchange)
 * and one REJECTED event; a body that cannot be read as a command gets code -4010
 * (MALFORMED_COMMAND) and a {@code message} naming the field.
 *
 * <h2>{@value #EVENTS} and {@value #EVENTS}{@code .<symbol>} — publish</h2>
 * Every event of every processed command, one message per event, in each shard's order, on both the
 * all-symbols address and the symbol's own ({@code opentrade.exchange.events.600000.SH}):
 * <pre>{@code
 * {"seq": 98, "type": "TRADE", "order_id": 18, "account": "bob", "counter_order_id": 17,
 *  "counter_account": "alice", "symbol": "600000.SH", "side": "SELL", "order_type": "LIMIT", "tif": "GTC",
 *  "price": "10.01", "qty": 100, "leaves_qty": 0, "filled_qty": 100, "counter_leaves_qty": 0,
 *  "result_code": 0, "timestamp": 1767225600000,
 *  "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
 * }</pre>
 * Absent values (no counterparty, market order price, no trace) are left out. Messages carry the
 * headers {@code symbol}, {@code type} and, when known, {@code traceparent}. {@code seq} is gap-free per
 * shard, not across shards; {@code shard} names the shard. These per-event messages are a
 * convenience for tools; services follow the feed below, which is exact.
 *
 * <h2>The feed: {@value #FEED_PREFIX}{@code <shard>} — publish</h2>
 * Every event of shard N, in order, as {@code FeedBatch} messages (codec {@code FeedBatchCodec}:
 * zero-copy on the local bus, JSON across a cluster): one batch per group of commands the shard
 * processed together, and every {@code heartbeat} interval an empty batch whose {@code head_seq} is
 * the shard's last sequence, so a consumer notices a lost tail even when nothing else happens.
 * Events of commands that were durable but unpublished when the exchange died are published after
 * recovery, in order, before any new event.
 *
 * <h2>{@value #FEED_REPLAY} — request-reply</h2>
 * {@code {"shard": 0, "after_seq": 1200, "max_events": 1000}} answers a {@code FeedBatch} with the
 * events after {@code after_seq} (at most {@code max_events}, default 1000, at most 10 000), its
 * {@code head_seq} and {@code first_kept_seq}. Events older than what is kept answer
 * {@code code} -5010 EVENTS_NOT_RETAINED (start from a snapshot) — never a silent gap; a malformed
 * request answers -5011 BAD_FEED_REQUEST.
 *
 * <h2>{@value #FEED_SNAPSHOT} — request-reply</h2>
 * {@code {"symbol": "600000.SH", "orders": true}} answers one book snapshot; {@code {"shard": 0,
 * "orders": true}} the snapshots of every symbol of that shard, all at one sequence;
 * {@code {"account": "alice"}} the account's live orders, one entry per shard, each stamped with its
 * shard's sequence. Replies: {@code {"code":0,"snapshot":{…}}}, {@code {"code":0,"shard":0,"seq":S,
 * "snapshots":[…]}}, {@code {"code":0,"accounts":[…]}}; refusals {@code {"code":<negative>,
 * "message":…}} (-5001 unknown symbol, -5007 shard busy, -5011 malformed). See {@code ExchangeJson}
 * for the shapes.
 *
 * <h2>{@value #FEED_CONSUMERS} — request-reply</h2>
 * Durable consumers keep history alive: {@code {"op": "checkpoint", "consumer": "market-api",
 * "shard": 0, "seq": 1234}} says the consumer has everything up to {@code seq} (the first checkpoint
 * registers it); {@code {"op": "unregister", "consumer": "market-api"}} forgets it. Events are kept
 * until every registered consumer has checkpointed past them and at least for the retention window.
 *
 * <h2>{@value #FEED_INFO} — request-reply</h2>
 * {@code {}} answers {@code {"shards": 2, "head_seq": [..], "first_kept_seq": [..]}}.
 *
 * <h2>{@value #INSTRUMENTS} — request-reply</h2>
 * {@code {}} answers the universe and the calendar: {@code {"code":0,"calendar":{"type":"continuous",
 * "zone":"Asia/Shanghai","day_end":"15:00"},"instruments":[{"symbol":"600000.SH","name":"浦发银行",
 * "prev_close":"10.45","tick_size":"0.01","board_lot":100,"max_order_qty":1000000,"band_percent":10,
 * "float_shares":29352000000,"eps":"1.27"}, …]}} ({@code float_shares} 0 and {@code eps} "0.00" when
 * unknown).
 *
 * <h2>Shards in several processes</h2>
 * The shards of one exchange may run in several exchange processes of a cluster ({@code
 * exchange.owned_shards}). Every process serves the addresses above, whatever the symbol or shard
 * asked for: a request for another process's shard is forwarded to its owner's per-shard address
 * ({@link #onShard}, e.g. {@code opentrade.exchange.commands.1}) and its reply relayed; questions
 * about every shard (feed info, an account snapshot, unregister) are answered from all owners. A
 * client that knows the shard may use the per-shard address itself and save that hop. When no process
 * runs a shard, its requests answer -5008 ENGINE_UNAVAILABLE naming the shard.
 */
public final class ExchangeAddresses {
    /** Request-reply: command JSON in, result JSON out. */
    public static final String COMMANDS = "opentrade.exchange.commands";
    /** Publish: every event of every symbol. */
    public static final String EVENTS = "opentrade.exchange.events";
    /** Publish, per shard: {@value}{@code <shard>} carries that shard's {@code FeedBatch}es. */
    public static final String FEED_PREFIX = "opentrade.exchange.feed.";
    /** Request-reply: events of a shard after a sequence, paged. */
    public static final String FEED_REPLAY = "opentrade.exchange.feed.replay";
    /** Request-reply: book snapshots (per symbol or per shard) and account snapshots. */
    public static final String FEED_SNAPSHOT = "opentrade.exchange.feed.snapshot";
    /** Request-reply: durable consumers' checkpoints and unregistration. */
    public static final String FEED_CONSUMERS = "opentrade.exchange.feed.consumers";
    /** Request-reply: shard count, head and oldest kept sequence per shard. */
    public static final String FEED_INFO = "opentrade.exchange.feed.info";
    /** Request-reply: the instrument universe and the calendar. */
    public static final String INSTRUMENTS = "opentrade.exchange.instruments";
    /**
     * Message header of a request sent to a per-shard address ({@link #onShard}): the sender's shard
     * count. The owner refuses the request (-5008) when its count differs, since the two would disagree
     * on which shard a symbol is on.
     */
    public static final String SHARDS_HEADER = "opentrade-shards";
    /** Message header with the W3C trace context. */
    public static final String TRACEPARENT_HEADER = "traceparent";

    private ExchangeAddresses() {
    }

    /** Publish: the feed of one shard. */
    public static String feed(int shard) {
        return FEED_PREFIX + shard;
    }

    /**
     * The address of {@code shard}'s owner for a request-reply {@code address} ({@link #COMMANDS},
     * {@link #FEED_REPLAY}, {@link #FEED_SNAPSHOT}, {@link #FEED_CONSUMERS}, {@link #FEED_INFO}): served
     * only by the process that runs the shard, answering for that shard alone.
     */
    public static String onShard(String address, int shard) {
        return address + "." + shard;
    }

    /**
     * True when {@code address} is {@code base} itself or one of its per-shard addresses
     * ({@link #onShard}): what an interceptor watching, say, every command checks.
     */
    public static boolean isAddressOf(String base, String address) {
        if (address.equals(base)) {
            return true;
        }
        if (address.length() <= base.length() + 1 || !address.startsWith(base) || address.charAt(base.length()) != '.') {
            return false;
        }
        for (int i = base.length() + 1; i < address.length(); i++) {
            if (address.charAt(i) < '0' || address.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Publish: the events of one symbol. */
    public static String events(String symbol) {
        return EVENTS + "." + symbol;
    }
}
