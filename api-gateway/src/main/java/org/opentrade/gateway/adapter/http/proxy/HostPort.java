package org.opentrade.gateway.adapter.http.proxy;

/** One upstream address, parsed from {@code host:port}. */
record HostPort(String host, int port) {

    /** Parses {@code text}; a bad value throws naming {@code key}. */
    static HostPort parse(String text, String key) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not host:port");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + text + "' has no numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(key + ": '" + text + "' has a port outside 1..65535");
        }
        return new HostPort(text.substring(0, colon), port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
