package org.opentrade.trade.adapter.fix;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.Fill;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderStatus;
import quickfix.Message;
import quickfix.fix44.ExecutionReport;
import quickfix.fix44.OrderCancelReject;

/**
 * Encodes outbound FIX 4.4 application messages (the Artio "proxy" side): ExecutionReport and
 * OrderCancelReject from trade-api's {@link Order}. Decimal fields are written as exact strings from
 * longs (never double). Pure; any thread.
 */
final class FixProxy {
    static final int ACCOUNT = 1, AVG_PX = 6, CL_ORD_ID = 11, CUM_QTY = 14, EXEC_ID = 17, LAST_PX = 31,
            LAST_QTY = 32, ORDER_ID = 37, ORDER_QTY = 38, ORD_STATUS = 39, ORD_TYPE = 40, ORIG_CL_ORD_ID = 41,
            PRICE = 44, SIDE = 54, SYMBOL = 55, TEXT = 58, TIME_IN_FORCE = 59, TRANSACT_TIME = 60, STOP_PX = 99,
            CXL_REJ_REASON = 102, ORD_REJ_REASON = 103, EXEC_TYPE = 150, LEAVES_QTY = 151, CXL_REJ_RESPONSE_TO = 434;
    /**
     * User-defined tag TraceID: the 32-hex trace id of the request a report answers (read its spans at
     * {@code /v1/traces/{id}}).
     */
    static final int TRACE_ID = 9001;
    /** ExecType values (FIX 4.4). */
    static final char NEW = '0', CANCELED = '4', REPLACED = '5', PENDING_CANCEL = '6', REJECTED = '8', EXPIRED = 'C',
            PENDING_REPLACE = 'E', TRADE = 'F', ORDER_STATUS = 'I';
    /** OrdRejReason values used. */
    static final int REJ_BROKER_OPTION = 0, REJ_UNKNOWN_SYMBOL = 1, REJ_EXCEEDS_LIMIT = 3, REJ_UNKNOWN_ORDER = 5,
            REJ_DUPLICATE = 6, REJ_UNSUPPORTED = 11, REJ_INCORRECT_QTY = 13, REJ_OTHER = 99;
    /** CxlRejReason values used. */
    static final int CXL_TOO_LATE = 0, CXL_UNKNOWN_ORDER = 1, CXL_BROKER_OPTION = 2, CXL_ALREADY_PENDING = 3,
            CXL_DUPLICATE = 6;
    /** CxlRejResponseTo values. */
    static final char RESPONSE_TO_CANCEL = '1', RESPONSE_TO_REPLACE = '2';
    /** OrderMassCancelRequest/Report tags. */
    static final int MASS_CANCEL_REQUEST_TYPE = 530, MASS_CANCEL_RESPONSE = 531, MASS_CANCEL_REJECT_REASON = 532,
            TOTAL_AFFECTED_ORDERS = 533;
    /** MassCancelRequestType(530) values taken, and MassCancelResponse(531) 0 = rejected. */
    static final char MASS_CANCEL_SECURITY = '1', MASS_CANCEL_ALL = '7', MASS_REJECTED = '0';
    /**
     * MassCancelRejectReason(532) values used: a CHAR in FIX 4.4 (0 to 6; "99 other" came with FIX 5.0), so a request
     * refused for another reason is "not supported" (0) with the reason in Text(58).
     */
    static final char MASS_REJ_NOT_SUPPORTED = '0', MASS_REJ_UNKNOWN_SECURITY = '1';

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private FixProxy() {
    }

    /**
     * An ExecutionReport for {@code o} as it is now.
     *
     * @param fill the fill for ExecType F (LastQty/LastPx), else null
     */
    static Message report(Order o, char execType, String execId, String clOrdId, String origClOrdId, Fill fill,
                          String text, long now) {
        return report(o, execType, ordStatus(o.status()), execId, clOrdId, origClOrdId, fill, text, now);
    }

    /**
     * The same with OrdStatus(39) given: the order's own status, or Pending Cancel / Pending Replace
     * where a request in flight takes precedence (FIX 4.4 order state precedence).
     */
    static Message report(Order o, char execType, char ordStatus, String execId, String clOrdId, String origClOrdId,
                          Fill fill, String text, long now) {
        ExecutionReport m = new ExecutionReport();
        m.setString(ORDER_ID, o.orderId());
        m.setString(CL_ORD_ID, clOrdId);
        if (origClOrdId != null) {
            m.setString(ORIG_CL_ORD_ID, origClOrdId);
        }
        m.setString(EXEC_ID, execId);
        m.setChar(EXEC_TYPE, execType);
        m.setChar(ORD_STATUS, ordStatus);
        m.setString(ACCOUNT, o.account());
        m.setString(SYMBOL, o.symbol());
        m.setChar(SIDE, side(o.side()));
        m.setChar(ORD_TYPE, ordType(o.type()));
        m.setChar(TIME_IN_FORCE, tif(o.timeInForce()));
        m.setString(ORDER_QTY, Long.toString(o.qty()));
        if (o.type().hasLimitPrice() && o.price() > 0) {
            m.setString(PRICE, FixPrices.decimal(o.price()));
        }
        if (o.type().isStop() && o.stopPrice() > 0) {
            m.setString(STOP_PX, FixPrices.decimal(o.stopPrice()));
        }
        m.setString(LEAVES_QTY, Long.toString(o.status().isOpen() ? o.leavesQty() : 0));
        m.setString(CUM_QTY, Long.toString(o.filledQty()));
        m.setString(AVG_PX, FixPrices.decimal(o.avgFillPrice()));
        if (fill != null) {
            m.setString(LAST_QTY, Long.toString(fill.qty()));
            m.setString(LAST_PX, FixPrices.decimal(fill.price()));
        }
        if (o.status() == OrderStatus.REJECTED) {
            m.setInt(ORD_REJ_REASON, REJ_OTHER);
            text = text != null ? text : "[" + o.rejectCode() + "] " + o.rejectReason();
        }
        if (text != null) {
            m.setString(TEXT, text);
        }
        m.setString(TRANSACT_TIME, UTC.format(Instant.ofEpochMilli(now)));
        return m;
    }

    /** An ExecutionReport rejecting a request for which no order exists (ExecType 8, or I for status). */
    static Message noOrder(char execType, String execId, String clOrdId, String account, String symbol, char side,
                           String qty, char ordType, int ordRejReason, String text, long now) {
        ExecutionReport m = new ExecutionReport();
        m.setString(ORDER_ID, "NONE");
        m.setString(CL_ORD_ID, clOrdId);
        m.setString(EXEC_ID, execId);
        m.setChar(EXEC_TYPE, execType);
        m.setChar(ORD_STATUS, '8');
        m.setString(ACCOUNT, account);
        m.setString(SYMBOL, symbol == null ? "[N/A]" : symbol);
        m.setChar(SIDE, side);
        if (qty != null) {
            m.setString(ORDER_QTY, qty);
        }
        if (ordType != 0) {
            m.setChar(ORD_TYPE, ordType);
        }
        m.setString(LEAVES_QTY, "0");
        m.setString(CUM_QTY, "0");
        m.setString(AVG_PX, "0");
        m.setInt(ORD_REJ_REASON, ordRejReason);
        m.setString(TEXT, text);
        m.setString(TRANSACT_TIME, UTC.format(Instant.ofEpochMilli(now)));
        return m;
    }

    /** An OrderCancelReject; {@code o} null for an unknown order (OrderID NONE, OrdStatus 8). */
    static Message cancelReject(Order o, String clOrdId, String origClOrdId, char responseTo, int reason, String text) {
        return cancelReject(o, o == null ? '8' : ordStatus(o.status()), clOrdId, origClOrdId, responseTo, reason, text);
    }

    /** The same with OrdStatus(39) given (a request still in flight takes precedence). */
    static Message cancelReject(Order o, char ordStatus, String clOrdId, String origClOrdId, char responseTo, int reason,
                                String text) {
        OrderCancelReject m = new OrderCancelReject();
        m.setString(ORDER_ID, o == null ? "NONE" : o.orderId());
        m.setString(CL_ORD_ID, clOrdId);
        m.setString(ORIG_CL_ORD_ID, origClOrdId == null ? "NONE" : origClOrdId);
        m.setChar(ORD_STATUS, ordStatus);
        if (o != null) {
            m.setString(ACCOUNT, o.account());
        }
        m.setChar(CXL_REJ_RESPONSE_TO, responseTo);
        m.setInt(CXL_REJ_REASON, reason);
        m.setString(TEXT, text);
        return m;
    }

    /**
     * An OrderMassCancelReport (r).
     *
     * @param response MassCancelResponse(531): the request type when accepted, {@link #MASS_REJECTED} when refused
     * @param reason   MassCancelRejectReason(532) when refused, else ignored
     * @param text     Text(58), or null
     */
    static Message massCancelReport(String clOrdId, String massId, char requestType, char response, char reason,
                                    int affected, String text) {
        quickfix.fix44.OrderMassCancelReport m = new quickfix.fix44.OrderMassCancelReport();
        m.setString(CL_ORD_ID, clOrdId);
        m.setString(ORDER_ID, massId);
        m.setChar(MASS_CANCEL_REQUEST_TYPE, requestType);
        m.setChar(MASS_CANCEL_RESPONSE, response);
        if (response == MASS_REJECTED) {
            m.setChar(MASS_CANCEL_REJECT_REASON, reason);
        } else {
            m.setInt(TOTAL_AFFECTED_ORDERS, affected);
        }
        if (text != null) {
            m.setString(TEXT, text);
        }
        return m;
    }

    /** {@code m} with tag {@value #TRACE_ID} set to {@code traceId} (unchanged when null). */
    static Message traced(Message m, String traceId) {
        if (traceId != null) {
            m.setString(TRACE_ID, traceId);
        }
        return m;
    }

    /** The trace id of a W3C traceparent ("00-{32 hex}-{16 hex}-{2 hex}"), or null when absent or malformed. */
    static String traceId(String traceParent) {
        if (traceParent == null || traceParent.length() != 55 || traceParent.charAt(2) != '-'
                || traceParent.charAt(35) != '-') {
            return null;
        }
        String id = traceParent.substring(3, 35);
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return null;
            }
        }
        return id;
    }

    static char ordStatus(OrderStatus s) {
        return switch (s) {
            case PENDING_NEW -> 'A';
            case NEW -> '0';
            case PARTIALLY_FILLED -> '1';
            case FILLED -> '2';
            case CANCELED -> '4';
            case REPLACED -> '5';
            case PENDING_CANCEL -> '6';
            case REJECTED -> '8';
            case EXPIRED -> 'C';
            case PENDING_REPLACE -> 'E';
        };
    }

    static char side(Side s) {
        return s == Side.BUY ? '1' : '2';
    }

    static char ordType(OrderType t) {
        return switch (t) {
            case MARKET -> '1';
            case LIMIT -> '2';
            case STOP -> '3';
            case STOP_LIMIT -> '4';
        };
    }

    static char tif(TimeInForce t) {
        return switch (t) {
            case DAY -> '0';
            case GTC -> '1';
            case IOC -> '3';
            case FOK -> '4';
        };
    }
}
