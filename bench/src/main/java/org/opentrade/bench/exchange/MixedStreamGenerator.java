package org.opentrade.bench.exchange;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.opentrade.bench.exchange.StreamStats.Kind;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.domain.ExchangeListener;
import org.opentrade.exchange.domain.Instrument;
import org.opentrade.exchange.domain.MatchingEngine;
import org.opentrade.exchange.domain.Order;
import org.opentrade.exchange.domain.OrderBook;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * Builds a seeded {@link MixedStream}: about 50% new limit orders (a share of them marketable),
 * 5% market orders, 30% cancels and 15% replaces of live orders, spread uniformly over several
 * symbols, with every book held near a target number of resting orders.
 *
 * <p>The generator drives a shadow engine of the same {@link EngineMode} while it writes commands,
 * so it knows exactly which orders are live: cancels and replaces always name a live order, new
 * order ids are unique, quantities are board lots and prices stay inside the daily band (so RULES
 * mode accepts everything). Book size is held steady by feedback on the marketable share of new
 * limits only; the overall mix does not move.
 *
 * <p>Prices: each symbol has a fair value that walks ±1 tick now and then, mean-reverting within
 * 30 ticks of the previous close. Passive limits sit a geometric distance (mean 10 ticks) behind
 * it; marketable limits cross the best opposite price by 0-2 ticks.
 */
public final class MixedStreamGenerator {
    private static final int LIMIT_PCT = 50;
    private static final int MARKET_PCT = 5;
    private static final int CANCEL_PCT = 30;
    /** Marketable share of new limits when the book is exactly at target; feedback moves it. */
    private static final double BASE_MARKETABLE = 0.2;
    private static final double FEEDBACK_GAIN = 2.0;
    private static final double MEAN_DEPTH_TICKS = 10.0;
    private static final int MAX_DEPTH_TICKS = 150;
    private static final int FAIR_VALUE_RANGE_TICKS = 30;
    /** 2025-01-06 10:00 Asia/Shanghai: mid-session, no trading-day end during any stream. */
    private static final long BASE_TIME_MILLIS = 1_736_128_800_000L;
    private static final int ACCOUNTS = 1_000;
    private static final int SAMPLE_LEVELS_EVERY = 4_096;

    private final EngineMode mode;
    private final StreamSpec spec;
    private final SplittableRandom rnd;
    private final String[] symbols;
    private final String[] accounts = new String[ACCOUNTS];
    private final long[] fairValue;
    private final long[] reference;
    private final long[] lower;
    private final long[] upper;
    private final LiveOrders[] live;
    private final MatchingEngine shadow;
    private final Tracker tracker = new Tracker();
    private StreamStats stats = new StreamStats();
    private long nextOrderId = 1;
    private long produced;

    private MixedStreamGenerator(EngineMode mode, StreamSpec spec) {
        this.mode = mode;
        this.spec = spec;
        this.rnd = new SplittableRandom(spec.seed());
        this.symbols = EngineMode.symbols(spec.symbols());
        int n = symbols.length;
        fairValue = new long[n];
        reference = new long[n];
        lower = new long[n];
        upper = new long[n];
        live = new LiveOrders[n];
        for (int i = 0; i < n; i++) {
            Instrument ins = EngineMode.instrument(symbols, i);
            reference[i] = ins.prevClose();
            fairValue[i] = ins.prevClose();
            lower[i] = Instrument.lowerLimit(ins.prevClose(), ins.bandPercent(), ins.tickSize());
            upper[i] = Instrument.upperLimit(ins.prevClose(), ins.bandPercent(), ins.tickSize());
            live[i] = new LiveOrders();
        }
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts[i] = ("acct-" + i).intern();
        }
        shadow = mode.newEngine(symbols);
    }

    /** Generates the stream for {@code spec}; takes about a second per million commands. */
    public static MixedStream generate(EngineMode mode, StreamSpec spec) {
        return new MixedStreamGenerator(mode, spec).run();
    }

    private MixedStream run() {
        List<Command> warmup = new ArrayList<>(spec.symbols() * spec.restingPerBook() + spec.settle());
        buildBooks(warmup);
        for (int i = 0; i < spec.settle(); i++) {
            warmup.add(emit(mixed()));
        }
        byte[] snapshot = snapshot();
        stats = new StreamStats();
        Command[] measured = new Command[spec.length()];
        for (int i = 0; i < measured.length; i++) {
            int s = rnd.nextInt(symbols.length);
            measured[i] = emit(mixed(s));
            if (i % SAMPLE_LEVELS_EVERY == 0) {
                sampleLevels();
            }
        }
        if (stats.rejects() > 0) {
            throw new IllegalStateException("the generator's model of the engine is off: the measured stream had "
                    + "rejections, so it would not measure the intended mix" + System.lineSeparator()
                    + stats.describe(spec.restingPerBook()));
        }
        return new MixedStream(mode, spec, symbols, warmup.toArray(new Command[0]), measured, snapshot,
                shadow.stateHash(), stats);
    }

    /** Passive limits only, on random books still below target, until every book reaches it. */
    private void buildBooks(List<Command> out) {
        int target = spec.restingPerBook();
        int below = symbols.length;
        while (below > 0) {
            int s = rnd.nextInt(symbols.length);
            if (resting(s) >= target) {
                continue;
            }
            out.add(emit(passiveLimit(s, rnd.nextBoolean() ? Side.BUY : Side.SELL)));
            if (resting(s) >= target) {
                below--;
            }
        }
    }

    private Command mixed() {
        return mixed(rnd.nextInt(symbols.length));
    }

    private Command mixed(int s) {
        walkFairValue(s);
        int r = rnd.nextInt(100);
        if (r >= LIMIT_PCT + MARKET_PCT && live[s].size() > 0) {
            return r < LIMIT_PCT + MARKET_PCT + CANCEL_PCT ? cancel(s) : replace(s);
        }
        Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
        if (r >= LIMIT_PCT && r < LIMIT_PCT + MARKET_PCT) {
            stats.record(Kind.MARKET);
            return Command.market(nextOrderId++, account(), symbols[s], side, lots(5), now());
        }
        int resting = resting(s);
        double target = spec.restingPerBook();
        double marketable = clamp(BASE_MARKETABLE + FEEDBACK_GAIN * (resting - target) / target, 0.02, 0.8);
        return rnd.nextDouble() < marketable ? marketableLimit(s, side) : passiveLimit(s, side);
    }

    private Command passiveLimit(int s, Side side) {
        int depth = 1 + (int) Math.min(MAX_DEPTH_TICKS - 1, -Math.log(1 - rnd.nextDouble()) * MEAN_DEPTH_TICKS);
        long price = side == Side.BUY ? fairValue[s] - depth : fairValue[s] + depth;
        stats.record(Kind.LIMIT_PASSIVE);
        return limit(s, side, price, lots(10));
    }

    private Command marketableLimit(int s, Side side) {
        OrderBook book = shadow.book(symbols[s]);
        long opposite = book == null ? Price.NONE : book.bestPrice(side.opposite());
        int through = rnd.nextInt(3);
        long price;
        if (opposite == Price.NONE) {
            price = side == Side.BUY ? fairValue[s] + 1 : fairValue[s] - 1;
        } else {
            price = side == Side.BUY ? opposite + through : opposite - through;
        }
        stats.record(Kind.LIMIT_MARKETABLE);
        return limit(s, side, price, lots(5));
    }

    private Command limit(int s, Side side, long price, long qty) {
        return Command.limit(nextOrderId++, account(), symbols[s], side, TimeInForce.GTC, band(s, price), qty, now());
    }

    private Command cancel(int s) {
        stats.record(Kind.CANCEL);
        return Command.cancel(live[s].random(rnd), symbols[s], now());
    }

    /** 40% lower quantity (keeps priority), 40% move price 1-3 ticks, 20% raise quantity. */
    private Command replace(int s) {
        long id = live[s].random(rnd);
        Order o = shadow.order(id);
        int r = rnd.nextInt(100);
        if (r < 40 && o.leaves() >= 200) {
            stats.record(Kind.REPLACE_REDUCE);
            return Command.replace(id, symbols[s], o.price(), o.qty() - 100, now());
        }
        if (r < 80) {
            long move = (1 + rnd.nextInt(3)) * (rnd.nextBoolean() ? 1 : -1);
            stats.record(Kind.REPLACE_REPRICE);
            return Command.replace(id, symbols[s], band(s, o.price() + move), o.qty(), now());
        }
        stats.record(Kind.REPLACE_INCREASE);
        return Command.replace(id, symbols[s], o.price(), o.qty() + 100, now());
    }

    private void walkFairValue(int s) {
        if (rnd.nextInt(50) != 0) {
            return;
        }
        long step = rnd.nextBoolean() ? 1 : -1;
        if (Math.abs(fairValue[s] + step - reference[s]) > FAIR_VALUE_RANGE_TICKS) {
            step = -step;
        }
        fairValue[s] += step;
    }

    private long band(int s, long price) {
        return Math.max(lower[s], Math.min(upper[s], price));
    }

    private long lots(int max) {
        return 100L * (1 + rnd.nextInt(max));
    }

    private String account() {
        return accounts[rnd.nextInt(ACCOUNTS)];
    }

    /** Engine time in epoch millis: one millisecond per thousand commands. */
    private long now() {
        return BASE_TIME_MILLIS + produced / 1_000;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Runs the command on the shadow engine, updates the live-order sets and the book statistics. */
    private Command emit(Command c) {
        produced++;
        int s = indexOf(c.symbol());
        tracker.symbol = s;
        shadow.process(c, tracker);
        boolean isLive = shadow.order(c.orderId()) != null;
        if (isLive) {
            live[s].add(c.orderId());
        } else {
            live[s].remove(c.orderId());
        }
        stats.book(resting(s));
        return c;
    }

    /** Resting orders of book {@code s}; pure mode creates a book only at its first order. */
    private int resting(int s) {
        OrderBook book = shadow.book(symbols[s]);
        return book == null ? 0 : book.orderCount();
    }

    private int indexOf(String symbol) {
        for (int i = 0; i < symbols.length; i++) {
            if (symbols[i].equals(symbol)) {
                return i;
            }
        }
        throw new IllegalStateException("unknown symbol " + symbol);
    }

    private void sampleLevels() {
        for (String symbol : symbols) {
            OrderBook book = shadow.book(symbol);
            if (book == null) {
                continue;
            }
            for (Side side : Side.values()) {
                int[] n = new int[1];
                book.forEachLevel(side, (p, q, c) -> {
                    n[0]++;
                    return true;
                });
                stats.levels(n[0]);
            }
        }
    }

    private byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        try {
            shadow.writeSnapshot(new DataOutputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Follows fills of resting orders; the command's own order is synchronised after it. */
    private final class Tracker implements ExchangeListener {
        int symbol;

        @Override
        public void onTrade(Order incoming, Order resting, long price, long qty) {
            stats.trade();
            if (resting.leaves() == 0) {
                live[symbol].remove(resting.id());
            }
        }

        @Override
        public void onRejected(Command command, ResultCode code) {
            stats.reject(code);
        }
    }

    /** Live order ids of one book with O(1) add, remove and uniform random pick. */
    private static final class LiveOrders {
        private long[] ids = new long[1024];
        private int size;
        private final Map<Long, Integer> positions = new HashMap<>();

        int size() {
            return size;
        }

        void add(long id) {
            if (positions.containsKey(id)) {
                return;
            }
            if (size == ids.length) {
                ids = java.util.Arrays.copyOf(ids, size * 2);
            }
            positions.put(id, size);
            ids[size++] = id;
        }

        void remove(long id) {
            Integer at = positions.remove(id);
            if (at == null) {
                return;
            }
            long last = ids[--size];
            if (at < size) {
                ids[at] = last;
                positions.put(last, at);
            }
        }

        long random(SplittableRandom rnd) {
            return ids[rnd.nextInt(size)];
        }
    }
}
