package org.opentrade.exchange.model;

/**
 * Where a {@link TradingCalendar}'s trading day stands at a moment and when that changes: the phase, the next
 * phase and when it starts, when continuous matching next starts and stops, when the trading day ends. What
 * market-api's {@code GET /v1/market/clock} and trade-api's FIX TradingSessionStatus answer. Pure; any thread.
 *
 * @param nextPhaseAt      when {@code phase} gives way to {@code nextPhase}
 * @param nextOpen         when continuous matching next starts (after {@code time}, also while it runs now)
 * @param nextClose        when continuous matching next stops (a break, the close)
 * @param tradingDayEndsAt when the current trading day ends: DAY orders expire, the price band re-centres
 *                         <p>A moment not found within {@link #HORIZON_MS} is -1, and so is {@code nextPhase}
 *                         null: the 24×7 calendar never opens or closes, it always matches.
 */
public record SessionClock(long time, SessionPhase phase, SessionPhase nextPhase, long nextPhaseAt, long nextOpen,
                           long nextClose, long tradingDayEndsAt) {
    /** How far ahead the clock looks (past the longest run of holidays). */
    public static final long HORIZON_MS = 31L * 24 * 3_600_000;

    /** The clock of {@code calendar} at {@code time} (epoch ms). */
    public static SessionClock at(TradingCalendar calendar, long time) {
        SessionPhase phase = calendar.phaseAt(time);
        SessionPhase current = phase;
        SessionPhase nextPhase = null;
        long nextPhaseAt = -1;
        long nextOpen = -1;
        long nextClose = -1;
        long dayEnd = -1;
        long t = time;
        while (t - time <= HORIZON_MS && (nextPhaseAt < 0 || nextOpen < 0 || nextClose < 0 || dayEnd < 0)) {
            long b = calendar.nextBoundaryAfter(t);
            SessionPhase p = calendar.phaseAt(b);
            if (dayEnd < 0 && calendar.isTradingDayEnd(b)) {
                dayEnd = b;
            }
            if (p != current) {
                if (nextPhaseAt < 0) {
                    nextPhase = p;
                    nextPhaseAt = b;
                }
                if (nextOpen < 0 && p.matches() && !current.matches()) {
                    nextOpen = b;
                }
                if (nextClose < 0 && !p.matches() && current.matches()) {
                    nextClose = b;
                }
            }
            current = p;
            t = b;
        }
        return new SessionClock(time, phase, nextPhase, nextPhaseAt, nextOpen, nextClose, dayEnd);
    }
}
