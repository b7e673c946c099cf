package org.opentrade.exchange.client;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.opentrade.exchange.model.AccountSnapshot;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.InstrumentInfo;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.OrderView;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.exchange.model.Universe;

/**
 * The one mapping between the exchange's domain records and their JSON on the event bus (shapes in
 * {@link ExchangeAddresses}). Prices are decimal strings with two places; absent values are left
 * out. Stateless and thread-safe.
 */
public final class ExchangeJson {
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final String ALLOWED_TYPES = "NEW_ORDER, CANCEL, REPLACE";

    private ExchangeJson() {
    }

    /** True for a syntactically valid W3C traceparent (lower-case hex, version-traceid-spanid-flags). */
    public static boolean isTraceParent(String s) {
        return s != null && TRACEPARENT.matcher(s).matches() && !s.startsWith("ff")
                && !s.regionMatches(3, "00000000000000000000000000000000", 0, 32);
    }

    // ------------------------------------------------------------------ commands

    /**
     * Reads a command from a message body (a JSON object, or its text as a String or Buffer),
     * stamped with {@code nowMillis}. The trace context is the body's {@code traceparent}, else
     * {@code headerTraceParent}; an invalid one is dropped, as W3C asks.
     */
    public static Command commandFromBody(Object body, long nowMillis, String headerTraceParent)
            throws MalformedCommandException {
        JsonObject json;
        try {
            if (body instanceof JsonObject j) {
                json = j;
            } else if (body instanceof String s) {
                json = new JsonObject(s);
            } else if (body instanceof Buffer b) {
                json = new JsonObject(b);
            } else {
                throw new MalformedCommandException("the command must be a JSON object", null);
            }
        } catch (DecodeException | ClassCastException e) {
            throw new MalformedCommandException("the command is not a JSON object", null);
        }
        return commandFromJson(json, nowMillis, headerTraceParent);
    }

    /**
     * A command sent as the object ({@link CommandCodecs}): exactly what {@link #commandFromJson} makes of
     * {@link #toJson(Command) its JSON form}, stamped with {@code nowMillis}. A command whose every field
     * reads back unchanged (the case for every command trade-api builds) is taken as it is; any other
     * goes through the JSON form, so its normalisation and its refusal are the JSON path's.
     */
    public static Command commandFromObject(Command c, long nowMillis, String headerTraceParent)
            throws MalformedCommandException {
        if (!readsBackUnchanged(c)) {
            return commandFromJson(toJson(c), nowMillis, headerTraceParent);
        }
        String trace = c.traceParent();
        if (!isTraceParent(trace)) {
            trace = isTraceParent(headerTraceParent) ? headerTraceParent : null;
        }
        return new Command(c.type(), c.orderId(), c.account(), c.symbol(), c.side(), c.orderType(), c.tif(), c.price(),
                c.stopPrice(), c.qty(), nowMillis, trace);
    }

    /** True when {@code commandFromJson(toJson(c))} would give c's fields back (time and trace aside). */
    private static boolean readsBackUnchanged(Command c) {
        if (c.type() == null || c.type() == CommandType.TIME_TICK || c.orderId() <= 0 || !plainText(c.symbol())
                || (c.account() != null && !plainText(c.account()))) {
            return false;
        }
        return switch (c.type()) {
            case NEW_ORDER -> c.account() != null && c.side() != null && c.orderType() != null && c.tif() != null
                    && (c.orderType().hasLimitPrice() ? validPrice(c.price()) : c.price() == Price.NONE || validPrice(c.price()))
                    && (c.orderType().isStop() ? validPrice(c.stopPrice())
                    : c.stopPrice() == Price.NONE || validPrice(c.stopPrice()))
                    && c.qty() > 0;
            case CANCEL -> c.side() == null && c.orderType() == null && c.tif() == null && c.price() == Price.NONE
                    && c.stopPrice() == Price.NONE && c.qty() == 0;
            case REPLACE -> c.side() == null && c.orderType() == null && c.tif() == null && validPrice(c.price())
                    && c.stopPrice() == Price.NONE && c.qty() > 0;
            default -> false;
        };
    }

    private static boolean plainText(String s) {
        return s != null && !s.isEmpty() && s.equals(s.strip());
    }

    private static boolean validPrice(long p) {
        return p > 0 && p <= Price.MAX;
    }

    /** Reads a command; see {@link #commandFromBody}. */
    public static Command commandFromJson(JsonObject json, long nowMillis, String headerTraceParent)
            throws MalformedCommandException {
        Reader r = new Reader(json);
        String trace = r.text("traceparent");
        if (!isTraceParent(trace)) {
            trace = isTraceParent(headerTraceParent) ? headerTraceParent : null;
        }
        CommandType type = r.enumValue("type", CommandType.class);
        if (type == CommandType.TIME_TICK) {
            r.fail("type must be one of " + ALLOWED_TYPES);
        } else if (type == null && r.error == null) {
            r.fail("type is required: one of " + ALLOWED_TYPES);
        }
        long orderId = r.positiveLong("order_id", true);
        String account = r.text("account");
        String symbol = r.text("symbol");
        if (symbol == null) {
            r.fail("symbol is required");
        }
        Side side = null;
        OrderType orderType = null;
        TimeInForce tif = null;
        long price = Price.NONE;
        long stop = Price.NONE;
        long qty = 0;
        if (type == CommandType.NEW_ORDER) {
            if (account == null) {
                r.fail("account is required");
            }
            side = r.enumValue("side", Side.class);
            if (side == null) {
                r.fail("side is required: BUY or SELL");
            }
            orderType = r.enumValue("order_type", OrderType.class);
            orderType = orderType == null ? OrderType.LIMIT : orderType;
            tif = r.enumValue("tif", TimeInForce.class);
            tif = tif == null ? (orderType == OrderType.MARKET ? TimeInForce.IOC : TimeInForce.GTC) : tif;
            price = r.price("price", orderType.hasLimitPrice());
            stop = r.price("stop_price", orderType.isStop());
            qty = r.positiveLong("qty", true);
        } else if (type == CommandType.REPLACE) {
            price = r.price("price", true);
            qty = r.positiveLong("qty", true);
        }
        Command c = new Command(type, orderId, account, symbol, side, orderType, tif, price, stop, qty, nowMillis,
                trace);
        if (r.error != null) {
            throw new MalformedCommandException(r.error, c);
        }
        return c;
    }

    /** Writes a command as the bus expects it (for callers such as trade-api). */
    public static JsonObject toJson(Command c) {
        JsonObject j = new JsonObject();
        JsonFields.put(j, "type", c.type());
        j.put("order_id", c.orderId());
        JsonFields.put(j, "account", c.account());
        JsonFields.put(j, "symbol", c.symbol());
        JsonFields.put(j, "side", c.side());
        JsonFields.put(j, "order_type", c.orderType());
        JsonFields.put(j, "tif", c.tif());
        JsonFields.putPrice(j, "price", c.price());
        JsonFields.putPrice(j, "stop_price", c.stopPrice());
        if (c.qty() != 0) {
            j.put("qty", c.qty());
        }
        JsonFields.put(j, "traceparent", c.traceParent());
        return j;
    }

    // ------------------------------------------------------------------ results and events

    public static JsonObject toJson(CommandResult r) {
        JsonArray events = new JsonArray(new ArrayList<>(r.events().size()));
        for (ExchangeEvent e : r.events()) {
            events.add(toJson(e));
        }
        return new JsonObject()
                .put("code", r.code().code())
                .put("result", r.code().name())
                .put("message", r.code().message())
                .put("journal_seq", r.journalSeq())
                .put("events", events);
    }

    /** A REJECTED result for an unreadable command; {@code message} says what was wrong. */
    public static JsonObject malformed(MalformedCommandException e) {
        return toJson(CommandResult.refused(e.partial(), ResultCode.MALFORMED_COMMAND)).put("message",
                ResultCode.MALFORMED_COMMAND.message() + ": " + e.getMessage());
    }

    /** Reads a command result; throws IllegalArgumentException with a clear message for bad input. */
    public static CommandResult resultFromJson(JsonObject j) {
        JsonFields f = JsonFields.of(j, "command result");
        JsonArray a = f.optionalArray("events");
        List<ExchangeEvent> events = a == null ? List.of()
                : f.list("events", a, e -> eventFromJson(FeedJson.asObject(e, "event")));
        return new CommandResult(f.optionalLong("journal_seq", 0), events,
                FeedJson.resultCode("command result", f.optionalInt("code", 0)));
    }

    public static JsonObject toJson(ExchangeEvent e) {
        JsonObject j = new JsonObject()
                .put("seq", e.seq())
                .put("shard", e.shard())
                .put("type", e.type().name())
                .put("order_id", e.orderId());
        JsonFields.put(j, "account", e.account());
        if (e.counterOrderId() != 0) {
            j.put("counter_order_id", e.counterOrderId());
        }
        JsonFields.put(j, "counter_account", e.counterAccount());
        JsonFields.put(j, "symbol", e.symbol());
        JsonFields.put(j, "side", e.side());
        JsonFields.put(j, "order_type", e.orderType());
        JsonFields.put(j, "tif", e.tif());
        JsonFields.putPrice(j, "price", e.price());
        j.put("qty", e.qty()).put("leaves_qty", e.leavesQty()).put("filled_qty", e.filledQty());
        if (e.type() == EventType.TRADE) {
            j.put("counter_leaves_qty", e.counterLeavesQty());
        }
        ResultCode rc = e.resultCode() == null ? ResultCode.OK : e.resultCode();
        j.put("result_code", rc.code());
        if (!rc.isOk()) {
            j.put("result", rc.name());
        }
        j.put("timestamp", e.timestamp());
        JsonFields.put(j, "traceparent", e.traceParent());
        return j;
    }

    /**
     * Reads an event; throws IllegalArgumentException naming the field when the object is not one
     * (type missing or unknown, a number where a string belongs, a bad price, an unknown code).
     */
    public static ExchangeEvent eventFromJson(JsonObject j) {
        JsonFields f = JsonFields.of(j, "event");
        return new ExchangeEvent(f.optionalLong("seq", 0), f.optionalInt("shard", 0),
                f.requiredEnum("type", EventType.class), f.optionalLong("order_id", 0), f.optionalText("account"),
                f.optionalLong("counter_order_id", 0), f.optionalText("counter_account"), f.optionalText("symbol"),
                f.optionalEnum("side", Side.class), f.optionalEnum("order_type", OrderType.class),
                f.optionalEnum("tif", TimeInForce.class), f.optionalPrice("price"), f.optionalLong("qty", 0),
                f.optionalLong("leaves_qty", 0), f.optionalLong("filled_qty", 0),
                f.optionalLong("counter_leaves_qty", 0),
                FeedJson.resultCode("event", f.optionalInt("result_code", 0)), f.optionalLong("timestamp", 0),
                f.optionalText("traceparent"));
    }

    // ------------------------------------------------------------------ the feed

    /**
     * {@code {"shard","code","message"?,"head_seq","first_kept_seq","events":[event…]}}, code as
     * the int of {@link ResultCode}.
     */
    public static JsonObject toJson(FeedBatch b) {
        return FeedJson.toJson(b);
    }

    /** Reads a feed batch; throws IllegalArgumentException with a clear message for bad input. */
    public static FeedBatch feedBatchFromJson(JsonObject j) {
        return FeedJson.feedBatchFromJson(j);
    }

    /**
     * {@code {"shard","seq","symbol","bids":[["10.01",300,2],…],"asks":[…],"orders":[order…]?,
     * "stops":[order…]?,"last","reference","open","high","low","volume","turnover","trades","time",
     * "all_trades"}}: levels are [price, qty, number of orders] best first; prices that are
     * {@link Price#NONE} and lists that were not asked for are left out; {@code turnover} is money, a
     * decimal string; {@code all_trades} is the symbol's trades of all time (absent from an older
     * exchange: read as -1).
     */
    public static JsonObject toJson(BookSnapshot s) {
        return FeedJson.toJson(s);
    }

    /** Reads a book snapshot; throws IllegalArgumentException with a clear message for bad input. */
    public static BookSnapshot bookSnapshotFromJson(JsonObject j) {
        return FeedJson.bookSnapshotFromJson(j);
    }

    /**
     * {@code {"order_id","account","symbol","side","order_type","tif","price"?,"stop_price"?,"qty",
     * "filled_qty","leaves_qty","entered_at"}}.
     */
    public static JsonObject toJson(OrderView o) {
        return FeedJson.toJson(o);
    }

    /** Reads an order view; throws IllegalArgumentException with a clear message for bad input. */
    public static OrderView orderViewFromJson(JsonObject j) {
        return FeedJson.orderViewFromJson(j);
    }

    /** {@code {"shard","seq","account","orders":[order…]}}. */
    public static JsonObject toJson(AccountSnapshot a) {
        return FeedJson.toJson(a);
    }

    /** Reads an account snapshot; throws IllegalArgumentException with a clear message for bad input. */
    public static AccountSnapshot accountSnapshotFromJson(JsonObject j) {
        return FeedJson.accountSnapshotFromJson(j);
    }

    // ------------------------------------------------------------------ helpers


    /** Reads fields, keeping the first problem instead of stopping, so a rejection echoes what it can. */
    private static final class Reader {
        final JsonObject json;
        String error;

        Reader(JsonObject json) {
            this.json = json;
        }

        void fail(String message) {
            if (error == null) {
                error = message;
            }
        }

        String text(String key) {
            Object v = json.getValue(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof String s)) {
                fail(key + " must be a string");
                return null;
            }
            String t = s.strip();
            return t.isEmpty() ? null : t;
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type) {
            String s = text(key);
            if (s == null) {
                return null;
            }
            try {
                return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                List<String> names = new ArrayList<>();
                for (E c : type.getEnumConstants()) {
                    names.add(c.name());
                }
                fail(key + " '" + s + "' is not one of " + names);
                return null;
            }
        }

        long positiveLong(String key, boolean required) {
            Object v = json.getValue(key);
            if (v == null) {
                if (required) {
                    fail(key + " is required");
                }
                return 0;
            }
            long n;
            if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                n = ((Number) v).longValue();
            } else if (v instanceof String s && s.matches("\\d{1,19}")) {
                try {
                    n = Long.parseLong(s);
                } catch (NumberFormatException e) {
                    n = -1;
                }
            } else {
                n = -1;
            }
            if (n <= 0) {
                fail(key + " must be a positive integer");
                return 0;
            }
            return n;
        }

        long price(String key, boolean required) {
            Object v = json.getValue(key);
            if (v == null) {
                if (required) {
                    fail(key + " is required, as a decimal string like \"10.01\"");
                }
                return Price.NONE;
            }
            if (!(v instanceof String s)) {
                fail(key + " must be a decimal string like \"10.01\"");
                return Price.NONE;
            }
            long p = Price.parse(s.strip());
            if (p == Price.INVALID) {
                fail(key + " '" + s + "' is not a decimal with at most 2 places");
                return Price.NONE;
            }
            return p;
        }
    }

    /** The reply of {@link ExchangeAddresses#INSTRUMENTS}: {@code {"code":0,"calendar":…,"instruments":[…]}}. */
    public static JsonObject toJson(Universe u) {
        JsonArray list = new JsonArray();
        for (InstrumentInfo i : u.instruments()) {
            list.add(new JsonObject().put("symbol", i.symbol()).put("name", i.name())
                    .put("prev_close", Price.format(i.prevClose())).put("tick_size", Price.format(i.tickSize()))
                    .put("board_lot", i.boardLot()).put("max_order_qty", i.maxOrderQty())
                    .put("band_percent", i.bandPercent()).put("float_shares", i.floatShares())
                    .put("eps", signedDecimal(i.eps())));
        }
        return new JsonObject().put("code", 0)
                .put("calendar", new JsonObject().put("type", u.calendar()).put("zone", u.zone()).put("day_end", u.dayEnd())
                        .put("holidays", new JsonArray(u.holidays().stream().map(LocalDate::toString).toList())))
                .put("instruments", list);
    }

    /**
     * A signed decimal with two places, {@code "0.00"} for 0: an EPS of 0 means unknown (a universe without
     * the column), not {@link Price#NONE}, so it is sent as a number like any other ({@link Price#format} would
     * send "", which no reader took).
     */
    private static String signedDecimal(long hundredths) {
        StringBuilder sb = new StringBuilder(16);
        Price.appendTo(sb, hundredths);
        return sb.toString();
    }

    /**
     * Reads {@link #toJson(Universe)}; throws IllegalArgumentException naming the bad field. An absent or
     * empty {@code eps} (an exchange built before it sent {@code "0.00"} for an unknown one) reads as 0,
     * unknown, as an absent {@code float_shares} does.
     */
    public static Universe universeFromJson(JsonObject j) {
        try {
            JsonObject cal = j.getJsonObject("calendar");
            List<InstrumentInfo> list = new ArrayList<>();
            for (Object o : j.getJsonArray("instruments")) {
                JsonObject i = (JsonObject) o;
                list.add(new InstrumentInfo(i.getString("symbol"), i.getString("name"),
                        money(i, "prev_close"), money(i, "tick_size"), i.getLong("board_lot"),
                        i.getLong("max_order_qty"), i.getInteger("band_percent"), i.getLong("float_shares", 0L),
                        signedMoney(i.getString("eps", "0"))));
            }
            List<LocalDate> holidays = new ArrayList<>();
            for (Object o : cal.getJsonArray("holidays", new JsonArray())) { // absent from an older exchange
                holidays.add(LocalDate.parse((String) o));
            }
            return new Universe(cal.getString("type"), cal.getString("zone"), cal.getString("day_end"), list, holidays);
        } catch (ClassCastException | NullPointerException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("malformed instruments reply: " + e.getMessage(), e);
        }
    }

    private static long money(JsonObject j, String field) {
        long v = Price.parse(j.getString(field));
        if (v == Price.INVALID) {
            throw new IllegalArgumentException("malformed instruments reply: bad " + field);
        }
        return v;
    }

    private static long signedMoney(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        boolean negative = s.startsWith("-");
        long v = Price.parse(negative ? s.substring(1) : s);
        if (v == Price.INVALID) {
            throw new IllegalArgumentException("malformed instruments reply: bad eps");
        }
        return negative ? -v : v;
    }
}
