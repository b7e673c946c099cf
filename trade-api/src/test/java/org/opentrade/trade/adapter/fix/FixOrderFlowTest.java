package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import quickfix.Message;

/**
 * FIX 4.4 Volume 4 Appendix D scenarios through a QuickFIX/J initiator, against trade-api and the
 * real exchange: each test has its own developer (account), session and symbol, and asserts the
 * exact ExecType/OrdStatus/CumQty/LeavesQty sequence.
 */
class FixOrderFlowTest extends FixHarnessTest {

    @Test
    void aLimitOrderIsNewThenPartiallyThenFullyFilled() throws Exception {
        try (FixClient c = h.client("dev_fill")) {
            c.send(FixMessages.limitBuy("f-1", "601398.SH", 300, "7.12"));
            Message n = c.expectReport('0', '0', 0, 300);
            assertEquals("f-1", n.getString(11));
            assertEquals("300", n.getString(38));
            h.counter("601398.SH", "SELL", "7.12", 100);
            Message p = c.expectReport('F', '1', 100, 200);
            assertEquals("100", p.getString(32));
            assertEquals("7.12", p.getString(31));
            h.counter("601398.SH", "SELL", "7.12", 200);
            Message f = c.expectReport('F', '2', 300, 0);
            assertEquals("200", f.getString(32));
            assertEquals("7.12", f.getString(6));
            assertEquals(n.getString(37), f.getString(37), "one OrderID for the order's life");
        }
    }

    @Test
    void aTakerCrossingTwoPriceLevelsReportsEachTradeAndTheVolumeWeightedAvgPx() throws Exception {
        h.counter("601288.SH", "SELL", "5.20", 100);
        h.counter("601288.SH", "SELL", "5.21", 200);
        try (FixClient c = h.client("dev_avg")) {
            c.send(FixMessages.limitBuy("a-1", "601288.SH", 300, "5.22"));
            c.expectReport('0', '0', 0, 300);
            Message t1 = c.expectReport('F', '1', 100, 200);
            assertEquals("5.20", t1.getString(31));
            Message t2 = c.expectReport('F', '2', 300, 0);
            assertEquals("5.21", t2.getString(31));
            // (520*100 + 521*200) / 300 = 520.67 hundredths, rounded half up as REST's avg_fill_price
            long avg = Math.round((520.0 * 100 + 521.0 * 200) / 300);
            assertEquals(new java.math.BigDecimal(avg).movePointLeft(2).toPlainString(), t2.getString(6));
        }
    }

    @Test
    void aCancelOfARestingOrderIsCanceledWithTheCancelsClOrdIdAndTheOrigClOrdId() throws Exception {
        try (FixClient c = h.client("dev_cancel")) {
            c.send(FixMessages.limitBuy("c-1", "601988.SH", 200, "5.40"));
            c.expectReport('0', '0', 0, 200);
            c.send(FixMessages.cancel("c-2", "c-1", "601988.SH", '1'));
            Message pending = c.expectReport('6', '6', 0, 200);
            assertEquals("c-2", pending.getString(11));
            assertEquals("c-1", pending.getString(41));
            Message x = c.expectReport('4', '4', 0, 0);
            assertEquals("c-2", x.getString(11));
            assertEquals("c-1", x.getString(41));
        }
    }

    @Test
    void aCancelAfterAPartialFillKeepsTheCumQty() throws Exception {
        try (FixClient c = h.client("dev_cancel_partial")) {
            c.send(FixMessages.limitBuy("cp-1", "601857.SH", 500, "8.60"));
            c.expectReport('0', '0', 0, 500);
            h.counter("601857.SH", "SELL", "8.60", 100);
            c.expectReport('F', '1', 100, 400);
            c.send(FixMessages.cancel("cp-2", "cp-1", "601857.SH", '1'));
            c.expectReport('6', '6', 100, 400);
            c.expectReport('4', '4', 100, 0);
        }
    }

    @Test
    void aCancelOfAFilledOrderIsRejectedTooLate() throws Exception {
        try (FixClient c = h.client("dev_late")) {
            c.send(FixMessages.limitBuy("l-1", "600028.SH", 100, "6.00"));
            c.expectReport('0', '0', 0, 100);
            h.counter("600028.SH", "SELL", "6.00", 100);
            c.expectReport('F', '2', 100, 0);
            c.send(FixMessages.cancel("l-2", "l-1", "600028.SH", '1'));
            Message r = c.next("9");
            assertEquals('0', r.getChar(102), "CxlRejReason too late");
            assertEquals('2', r.getChar(39), "OrdStatus filled");
            assertEquals('1', r.getChar(434), "response to a cancel");
            assertEquals("l-2", r.getString(11));
            assertEquals("l-1", r.getString(41));
        }
    }

    @Test
    void aCancelOfAnUnknownOrderIsRejectedUnknownOrder() throws Exception {
        try (FixClient c = h.client("dev_unknown")) {
            c.send(FixMessages.cancel("u-2", "never-sent", "600028.SH", '1'));
            Message r = c.next("9");
            assertEquals('1', r.getChar(102));
            assertEquals("NONE", r.getString(37));
        }
    }

    @Test
    void aReplaceUpRaisesOrderQtyAndLeavesQtyThenFillsUnderTheNewClOrdId() throws Exception {
        try (FixClient c = h.client("dev_up")) {
            c.send(FixMessages.limitBuy("ru-1", "601899.SH", 100, "18.20"));
            c.expectReport('0', '0', 0, 100);
            c.send(FixMessages.replace("ru-2", "ru-1", "601899.SH", '1', 300, "18.20"));
            Message pending = c.expectReport('E', 'E', 0, 100);
            assertEquals("100", pending.getString(38), "a pending replace shows the order as it stands");
            assertEquals("ru-2", pending.getString(11));
            assertEquals("ru-1", pending.getString(41));
            Message r = c.expectReport('5', '0', 0, 300);
            assertEquals("300", r.getString(38));
            assertEquals("ru-2", r.getString(11));
            assertEquals("ru-1", r.getString(41));
            h.counter("601899.SH", "SELL", "18.20", 300);
            Message f = c.expectReport('F', '2', 300, 0);
            assertEquals("ru-2", f.getString(11));
        }
    }

    @Test
    void aReplaceDownAfterAPartialFillLeavesTheNewQtyLessCumQty() throws Exception {
        try (FixClient c = h.client("dev_down")) {
            c.send(FixMessages.limitBuy("rd-1", "601012.SH", 500, "17.50"));
            c.expectReport('0', '0', 0, 500);
            h.counter("601012.SH", "SELL", "17.50", 100);
            c.expectReport('F', '1', 100, 400);
            c.send(FixMessages.replace("rd-2", "rd-1", "601012.SH", '1', 300, "17.50"));
            c.expectReport('E', 'E', 100, 400);
            Message r = c.expectReport('5', '1', 100, 200);
            assertEquals("300", r.getString(38));
        }
    }

    @Test
    void chainedReplacesFollowTheOrigClOrdIdChainAndTheLastClOrdIdCancels() throws Exception {
        try (FixClient c = h.client("dev_chain")) {
            c.send(FixMessages.limitBuy("ch-1", "688599.SH", 200, "17.00"));
            c.expectReport('0', '0', 0, 200);
            c.send(FixMessages.replace("ch-2", "ch-1", "688599.SH", '1', 200, "16.90"));
            c.expectReport('E', 'E', 0, 200);
            Message r1 = c.expectReport('5', '0', 0, 200);
            assertEquals("16.90", r1.getString(44));
            c.send(FixMessages.replace("ch-3", "ch-2", "688599.SH", '1', 400, "16.90"));
            c.expectReport('E', 'E', 0, 200);
            Message r2 = c.expectReport('5', '0', 0, 400);
            assertEquals("ch-3", r2.getString(11));
            assertEquals("ch-2", r2.getString(41));
            c.send(FixMessages.cancel("ch-4", "ch-3", "688599.SH", '1'));
            c.expectReport('6', '6', 0, 400);
            Message x = c.expectReport('4', '4', 0, 0);
            assertEquals("ch-3", x.getString(41));
        }
    }

    @Test
    void twoReplacesSentBeforeEitherIsAcknowledgedAreBothAppliedInOrder() throws Exception {
        try (FixClient c = h.client("dev_pending")) {
            c.send(FixMessages.limitBuy("pr-1", "000002.SZ", 100, "7.00"));
            c.expectReport('0', '0', 0, 100);
            c.send(FixMessages.replace("pr-2", "pr-1", "000002.SZ", '1', 200, "7.00"));
            c.send(FixMessages.replace("pr-3", "pr-2", "000002.SZ", '1', 300, "7.00"));
            Message p2 = c.expectReport('E', 'E', 0, 100);
            assertEquals("pr-2", p2.getString(11));
            // pr-3 is acknowledged before or after pr-2 takes effect, depending on when it arrives;
            // while it is in flight, Pending Replace takes precedence in pr-2's Replaced report.
            Message next = c.next("8");
            boolean pr3First = next.getChar(150) == 'E';
            Message r1 = pr3First ? c.next("8") : next;
            assertEquals('5', r1.getChar(150), "pr-2 replaced: " + r1);
            assertEquals("pr-2", r1.getString(11));
            assertEquals("200", r1.getString(38));
            assertEquals(pr3First ? 'E' : '0', r1.getChar(39), "OrdStatus with pr-3 " + (pr3First ? "pending" : "not yet sent"));
            if (!pr3First) {
                Message p3 = c.expectReport('E', 'E', 0, 200);
                assertEquals("pr-3", p3.getString(11));
            }
            Message r2 = c.expectReport('5', '0', 0, 300);
            assertEquals("pr-3", r2.getString(11));
            assertEquals("pr-2", r2.getString(41));
        }
    }

    @Test
    void fillsWhileACancelIsPendingReportPendingCancelUnderTheOriginalClOrdIdThenTheRestIsCanceled() throws Exception {
        try (FixClient c = h.client("dev_fill_pending_cancel"); HeldCancels held = new HeldCancels(h, "600030.SH")) {
            c.send(FixMessages.limitBuy("fpc-1", "600030.SH", 500, "27.55"));
            c.expectReport('0', '0', 0, 500);
            c.send(FixMessages.cancel("fpc-2", "fpc-1", "600030.SH", '1'));
            Message pending = c.expectReport('6', '6', 0, 500);
            assertEquals("fpc-2", pending.getString(11));
            held.awaitHeld();
            h.counter("600030.SH", "SELL", "27.55", 200);
            Message fill = c.expectReport('F', '6', 200, 300);
            assertEquals("fpc-1", fill.getString(11), "fills while pending carry the original ClOrdID");
            assertEquals("200", fill.getString(32));
            held.release();
            Message canceled = c.expectReport('4', '4', 200, 0);
            assertEquals("fpc-2", canceled.getString(11));
            assertEquals("fpc-1", canceled.getString(41));
        }
    }

    @Test
    void anOrderFilledWhileItsCancelIsPendingReportsTheFillAsPendingCancelThenTheCancelIsRejectedTooLate()
            throws Exception {
        try (FixClient c = h.client("dev_fill_beats_cancel"); HeldCancels held = new HeldCancels(h, "600276.SH")) {
            c.send(FixMessages.limitBuy("fbc-1", "600276.SH", 300, "48.90"));
            c.expectReport('0', '0', 0, 300);
            c.send(FixMessages.cancel("fbc-2", "fbc-1", "600276.SH", '1'));
            c.expectReport('6', '6', 0, 300);
            held.awaitHeld();
            h.counter("600276.SH", "SELL", "48.90", 300);
            // "Pending cancel" takes precedence over "filled" (Appendix D, B.1.c)
            c.expectReport('F', '6', 300, 0);
            held.release();
            Message r = c.next("9");
            assertEquals('0', r.getChar(102), "too late to cancel");
            assertEquals('2', r.getChar(39), "the order is filled");
            assertEquals("fbc-2", r.getString(11));
        }
    }

    @Test
    void aFillWhileAReplaceIsPendingIsReportedUnderTheOriginalClOrdIdThenTheReplaceApplies() throws Exception {
        try (FixClient c = h.client("dev_fill_pending_replace"); HeldCancels held = new HeldCancels(h, "601888.SH")) {
            c.send(FixMessages.limitBuy("fpr-1", "601888.SH", 500, "65.30"));
            c.expectReport('0', '0', 0, 500);
            c.send(FixMessages.replace("fpr-2", "fpr-1", "601888.SH", '1', 800, "65.30"));
            c.expectReport('E', 'E', 0, 500);
            held.awaitHeld();
            h.counter("601888.SH", "SELL", "65.30", 100);
            Message fill = c.expectReport('F', 'E', 100, 400);
            assertEquals("fpr-1", fill.getString(11), "the replace has not taken effect yet");
            assertEquals("500", fill.getString(38));
            held.release();
            Message replaced = c.expectReport('5', '1', 100, 700);
            assertEquals("800", replaced.getString(38));
            assertEquals("fpr-2", replaced.getString(11));
            assertEquals("fpr-1", replaced.getString(41));
        }
    }

    @Test
    void reportsMadeWhileNoSessionIsLoggedOnArriveByResendAtTheNextLogon() throws Exception {
        try (FixClient c = h.client("dev_offline")) {
            c.send(FixMessages.limitBuy("off-1", "000858.SZ", 100, "129.88"));
            c.expectReport('0', '0', 0, 100);
            c.qfj().logout("back soon");
            FixHarness.until(() -> !c.isLoggedOn() && h.trade.fixAcceptor().sessions().isEmpty(), 15);
            h.counter("000858.SZ", "SELL", "129.88", 100);
            awaitClosedOrders("dev_offline", 1);
            c.qfj().logon();
            c.awaitLogon();
            Message fill = c.expectReport('F', '2', 100, 0);
            assertEquals("off-1", fill.getString(11));
            assertTrue(fill.getHeader().getBoolean(43), "resent (PossDupFlag) after the logon's sequence gap");
        }
    }

    @Test
    void aReplaceThatLosesTheRaceToTheFillIsRejectedTooLate() throws Exception {
        try (FixClient c = h.client("dev_race"); HeldCancels held = new HeldCancels(h, "600900.SH")) {
            c.send(FixMessages.limitBuy("rc-1", "600900.SH", 100, "29.10"));
            c.expectReport('0', '0', 0, 100);
            c.send(FixMessages.replace("rc-2", "rc-1", "600900.SH", '1', 200, "29.10"));
            c.expectReport('E', 'E', 0, 100);
            held.awaitHeld();
            h.counter("600900.SH", "SELL", "29.10", 100);
            Message fill = c.expectReport('F', 'E', 100, 0);
            assertEquals("rc-1", fill.getString(11));
            held.release();
            Message r = c.next("9");
            assertEquals('0', r.getChar(102), "too late");
            assertEquals('2', r.getChar(434), "response to a replace");
            assertEquals('2', r.getChar(39), "the order is filled");
            assertEquals("rc-2", r.getString(11));
            assertEquals("rc-1", r.getString(41));
        }
    }

    @Test
    void aDuplicateClOrdIdOfALiveOrderIsRejectedAsDuplicateAndTheOrderLives() throws Exception {
        try (FixClient c = h.client("dev_dup")) {
            c.send(FixMessages.limitBuy("d-1", "600887.SH", 100, "28.40"));
            c.expectReport('0', '0', 0, 100);
            c.send(FixMessages.limitBuy("d-1", "600887.SH", 100, "28.40"));
            Message r = c.expectReport('8', '8', 0, 0);
            assertEquals(6, r.getInt(103));
            assertTrue(r.getString(58).startsWith("[-4111] duplicate ClOrdID 'd-1'"), "REST's number first: " + r.getString(58));
            c.send(FixMessages.status("d-1", "600887.SH", '1'));
            c.expectReport('I', '0', 0, 100);
        }
    }

    @Test
    void aClOrdIdWithTheGeneratedPrefixIsRejectedAndPlacesNothing() throws Exception {
        // trade-api makes "ot-…" ids for REST orders sent without one: a FIX order under such an id would be the answer
        // to a later one of those.
        try (FixClient c = h.client("dev_prefix")) {
            c.send(FixMessages.limitBuy("ot-1", "600887.SH", 100, "28.40"));
            Message r = c.expectReport('8', '8', 0, 0);
            assertTrue(r.getString(58).startsWith("[-1002] ClOrdID(11) must not start with 'ot-'"), r.getString(58));
            c.send(FixMessages.status("ot-1", "600887.SH", '1'));
            assertEquals(5, c.expectReport('I', '8', 0, 0).getInt(103), "no such order: nothing was placed");
        }
    }

    @Test
    void aPossibleResendOfALiveOrderIsAnsweredWithItsStatusNotARejection() throws Exception {
        try (FixClient c = h.client("dev_possresend")) {
            c.send(FixMessages.limitBuy("pr-1", "600887.SH", 100, "28.40"));
            c.expectReport('0', '0', 0, 100);
            Message again = FixMessages.limitBuy("pr-1", "600887.SH", 100, "28.40");
            again.getHeader().setBoolean(97, true); // PossResend: Vol 4 Appendix D F.1.b
            c.send(again);
            Message r = c.expectReport('I', '0', 0, 100);
            assertEquals("pr-1", r.getString(11));
            c.send(FixMessages.status("pr-1", "600887.SH", '1'));
            c.expectReport('I', '0', 0, 100); // one order, still live
        }
    }

    @Test
    void aPossibleResendOfAnAcceptedCancelOrReplaceIsAnsweredWithTheOrdersStatusNotACancelReject() throws Exception {
        try (FixClient c = h.client("dev_possresend_cxl")) {
            c.send(FixMessages.limitBuy("prc-1", "600887.SH", 100, "28.40"));
            c.expectReport('0', '0', 0, 100);
            c.send(FixMessages.replace("prc-2", "prc-1", "600887.SH", '1', 200, "28.40"));
            c.expectReport('E', 'E', 0, 100);
            c.expectReport('5', '0', 0, 200);
            Message replaceAgain = FixMessages.replace("prc-2", "prc-1", "600887.SH", '1', 200, "28.40");
            replaceAgain.getHeader().setBoolean(97, true); // PossResend: the client is not sure it was sent
            c.send(replaceAgain);
            // A reject of ClOrdID prc-2 read as the replace refused, after the client saw it applied: its order
            // system would go back to 100 shares. The request's effect is the order as it is.
            Message replaced = c.next(m -> "8".equals(FixClient.type(m)) || "9".equals(FixClient.type(m)),
                    "the answer to the replace's resend");
            assertEquals("8", FixClient.type(replaced), "status, not an OrderCancelReject: " + replaced);
            assertEquals("I/0 prc-2 200", replaced.getChar(150) + "/" + replaced.getChar(39) + " "
                    + replaced.getString(11) + " " + replaced.getString(38));

            c.send(FixMessages.cancel("prc-3", "prc-2", "600887.SH", '1'));
            c.expectReport('6', '6', 0, 200);
            c.expectReport('4', '4', 0, 0);
            Message cancelAgain = FixMessages.cancel("prc-3", "prc-2", "600887.SH", '1');
            cancelAgain.getHeader().setBoolean(97, true);
            c.send(cancelAgain);
            Message canceled = c.next(m -> "8".equals(FixClient.type(m)) || "9".equals(FixClient.type(m)),
                    "the answer to the cancel's resend");
            assertEquals("8", FixClient.type(canceled), "status, not an OrderCancelReject: " + canceled);
            assertEquals("I/4 prc-3", canceled.getChar(150) + "/" + canceled.getChar(39) + " " + canceled.getString(11));
        }
    }

    @Test
    void aCancelWhoseOrderIdNamesAnotherOrderThanItsOrigClOrdIdIsRejectedAndBothLive() throws Exception {
        try (FixClient c = h.client("dev_mismatch")) {
            c.send(FixMessages.limitBuy("mm-A", "601988.SH", 100, "5.40"));
            c.expectReport('0', '0', 0, 100);
            c.send(FixMessages.limitBuy("mm-B", "601988.SH", 100, "5.41"));
            Message b = c.expectReport('0', '0', 0, 100);
            Message cancel = FixMessages.cancel("mm-C", "mm-A", "601988.SH", '1');
            cancel.setString(37, b.getString(37));
            c.send(cancel);
            assertEquals('1', c.next("9").getChar(102), "unknown order: 37 and 41 name two orders");
            c.send(FixMessages.status("mm-A", "601988.SH", '1'));
            c.expectReport('I', '0', 0, 100);
            c.send(FixMessages.status("mm-B", "601988.SH", '1'));
            c.expectReport('I', '0', 0, 100);
        }
    }

    @Test
    void aStatusRequestAnswersKnownOrdersAsTheyAreAndUnknownOnesRejected() throws Exception {
        try (FixClient c = h.client("dev_status")) {
            c.send(FixMessages.limitBuy("s-1", "601166.SH", 300, "21.00"));
            c.expectReport('0', '0', 0, 300);
            h.counter("601166.SH", "SELL", "21.00", 100);
            c.expectReport('F', '1', 100, 200);
            c.send(FixMessages.status("s-1", "601166.SH", '1'));
            Message known = c.expectReport('I', '1', 100, 200);
            assertEquals("21.00", known.getString(6));
            c.send(FixMessages.status("s-404", "601166.SH", '1'));
            Message unknown = c.expectReport('I', '8', 0, 0);
            assertEquals(5, unknown.getInt(103));
        }
    }

    @Test
    void theRemainderOfAnIocOrderIsCanceled() throws Exception {
        h.counter("000001.SZ", "SELL", "11.50", 100);
        try (FixClient c = h.client("dev_ioc")) {
            c.send(FixMessages.order("i-1", "000001.SZ", '1', '2', '3', "300", "11.50"));
            c.expectReport('0', '0', 0, 300);
            c.expectReport('F', '1', 100, 200);
            Message x = c.expectReport('4', '4', 100, 0);
            assertEquals("i-1", x.getString(11));
        }
    }

    @Test
    void aFokOrderThatCannotFillCompletelyExpiresWithoutTrading() throws Exception {
        h.counter("000333.SZ", "SELL", "72.40", 100);
        try (FixClient c = h.client("dev_fok")) {
            c.send(FixMessages.order("k-1", "000333.SZ", '1', '2', '4', "300", "72.40"));
            Message first = c.next("8");
            if (first.getChar(150) == '0') {
                first = c.next("8");
            }
            assertEquals("C/C cum 0 leaves 0", first.getChar(150) + "/" + first.getChar(39) + " cum "
                    + first.getString(14) + " leaves " + first.getString(151));
        }
    }

    @Test
    void aMarketOrderFillsAgainstTheBook() throws Exception {
        h.counter("000651.SZ", "SELL", "41.90", 200);
        try (FixClient c = h.client("dev_market")) {
            c.send(FixMessages.order("m-1", "000651.SZ", '1', '1', '0', "200", null));
            c.expectReport('0', '0', 0, 200);
            Message f = c.expectReport('F', '2', 200, 0);
            assertEquals("41.90", f.getString(31));
        }
    }

    @Test
    void aStopLimitOrderIsAcceptedWithItsStopPx() throws Exception {
        try (FixClient c = h.client("dev_stop")) {
            Message m = FixMessages.order("st-1", "002415.SZ", '1', '4', '1', "100", "30.50");
            m.setString(99, "30.40");
            c.send(m);
            Message n = c.expectReport('0', '0', 0, 100);
            assertEquals("30.40", n.getString(99));
            assertEquals('4', n.getChar(40));
        }
    }

    @Test
    void riskRefusalsAreRejectedWithOrdRejReasonAndTheRuleInText() throws Exception {
        try (FixClient c = h.client("dev_risk")) {
            c.send(FixMessages.limitBuy("r-1", "600036.SH", 150, "41.80"));
            Message lot = c.expectReport('8', '8', 0, 0);
            assertEquals(13, lot.getInt(103));
            assertTrue(lot.getString(58).startsWith("[-4103]"), lot.getString(58));
            c.send(FixMessages.limitBuy("r-2", "600036.SH", 100, "41.805"));
            Message tick = c.expectReport('8', '8', 0, 0);
            assertTrue(tick.getString(58).startsWith("[-1002] Price(44)"), tick.getString(58));
            c.send(FixMessages.limitBuy("r-3", "600036.SH", 100, "60.00"));
            Message band = c.expectReport('8', '8', 0, 0);
            assertTrue(band.getString(58).startsWith("[-4105]"), band.getString(58));
            c.send(FixMessages.limitBuy("r-4", "999999.SH", 100, "1.00"));
            Message symbol = c.expectReport('8', '8', 0, 0);
            assertEquals(1, symbol.getInt(103));
            c.send(FixMessages.limitBuy("r-5", "600036.SH", 1_000_000, "41.80"));
            Message power = c.expectReport('8', '8', 0, 0);
            assertEquals(3, power.getInt(103));
            assertTrue(power.getString(58).startsWith("[-410"), power.getString(58));
        }
    }

    @Test
    void anOrderPlacedByFixIsInRestAndARestOrdersFillReachesFix() throws Exception {
        try (FixClient c = h.client("dev_both")) {
            c.send(FixMessages.limitBuy("b-1", "002475.SZ", 100, "38.40"));
            Message n = c.expectReport('0', '0', 0, 100);
            JsonObject viaRest = h.rest(HttpMethod.GET, "dev_both", "/v1/orders/by-client-id/b-1", null).bodyAsJsonObject();
            assertEquals(n.getString(37), viaRest.getString("order_id"));
            assertEquals("new", viaRest.getString("status"));
            assertEquals(201, h.rest(HttpMethod.POST, "dev_both", "/v1/orders", new JsonObject()
                    .put("client_order_id", "rest-1").put("symbol", "002475.SZ").put("side", "buy").put("type", "limit")
                    .put("time_in_force", "day").put("qty", 200).put("price", "38.30")).statusCode());
            Message restNew = c.expectReport('0', '0', 0, 200);
            assertEquals("rest-1", restNew.getString(11));
            h.counter("002475.SZ", "SELL", "38.30", 300);
            Message fill1 = c.expectReport('F', '2', 100, 0);
            assertEquals("b-1", fill1.getString(11));
            Message fill2 = c.expectReport('F', '2', 200, 0);
            assertEquals("rest-1", fill2.getString(11));
        }
    }

    /** Waits until {@code developer} has {@code n} closed orders in REST (the feed has reached the ledger). */
    private void awaitClosedOrders(String developer, int n) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        while (h.rest(HttpMethod.GET, developer, "/v1/orders?status=closed", null).bodyAsJsonObject()
                .getJsonArray("items").size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + n + " closed orders of " + developer + " within 15 s");
            }
            Thread.sleep(20); // polling REST for the feed's effect, not a fixed wait
        }
    }
}
