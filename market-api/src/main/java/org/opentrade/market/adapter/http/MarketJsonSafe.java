package org.opentrade.market.adapter.http;

/** Bounds what a caller controls before it goes into a span attribute or a log line. */
final class MarketJsonSafe {
    private MarketJsonSafe() {
    }

    static String path(String path) {
        if (path == null) {
            return "";
        }
        String p = path.length() > 200 ? path.substring(0, 200) : path;
        return p.replaceAll("\\p{Cntrl}", "?");
    }
}
