package org.opentrade.bench.exchange;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.opentrade.exchange.model.ResultCode;

/**
 * What the measured part of a mixed stream contains and what it did to the shadow engine: the
 * command mix, trades, rejections, and the resting orders per book seen after every command, so a
 * benchmark can show that it measured a steady-state book and not an emptying one.
 */
public final class StreamStats {
    /** The command kinds of the mix. */
    public enum Kind {
        LIMIT_PASSIVE, LIMIT_MARKETABLE, MARKET, CANCEL, REPLACE_REDUCE, REPLACE_REPRICE, REPLACE_INCREASE
    }

    private final long[] kinds = new long[Kind.values().length];
    private final Map<ResultCode, Long> rejects = new EnumMap<>(ResultCode.class);
    private long commands;
    private long trades;
    private long bookMin = Long.MAX_VALUE;
    private long bookMax;
    private long bookSum;
    private long bookSamples;
    private long levelSum;
    private long levelSamples;

    void record(Kind kind) {
        kinds[kind.ordinal()]++;
        commands++;
    }

    void trade() {
        trades++;
    }

    void reject(ResultCode code) {
        rejects.merge(code, 1L, Long::sum);
    }

    /** One observation of one book's resting order count. */
    void book(int resting) {
        bookMin = Math.min(bookMin, resting);
        bookMax = Math.max(bookMax, resting);
        bookSum += resting;
        bookSamples++;
    }

    /** One observation of one side's price level count. */
    void levels(int count) {
        levelSum += count;
        levelSamples++;
    }

    public long commands() {
        return commands;
    }

    public long count(Kind kind) {
        return kinds[kind.ordinal()];
    }

    public long trades() {
        return trades;
    }

    public long rejects() {
        long n = 0;
        for (long v : rejects.values()) {
            n += v;
        }
        return n;
    }

    public double meanRestingPerBook() {
        return bookSamples == 0 ? 0 : (double) bookSum / bookSamples;
    }

    public long minRestingPerBook() {
        return bookSamples == 0 ? 0 : bookMin;
    }

    public long maxRestingPerBook() {
        return bookMax;
    }

    public double meanLevelsPerSide() {
        return levelSamples == 0 ? 0 : (double) levelSum / levelSamples;
    }

    private String pct(long n) {
        return String.format(Locale.ROOT, "%.1f%%", commands == 0 ? 0.0 : 100.0 * n / commands);
    }

    /** A few human-readable lines. */
    public String describe(int targetPerBook) {
        long limits = count(Kind.LIMIT_PASSIVE) + count(Kind.LIMIT_MARKETABLE);
        long replaces = count(Kind.REPLACE_REDUCE) + count(Kind.REPLACE_REPRICE) + count(Kind.REPLACE_INCREASE);
        return String.format(Locale.ROOT,
                "  mix: new limit %s (of which marketable %s), market %s, cancel %s, replace %s "
                        + "(qty down %s, reprice %s, qty up %s)%n"
                        + "  outcomes: %d trades (%.2f per command), %d rejected %s%n"
                        + "  resting orders per book after each command: target %d, mean %.0f, min %d, max %d; "
                        + "price levels per side: mean %.0f",
                pct(limits), pct(count(Kind.LIMIT_MARKETABLE)), pct(count(Kind.MARKET)), pct(count(Kind.CANCEL)),
                pct(replaces), pct(count(Kind.REPLACE_REDUCE)), pct(count(Kind.REPLACE_REPRICE)),
                pct(count(Kind.REPLACE_INCREASE)), trades, commands == 0 ? 0.0 : (double) trades / commands,
                rejects(), rejects.isEmpty() ? "" : rejects.toString(), targetPerBook, meanRestingPerBook(),
                minRestingPerBook(), maxRestingPerBook(), meanLevelsPerSide());
    }
}
