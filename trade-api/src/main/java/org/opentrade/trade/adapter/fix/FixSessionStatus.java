package org.opentrade.trade.adapter.fix;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.model.SessionClock;
import org.opentrade.exchange.model.SessionPhase;
import org.opentrade.exchange.model.TradingCalendar;
import quickfix.FieldNotFound;
import quickfix.Message;
import quickfix.SessionID;
import quickfix.fix44.TradingSessionStatus;

/**
 * TradingSessionStatusRequest (g) → TradingSessionStatus (h): where the exchange's trading day stands, from the
 * calendar its engine runs on ({@link SessionClock}), as REST's {@code GET /v1/market/clock} says it.
 *
 * <p><b>The status.</b> TradingSessionID {@value #SESSION_ID} (the exchange's one session); TradSesStatus 2 open
 * (continuous matching), 4 pre-open (the call auction and the pre-open: orders collect), 1 halted (the lunch break:
 * trading resumes the same day), 3 closed; TradSesMode 2 (simulated: a sandbox); TradSesOpenTime and
 * TradSesCloseTime when continuous matching next starts and stops, TradSesEndTime when the trading day ends (each
 * left out when not within 31 days: the 24×7 calendar never opens or closes); Text names the phase and the next one.
 * UnsolicitedIndicator N on the answer, Y on an update.
 *
 * <p><b>Subscriptions.</b> SubscriptionRequestType 0 answers once; 1 answers and sends an update at every phase
 * change while the session lasts (one subscription a session: a second replaces the first); 2 ends it (answered
 * with the status as it is). Refused (TradSesStatus 6, TradSesStatusRejReason 1, Text): a TradingSessionID other
 * than ours; (reason 99) another SubscriptionRequestType, a TradSesReqID over {@value #MAX_REQ_ID_LENGTH}
 * characters.
 *
 * <p>Trade context only: no locks. Updates are timed by {@code schedule} (one timer for all subscriptions, at the
 * next phase change, whose task runs {@link #publish} on the trade context).
 */
final class FixSessionStatus {
    static final int TRAD_SES_REQ_ID = 335, TRADING_SESSION_ID = 336, TRAD_SES_MODE = 339, TRAD_SES_STATUS = 340,
            TRAD_SES_OPEN_TIME = 342, TRAD_SES_CLOSE_TIME = 344, TRAD_SES_END_TIME = 345, SUBSCRIPTION_REQUEST_TYPE = 263,
            UNSOLICITED_INDICATOR = 325, TRAD_SES_STATUS_REJ_REASON = 567, TEXT = 58;
    static final String SESSION_ID = "1";
    static final int MAX_REQ_ID_LENGTH = 64;
    static final int HALTED = 1, OPEN = 2, CLOSED = 3, PRE_OPEN = 4, REJECTED = 6;
    static final int SIMULATED = 2;
    static final int REJ_UNKNOWN_SESSION = 1, REJ_OTHER = 99;

    private final TradingCalendar calendar;
    private final LongSupplier clock;
    private final FixOrders.Outbound out;
    /** Told when the next update is due (epoch ms); it must then call {@link #publish} on the trade context. */
    private final LongConsumer schedule;
    /** Sessions subscribed → their TradSesReqID. */
    private final Map<SessionID, String> subscribed = new LinkedHashMap<>();
    private long scheduledFor = -1;

    FixSessionStatus(TradingCalendar calendar, LongSupplier clock, FixOrders.Outbound out, LongConsumer schedule) {
        this.calendar = calendar == null ? new ContinuousCalendar() : calendar;
        this.clock = clock;
        this.out = out;
        this.schedule = schedule;
    }

    /** A TradingSessionStatusRequest of {@code session}. */
    void onRequest(SessionID session, Message request) throws FieldNotFound {
        String reqId = request.getString(TRAD_SES_REQ_ID);
        char type = request.getChar(SUBSCRIPTION_REQUEST_TYPE);
        if (reqId.length() > MAX_REQ_ID_LENGTH) {
            out.send(session, rejected(reqId.substring(0, MAX_REQ_ID_LENGTH), REJ_OTHER,
                    "TradSesReqID(335) is over " + MAX_REQ_ID_LENGTH + " characters"));
            return;
        }
        if (request.isSetField(TRADING_SESSION_ID) && !SESSION_ID.equals(request.getString(TRADING_SESSION_ID))) {
            String asked = request.getString(TRADING_SESSION_ID);
            out.send(session, rejected(reqId, REJ_UNKNOWN_SESSION, "unknown TradingSessionID(336) '"
                    + (asked.length() > 16 ? asked.substring(0, 16) + "..." : asked) + "': the exchange has one, "
                    + SESSION_ID));
            return;
        }
        switch (type) {
            case '0' -> { }
            case '1' -> subscribed.put(session, reqId);
            case '2' -> subscribed.remove(session);
            default -> {
                out.send(session, rejected(reqId, REJ_OTHER, "SubscriptionRequestType(263) must be 0 (snapshot), 1"
                        + " (snapshot and updates) or 2 (end the updates), got '" + type + "'"));
                return;
            }
        }
        SessionClock now = SessionClock.at(calendar, clock.getAsLong());
        out.send(session, status(reqId, now, false));
        scheduleNext(now);
    }

    /** The session ended: its subscription ends with it. */
    void loggedOut(SessionID session) {
        subscribed.remove(session);
    }

    int subscriptions() {
        return subscribed.size();
    }

    /**
     * The timer's task (trade context), for the phase change at {@code dueAt}: an update to every subscription. Only
     * the timer of the change the next one is scheduled from schedules again: a request answered between the change
     * and this task has scheduled the next change already, and a second timer for it would live on, doubling every
     * later update.
     */
    void publish(long dueAt) {
        SessionClock now = SessionClock.at(calendar, clock.getAsLong());
        for (Map.Entry<SessionID, String> s : subscribed.entrySet()) {
            out.send(s.getKey(), status(s.getValue(), now, true));
        }
        if (dueAt == scheduledFor) {
            scheduledFor = -1;
            scheduleNext(now);
        }
    }

    private void scheduleNext(SessionClock now) {
        if (!subscribed.isEmpty() && now.nextPhaseAt() > 0 && now.nextPhaseAt() != scheduledFor) {
            scheduledFor = now.nextPhaseAt();
            schedule.accept(scheduledFor);
        }
    }

    static TradingSessionStatus status(String reqId, SessionClock c, boolean unsolicited) {
        TradingSessionStatus h = new TradingSessionStatus();
        h.setString(TRAD_SES_REQ_ID, reqId);
        h.setString(TRADING_SESSION_ID, SESSION_ID);
        h.setInt(TRAD_SES_STATUS, statusOf(c.phase()));
        h.setInt(TRAD_SES_MODE, SIMULATED);
        h.setBoolean(UNSOLICITED_INDICATOR, unsolicited);
        if (c.nextOpen() > 0) {
            h.setUtcTimeStamp(TRAD_SES_OPEN_TIME, utc(c.nextOpen()), true);
        }
        if (c.nextClose() > 0) {
            h.setUtcTimeStamp(TRAD_SES_CLOSE_TIME, utc(c.nextClose()), true);
        }
        if (c.tradingDayEndsAt() > 0) {
            h.setUtcTimeStamp(TRAD_SES_END_TIME, utc(c.tradingDayEndsAt()), true);
        }
        h.setString(TEXT, name(c.phase()) + (c.nextPhase() == null ? "" : "; " + name(c.nextPhase()) + " at "
                + Instant.ofEpochMilli(c.nextPhaseAt())));
        return h;
    }

    private static TradingSessionStatus rejected(String reqId, int reason, String text) {
        TradingSessionStatus h = new TradingSessionStatus();
        h.setString(TRAD_SES_REQ_ID, reqId);
        h.setString(TRADING_SESSION_ID, SESSION_ID);
        h.setInt(TRAD_SES_STATUS, REJECTED);
        h.setInt(TRAD_SES_STATUS_REJ_REASON, reason);
        h.setString(TEXT, text);
        return h;
    }

    /** TradSesStatus of a phase: the break is a halt (trading resumes the same day). */
    static int statusOf(SessionPhase p) {
        return switch (p) {
            case CONTINUOUS -> OPEN;
            case CALL_AUCTION, PRE_OPEN -> PRE_OPEN;
            case BREAK -> HALTED;
            case CLOSED -> CLOSED;
        };
    }

    private static String name(SessionPhase p) {
        return p.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static LocalDateTime utc(long epochMs) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC);
    }
}
