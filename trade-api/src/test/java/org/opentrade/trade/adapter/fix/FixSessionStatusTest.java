package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.AShareCalendar;
import quickfix.Message;
import quickfix.SessionID;
import quickfix.fix44.TradingSessionStatusRequest;

/**
 * TradingSessionStatus on the A-share calendar at fixed moments: each phase's status, the next open, close and end
 * of day, updates at phase changes to subscribed sessions only, refusals with their reasons.
 */
class FixSessionStatusTest {
    private static final ZoneId SH = ZoneId.of("Asia/Shanghai");
    private static final SessionID ADA = new SessionID("FIX.4.4", "OPENTRADE", "ADA");
    private static final SessionID BOB = new SessionID("FIX.4.4", "OPENTRADE", "BOB");

    private final AtomicLong now = new AtomicLong();
    private final List<SessionID> to = new ArrayList<>();
    private final List<Message> sent = new ArrayList<>();
    private final List<Long> scheduled = new ArrayList<>();
    /** Mon 5 Jan 2026 trades; Fri 2 Jan is a holiday. */
    private final FixSessionStatus status = new FixSessionStatus(new AShareCalendar(Set.of(java.time.LocalDate.of(2026, 1, 2))),
            now::get, (s, m) -> { to.add(s); sent.add(m); }, scheduled::add);

    private static long at(String local) {
        return LocalDateTime.parse(local).atZone(SH).toInstant().toEpochMilli();
    }

    private static LocalDateTime utc(String local) {
        return LocalDateTime.parse(local).atZone(SH).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }

    private static Message request(String reqId, char type, String sessionId) {
        TradingSessionStatusRequest g = new TradingSessionStatusRequest();
        g.setString(335, reqId);
        g.setChar(263, type);
        if (sessionId != null) {
            g.setString(336, sessionId);
        }
        return g;
    }

    private Message ask(SessionID session, String reqId, char type, String sessionId) throws Exception {
        int before = sent.size();
        status.onRequest(session, request(reqId, type, sessionId));
        assertEquals(before + 1, sent.size(), "one answer");
        return sent.get(before);
    }

    @Test
    void eachPhaseHasItsStatusAndTheNextOpenCloseAndEndOfDay() throws Exception {
        now.set(at("2026-01-05T10:00:00"));
        Message open = ask(ADA, "s-1", '0', null);
        assertEquals("h", open.getHeader().getString(35));
        assertEquals("s-1", open.getString(335));
        assertEquals("1", open.getString(336));
        assertEquals(2, open.getInt(340), "open");
        assertEquals(2, open.getInt(339), "simulated");
        assertFalse(open.getBoolean(325), "an answer, not an update");
        assertEquals(utc("2026-01-05T13:00:00"), open.getUtcTimeStamp(342), "next open: the afternoon");
        assertEquals(utc("2026-01-05T11:30:00"), open.getUtcTimeStamp(344), "next close: the lunch break");
        assertEquals(utc("2026-01-05T15:00:00"), open.getUtcTimeStamp(345));
        assertEquals("continuous; break at 2026-01-05T03:30:00Z", open.getString(58));
        assertEquals(List.of(), scheduled, "a snapshot schedules nothing");

        now.set(at("2026-01-05T12:00:00"));
        assertEquals(1, ask(ADA, "s-2", '0', null).getInt(340), "the lunch break: halted");
        now.set(at("2026-01-05T09:20:00"));
        assertEquals(4, ask(ADA, "s-3", '0', "1").getInt(340), "the call auction: pre-open");
        now.set(at("2026-01-01T20:00:00"));
        Message closed = ask(ADA, "s-4", '0', null);
        assertEquals(3, closed.getInt(340), "closed");
        assertEquals(utc("2026-01-05T09:30:00"), closed.getUtcTimeStamp(342), "past the holiday and the weekend");
    }

    @Test
    void aSubscriptionGetsAnUpdateAtEachPhaseChangeUntilItEnds() throws Exception {
        now.set(at("2026-01-05T11:29:00"));
        ask(ADA, "sub-a", '1', null);
        ask(BOB, "snap-b", '0', null);
        assertEquals(List.of(at("2026-01-05T11:30:00")), scheduled, "the next phase change");

        now.set(at("2026-01-05T11:30:00"));
        to.clear();
        sent.clear();
        status.publish(at("2026-01-05T11:30:00"));
        assertEquals(List.of(ADA), to, "only the subscribed session");
        assertEquals(1, sent.get(0).getInt(340), "halted");
        assertTrue(sent.get(0).getBoolean(325), "an update");
        assertEquals("sub-a", sent.get(0).getString(335));
        assertEquals(at("2026-01-05T13:00:00"), scheduled.get(scheduled.size() - 1));

        ask(ADA, "sub-a", '2', null);
        status.publish(at("2026-01-05T13:00:00"));
        assertEquals(1 + 1, sent.size(), "the answer to the unsubscribe, no more updates");
        ask(BOB, "sub-b", '1', null);
        status.loggedOut(BOB);
        assertEquals(0, status.subscriptions());
    }

    @Test
    void aRequestAnsweredBetweenAPhaseChangeAndItsUpdateLeavesOneTimer() throws Exception {
        now.set(at("2026-01-05T11:29:00"));
        ask(ADA, "sub-a", '1', null);
        now.set(at("2026-01-05T11:30:00") + 2); // the timer is due, its task still queued behind BOB's request
        ask(BOB, "snap-b", '0', null);
        to.clear();
        status.publish(at("2026-01-05T11:30:00"));
        assertEquals(List.of(ADA), to, "the update of the change");
        assertEquals(List.of(at("2026-01-05T11:30:00"), at("2026-01-05T13:00:00")), scheduled, "13:00 once");

        now.set(at("2026-01-05T13:00:00"));
        to.clear();
        status.publish(at("2026-01-05T13:00:00"));
        assertEquals(List.of(ADA), to, "one update per change");
        assertEquals(List.of(at("2026-01-05T11:30:00"), at("2026-01-05T13:00:00"), at("2026-01-05T15:00:00")),
                scheduled, "and one timer for the next");
    }

    @Test
    void refusalsSayWhy() throws Exception {
        now.set(at("2026-01-05T10:00:00"));
        Message otherSession = ask(ADA, "r-1", '0', "NIGHT");
        assertEquals(6, otherSession.getInt(340));
        assertEquals(1, otherSession.getInt(567), "unknown TradingSessionID");
        Message badType = ask(ADA, "r-2", '5', null);
        assertEquals(6, badType.getInt(340));
        assertEquals(99, badType.getInt(567));
        assertTrue(badType.getString(58).contains("SubscriptionRequestType(263)"), badType.toString());
        Message longId = ask(ADA, "x".repeat(200), '0', null);
        assertEquals(99, longId.getInt(567));
        assertEquals(64, longId.getString(335).length());
        assertEquals(0, status.subscriptions());
        assertEquals(List.of(), scheduled);
    }
}
