package org.opentrade.bench.market;

/**
 * Reads what the fan-out client needs from a market stream data frame without a JSON parser: the
 * channel's {@code seq} and the trade's {@code time}. A trade frame is {@code
 * {"channel":"trades:<symbol>","seq":N,"data":{…,"time":"2026-12-02T03:43:08.252Z",…}}} (market-api's
 * {@code ServerFrames.data} and {@code MarketJson.trade}: field order as written there). At 100 000
 * frames per second on one core, a full parse per frame would be part of the latency measured. Stateless.
 */
public final class TradeFrames {
    private static final String PREFIX = "{\"channel\":\"trades:";
    private static final String SEQ = "\"seq\":";
    private static final String DATA = "\"data\":";
    private static final String TIME = "\"time\":\"";

    private TradeFrames() {
    }

    /** Whether {@code frame} is a data frame of a trades channel (not a control frame or a snapshot). */
    public static boolean isTrade(String frame) {
        return frame.startsWith(PREFIX) && frame.indexOf("\"snapshot\"") < 0;
    }

    /** The frame's channel seq (the first {@code "seq":}, before {@code "data"}), or -1. */
    public static long seq(String frame) {
        int at = frame.indexOf(SEQ);
        int data = frame.indexOf(DATA);
        if (at < 0 || (data >= 0 && at > data)) {
            return -1;
        }
        long v = 0;
        int i = at + SEQ.length();
        int start = i;
        for (; i < frame.length(); i++) {
            char c = frame.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
        }
        return i == start ? -1 : v;
    }

    /** The trade's {@code time} (inside {@code data}) in epoch milliseconds, or -1. */
    public static long timeMillis(String frame) {
        int data = frame.indexOf(DATA);
        int at = data < 0 ? -1 : frame.indexOf(TIME, data);
        if (at < 0) {
            return -1;
        }
        return parseUtcMillis(frame, at + TIME.length());
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss.SSSZ} at {@code at} in epoch milliseconds, or -1 when it is not
     * exactly that shape.
     */
    public static long parseUtcMillis(CharSequence s, int at) {
        if (at < 0 || at + 24 > s.length() || s.charAt(at + 4) != '-' || s.charAt(at + 7) != '-'
                || s.charAt(at + 10) != 'T' || s.charAt(at + 13) != ':' || s.charAt(at + 16) != ':'
                || s.charAt(at + 19) != '.' || s.charAt(at + 23) != 'Z') {
            return -1;
        }
        int year = digits(s, at, 4);
        int month = digits(s, at + 5, 2);
        int day = digits(s, at + 8, 2);
        int hour = digits(s, at + 11, 2);
        int minute = digits(s, at + 14, 2);
        int second = digits(s, at + 17, 2);
        int milli = digits(s, at + 20, 3);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 60 || milli < 0) {
            return -1;
        }
        long days = daysFromCivil(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + milli;
    }

    private static int digits(CharSequence s, int at, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(at + i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
    static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }
}
