package org.opentrade.market.domain;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.opentrade.exchange.model.SessionClock;
import org.opentrade.exchange.model.SessionPhase;
import org.opentrade.exchange.model.TradingCalendar;

/**
 * The exchange's clock and session calendar as a trading program asks for them (Alpaca's {@code /v2/clock} and
 * {@code /v2/calendar}): the phase now, when it changes, when continuous matching next starts and stops
 * ({@link SessionClock}, which FIX answers too); and each trading day's sessions. Read from the engine's own
 * {@link TradingCalendar} (through {@link MarketCalendar#sessions}), so it says what the exchange will do, holidays
 * included. Pure functions; any thread.
 */
public final class MarketClock {
    /** The longest span of days one calendar request may ask for. */
    public static final int MAX_DAYS = 366;

    /** One phase of a trading day, {@code [start, end)}. */
    public record Session(SessionPhase phase, long start, long end) {
    }

    /** A trading day and its phases other than closed, in order. */
    public record Day(LocalDate date, List<Session> sessions) {
        /** When continuous matching first starts that day, or -1. */
        public long open() {
            return sessions.stream().filter(s -> s.phase().matches()).mapToLong(Session::start).findFirst().orElse(-1);
        }

        /** When continuous matching last stops that day, or -1. */
        public long close() {
            return sessions.stream().filter(s -> s.phase().matches()).mapToLong(Session::end).reduce((a, b) -> b)
                    .orElse(-1);
        }
    }

    private MarketClock() {
    }

    /** The clock at {@code time}: the engine's calendar's {@link SessionClock}. */
    public static SessionClock at(MarketCalendar calendar, long time) {
        return SessionClock.at(calendar.sessions(), time);
    }

    /**
     * The trading days from {@code from} to {@code to} (both included) with their sessions; days without one
     * (weekends and holidays on the A-share calendar) are left out. A 24×7 trading day runs from the previous
     * day's end to its own ({@link MarketCalendar#tradingDayStart}).
     *
     * @throws IllegalArgumentException when {@code to} is before {@code from} or the span is over {@link #MAX_DAYS}
     */
    public static List<Day> days(MarketCalendar calendar, LocalDate from, LocalDate to) {
        if (to.isBefore(from) || ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw new IllegalArgumentException("the range must run forward and span at most " + MAX_DAYS + " days");
        }
        TradingCalendar s = calendar.sessions();
        List<Day> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            long end = calendar.tradingDayStart(d.plusDays(1));
            List<Session> sessions = new ArrayList<>();
            long t = calendar.tradingDayStart(d);
            while (t < end) {
                SessionPhase p = s.phaseAt(t);
                long b = Math.min(s.nextBoundaryAfter(t), end);
                if (p != SessionPhase.CLOSED) {
                    int last = sessions.size() - 1;
                    if (last >= 0 && sessions.get(last).phase() == p && sessions.get(last).end() == t) {
                        sessions.set(last, new Session(p, sessions.get(last).start(), b)); // a day boundary only
                    } else {
                        sessions.add(new Session(p, t, b));
                    }
                }
                t = b;
            }
            if (!sessions.isEmpty()) {
                days.add(new Day(d, List.copyOf(sessions)));
            }
        }
        return days;
    }
}
