package org.opentrade.exchange.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * An endless, seeded stream of engine commands for differential, snapshot and crash-recovery tests:
 * limit orders (GTC, IOC, FOK; DAY in rules mode), market orders, stops and stop-limits (rules mode),
 * cancels and replaces of orders it sent earlier and of ids that never existed, new orders that
 * reuse an id, and clock ticks. Prices cluster around a slowly walking mid per symbol, so books
 * cross often and hold a few hundred to a thousand resting orders each.
 *
 * <p>Deterministic: the same seed and options give the same commands, whatever an engine does with
 * them (the stream never looks at an engine), so a test can regenerate any prefix or tail.
 * Not thread-safe.
 */
public final class RandomCommandStream implements Iterator<Command> {

    /**
     * What to generate.
     *
     * @param symbols     instruments to trade
     * @param mids        starting mid price of each symbol, hundredths
     * @param ticks       price increment of each symbol, hundredths (a few prices are sent off the tick
     *                    in rules mode, for the rules to reject)
     * @param rulesMode   add DAY orders, stops, stop-limits and clock ticks; buys in board lots (with a
     *                    few odd lots, oversized and out-of-band orders that the rules must reject)
     * @param accounts    number of distinct accounts (fewer: more self-trade situations)
     * @param spreadTicks how far passive prices spread from the mid
     * @param startMillis timestamp of the first command
     * @param stepMillis  mean time between commands (0: every command carries {@code startMillis})
     * @param activeFrom  with {@code activeTo}: skip the clock to this local time when it leaves the
     *                    window, so a stream spends its commands around trading hours (null: no window)
     * @param zone        zone of the active window
     */
    public record Options(List<String> symbols, List<Long> mids, List<Long> ticks, boolean rulesMode, int accounts, int spreadTicks,
                          long startMillis, long stepMillis, LocalTime activeFrom, LocalTime activeTo, ZoneId zone) {
        public Options {
            symbols = List.copyOf(symbols);
            mids = List.copyOf(mids);
            ticks = List.copyOf(ticks);
            if (symbols.isEmpty() || symbols.size() != mids.size() || symbols.size() != ticks.size()) {
                throw new IllegalArgumentException("need one mid price and one tick per symbol");
            }
            if (accounts < 1 || spreadTicks < 2 || stepMillis < 0) {
                throw new IllegalArgumentException("accounts >= 1, spreadTicks >= 2, stepMillis >= 0");
            }
            if ((activeFrom == null) != (activeTo == null) || (activeFrom != null && !activeFrom.isBefore(activeTo))) {
                throw new IllegalArgumentException("active window needs activeFrom < activeTo, or neither");
            }
        }

        public Options withAccounts(int n) {
            return new Options(symbols, mids, ticks, rulesMode, n, spreadTicks, startMillis, stepMillis, activeFrom, activeTo,
                    zone);
        }

        public Options withClock(long start, long step) {
            return new Options(symbols, mids, ticks, rulesMode, accounts, spreadTicks, start, step, activeFrom, activeTo, zone);
        }

        public Options withActiveWindow(LocalTime from, LocalTime to, ZoneId z) {
            return new Options(symbols, mids, ticks, rulesMode, accounts, spreadTicks, startMillis, stepMillis, from, to, z);
        }
    }

    /** Pure matching (the replay contract): three symbols around 100.00, timestamps all 0. */
    public static Options pureOptions() {
        return new Options(List.of("AAA", "BBB", "CCC"), List.of(10_000L, 10_000L, 2_000L), List.of(1L, 1L, 1L), false,
                50, 20, 0, 0, null, null, null);
    }

    /** Rules mode on every instrument of a catalog, mids at the previous closes. */
    public static Options rulesOptions(InstrumentCatalog catalog, long startMillis, long stepMillis) {
        List<String> symbols = new ArrayList<>();
        List<Long> mids = new ArrayList<>();
        List<Long> ticks = new ArrayList<>();
        for (Instrument i : catalog.all()) {
            symbols.add(i.symbol());
            mids.add(i.prevClose());
            ticks.add(i.tickSize());
        }
        return new Options(symbols, mids, ticks, true, 20, 15, startMillis, stepMillis, null, null, null);
    }

    public static RandomCommandStream pure(long seed) {
        return new RandomCommandStream(seed, pureOptions());
    }

    /** One order the stream sent that may still be live; forgotten once canceled. */
    private static final class Sent {
        final long id;
        final int symbol;
        final Side side;
        long price;
        long qty;

        Sent(long id, int symbol, Side side, long price, long qty) {
            this.id = id;
            this.symbol = symbol;
            this.side = side;
            this.price = price;
            this.qty = qty;
        }
    }

    private static final int POOL_LIMIT_PER_SYMBOL = 1_500;

    private final Options o;
    private final SplittableRandom rnd;
    /** Mid of each symbol, in ticks of that symbol. */
    private final long[] mids;
    private final long[] ticks;
    private final long[] lows;
    private final long[] highs;
    private final List<Sent> pool = new ArrayList<>();
    private long nextId;
    private long clock;
    private long windowEnd = Long.MIN_VALUE;
    /** Whether the last limit price was through the mid (such orders mostly trade at once). */
    private boolean lastAggressive;
    private long generated;

    public RandomCommandStream(long seed, Options options) {
        this.o = Objects.requireNonNull(options);
        this.rnd = new SplittableRandom(seed);
        int n = o.symbols().size();
        mids = new long[n];
        ticks = new long[n];
        lows = new long[n];
        highs = new long[n];
        for (int i = 0; i < n; i++) {
            ticks[i] = o.ticks().get(i);
            long m = o.mids().get(i) / ticks[i];
            mids[i] = m;
            // rules mode stays well inside a ±10% band; pure mode may wander further
            long reach = o.rulesMode() ? m * 5 / 100 : m * 30 / 100;
            lows[i] = Math.max(o.spreadTicks() * 3L, m - reach);
            highs[i] = m + reach;
        }
        clock = o.startMillis();
    }

    public Options options() {
        return o;
    }

    public List<String> symbols() {
        return o.symbols();
    }

    /** Commands generated so far. */
    public long generated() {
        return generated;
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    /** The next {@code n} commands. */
    public List<Command> take(int n) {
        List<Command> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(next());
        }
        return l;
    }

    @Override
    public Command next() {
        generated++;
        long ts = advanceClock();
        int s = rnd.nextInt(mids.length);
        walkMid(s);
        int r = rnd.nextInt(1000);
        return o.rulesMode() ? nextRules(r, s, ts) : nextPure(r, s, ts);
    }

    private Command nextPure(int r, int s, long ts) {
        if (r < 420) {
            return limit(s, TimeInForce.GTC, ts);
        } else if (r < 490) {
            return limit(s, TimeInForce.IOC, ts);
        } else if (r < 540) {
            return limit(s, TimeInForce.FOK, ts);
        } else if (r < 590) {
            return market(s, ts);
        } else if (r < 850) {
            return cancel(ts);
        } else if (r < 985) {
            return replace(ts);
        }
        return reusedId(s, ts);
    }

    private Command nextRules(int r, int s, long ts) {
        if (r < 250) {
            return limit(s, TimeInForce.GTC, ts);
        } else if (r < 350) {
            return limit(s, TimeInForce.DAY, ts);
        } else if (r < 410) {
            return limit(s, TimeInForce.IOC, ts);
        } else if (r < 450) {
            return limit(s, TimeInForce.FOK, ts);
        } else if (r < 495) {
            return market(s, ts);
        } else if (r < 520) {
            return stop(s, OrderType.STOP, ts);
        } else if (r < 545) {
            return stop(s, OrderType.STOP_LIMIT, ts);
        } else if (r < 805) {
            return cancel(ts);
        } else if (r < 965) {
            return replace(ts);
        } else if (r < 980) {
            return reusedId(s, ts);
        }
        return Command.tick(ts);
    }

    // ------------------------------------------------------------------ clock and prices

    private long advanceClock() {
        if (o.stepMillis() == 0) {
            return clock;
        }
        clock += o.stepMillis() / 2 + rnd.nextLong(o.stepMillis() + 1);
        if (o.activeFrom() != null && clock >= windowEnd) {
            ZonedDateTime t = Instant.ofEpochMilli(clock).atZone(o.zone());
            LocalDate d = t.toLocalDate();
            if (!t.toLocalTime().isBefore(o.activeTo())) {
                d = d.plusDays(1);
            }
            long from = d.atTime(o.activeFrom()).atZone(o.zone()).toInstant().toEpochMilli();
            clock = Math.max(clock, from);
            windowEnd = d.atTime(o.activeTo()).atZone(o.zone()).toInstant().toEpochMilli();
        }
        return clock;
    }

    private void walkMid(int s) {
        if (rnd.nextInt(20) == 0) {
            mids[s] = Math.min(highs[s], Math.max(lows[s], mids[s] + rnd.nextInt(3) - 1));
        }
    }

    /** Mostly passive prices a few ticks behind the mid, sometimes aggressive ones through it. */
    private long limitPrice(int s, Side side) {
        long mid = mids[s];
        int dir = side == Side.BUY ? -1 : 1;
        long offset;
        lastAggressive = rnd.nextInt(10) >= 7;
        if (!lastAggressive) {
            offset = 1 + (long) Math.abs(rnd.nextDouble() * rnd.nextDouble() * o.spreadTicks() * 2);
        } else {
            offset = -rnd.nextInt(o.spreadTicks() / 2 + 1);
        }
        return Math.max(1, mid + dir * offset) * ticks[s];
    }

    private long qty(Side side) {
        if (o.rulesMode()) {
            int roll = rnd.nextInt(1000);
            if (roll < 3) {
                return 1_000_000 + 100L * (1 + rnd.nextInt(10)); // above the maximum order size
            }
            if (side == Side.SELL || roll < 30) {
                return side == Side.SELL && rnd.nextBoolean() ? 100L * (1 + rnd.nextInt(10)) : 1 + rnd.nextInt(999);
            }
            return 100L * (1 + rnd.nextInt(10));
        }
        return rnd.nextBoolean() ? 100L * (1 + rnd.nextInt(10)) : 1 + rnd.nextInt(999);
    }

    private Side side() {
        return rnd.nextBoolean() ? Side.BUY : Side.SELL;
    }

    private String account() {
        return "acct" + rnd.nextInt(o.accounts());
    }

    // ------------------------------------------------------------------ commands

    private Command limit(int s, TimeInForce tif, long ts) {
        Side side = side();
        long price = limitPrice(s, side);
        if (o.rulesMode() && rnd.nextInt(200) == 0) {
            price = (side == Side.BUY ? mids[s] * 115 / 100 : mids[s] * 85 / 100) * ticks[s]; // outside the band
        } else if (o.rulesMode() && ticks[s] > 1 && rnd.nextInt(200) == 0) {
            price += 1; // off the tick
        }
        long qty = qty(side);
        long id = ++nextId;
        if (tif.rests() && (!lastAggressive || rnd.nextInt(4) == 0)) {
            // aggressive orders mostly fill at once: tracking them all would fill the pool with dead ids
            remember(new Sent(id, s, side, price, qty));
        }
        return Command.newOrder(id, account(), o.symbols().get(s), side, OrderType.LIMIT, tif, price, Price.NONE, qty,
                ts);
    }

    private Command market(int s, long ts) {
        Side side = side();
        long qty = o.rulesMode() && side == Side.BUY ? 100L * (1 + rnd.nextInt(5)) : 1 + rnd.nextInt(500);
        TimeInForce tif = rnd.nextInt(5) == 0 ? TimeInForce.FOK : TimeInForce.IOC;
        return Command.newOrder(++nextId, account(), o.symbols().get(s), side, OrderType.MARKET, tif, Price.NONE,
                Price.NONE, qty, ts);
    }

    private Command stop(int s, OrderType type, long ts) {
        Side side = side();
        int dir = side == Side.BUY ? 1 : -1;
        long stopTicks = Math.max(1, mids[s] + dir * (rnd.nextInt(o.spreadTicks()) - 2));
        long limit = type == OrderType.STOP_LIMIT ? Math.max(1, stopTicks + dir * (rnd.nextInt(8) - 2)) * ticks[s]
                : Price.NONE;
        long stop = stopTicks * ticks[s];
        TimeInForce tif = rnd.nextInt(3) == 0 ? TimeInForce.DAY : TimeInForce.GTC;
        long qty = qty(side);
        long id = ++nextId;
        remember(new Sent(id, s, side, limit == Price.NONE ? stop : limit, qty));
        return Command.newOrder(id, account(), o.symbols().get(s), side, type, tif, limit, stop, qty, ts);
    }

    private Command cancel(long ts) {
        if (pool.isEmpty() || rnd.nextInt(100) < 8) {
            return Command.cancel(unknownId(), o.symbols().get(rnd.nextInt(mids.length)), ts);
        }
        Sent x = forget(farthestOf(3));
        return Command.cancel(x.id, o.symbols().get(x.symbol), ts);
    }

    private Command replace(long ts) {
        if (pool.isEmpty() || rnd.nextInt(100) < 12) {
            int s = rnd.nextInt(mids.length);
            return Command.replace(unknownId(), o.symbols().get(s), limitPrice(s, side()), qty(Side.SELL), ts);
        }
        Sent x = pool.get(farthestOf(2));
        long price = rnd.nextBoolean() ? x.price : limitPrice(x.symbol, x.side);
        long lot = o.rulesMode() && x.side == Side.BUY ? 100 : 1;
        long lots = x.qty / lot;
        int q = rnd.nextInt(10);
        long qty;
        if (q < 4 && lots >= 2) {
            qty = lot * (1 + rnd.nextLong(lots - 1)); // lower: keeps priority when the price stays
        } else if (q < 7) {
            qty = x.qty;
        } else {
            qty = x.qty + lot * (1 + rnd.nextInt(5));
        }
        x.price = price;
        x.qty = qty;
        return Command.replace(x.id, o.symbols().get(x.symbol), price, qty, ts);
    }

    /** A new order whose id the stream used before: live (a duplicate) or finished (reused). */
    private Command reusedId(int s, long ts) {
        if (pool.isEmpty()) {
            return limit(s, TimeInForce.GTC, ts);
        }
        Sent x = pool.get(rnd.nextInt(pool.size()));
        Side side = side();
        return Command.newOrder(x.id, account(), o.symbols().get(s), side, OrderType.LIMIT, TimeInForce.IOC,
                limitPrice(s, side), Price.NONE, qty(side), ts);
    }

    /**
     * Index of the pool entry farthest from its mid among a few random ones: cancels mostly take
     * orders the market left behind (which would otherwise pile up and are likely still live).
     */
    private int farthestOf(int samples) {
        int best = rnd.nextInt(pool.size());
        long bestDistance = distance(pool.get(best));
        for (int k = 1; k < samples; k++) {
            int i = rnd.nextInt(pool.size());
            long d = distance(pool.get(i));
            if (d > bestDistance) {
                best = i;
                bestDistance = d;
            }
        }
        return best;
    }

    private long distance(Sent x) {
        return Math.abs(x.price / ticks[x.symbol] - mids[x.symbol]);
    }

    private long unknownId() {
        return nextId + 1_000_000_000L + rnd.nextInt(1_000_000);
    }

    private void remember(Sent x) {
        pool.add(x);
        if (pool.size() > POOL_LIMIT_PER_SYMBOL * mids.length) {
            forget(mostLikelyFilledOf(8));
        }
    }

    /**
     * Index of the entry priced furthest through its mid among a few random ones: the order most
     * likely filled long ago, so forgetting it rarely leaves a live order nobody will cancel.
     */
    private int mostLikelyFilledOf(int samples) {
        int best = -1;
        long bestDepth = Long.MIN_VALUE;
        for (int k = 0; k < samples; k++) {
            int i = rnd.nextInt(pool.size());
            Sent x = pool.get(i);
            long offset = x.price / ticks[x.symbol] - mids[x.symbol];
            long depth = x.side == Side.BUY ? offset : -offset;
            if (depth > bestDepth) {
                best = i;
                bestDepth = depth;
            }
        }
        return best;
    }

    /** Swap-removes pool entry {@code i}. */
    private Sent forget(int i) {
        Sent x = pool.get(i);
        Sent last = pool.remove(pool.size() - 1);
        if (i < pool.size()) {
            pool.set(i, last);
        }
        return x;
    }
}
