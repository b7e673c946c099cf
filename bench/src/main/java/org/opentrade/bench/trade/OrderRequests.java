package org.opentrade.bench.trade;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.opentrade.bench.gateway.FixedRateHttpLoad;

/**
 * The requests of the order-acknowledgement run: request <i>i</i> is a {@code POST /v1/orders} of a
 * resting limit buy, 100 shares (one lot) at {@link BenchSymbol#restingBuy}, with the client order id
 * {@code <prefix><i>}, sent with key {@code i mod keys} for symbol {@code (i / keys) mod symbols} — so
 * every account gets every symbol in turn and each account's open orders grow by one per
 * {@code keys} requests. The same requests go to trade-api and to the floor (a trivial upstream),
 * byte for byte apart from the id.
 *
 * <p>Called on the load thread only ({@link FixedRateHttpLoad.RequestEncoder}); builds a small string
 * per request (about 400 bytes), nothing shared is mutated.
 */
public final class OrderRequests implements FixedRateHttpLoad.RequestEncoder {
    private final String host;
    private final String path;
    private final List<BenchKey> keys;
    private final List<BenchSymbol> symbols;
    private final String idPrefix;

    /**
     * @param url the gateway's {@code /v1/orders} URL (host and port for the Host header, the path)
     * @param idPrefix client order ids are this plus the request index: unique per account as long as
     *                 the prefix is unique per run (≤ 48 characters of {@code [A-Za-z0-9._:-]} in all)
     */
    public OrderRequests(URI url, List<BenchKey> keys, List<BenchSymbol> symbols, String idPrefix) {
        if (keys.isEmpty() || symbols.isEmpty()) {
            throw new IllegalArgumentException("need at least one key and one symbol");
        }
        if (!idPrefix.matches("[A-Za-z0-9._:-]{1,28}")) {
            throw new IllegalArgumentException("id prefix must be 1-28 characters of [A-Za-z0-9._:-]: " + idPrefix);
        }
        this.host = url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
        this.path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/v1/orders" : url.getRawPath();
        this.keys = List.copyOf(keys);
        this.symbols = List.copyOf(symbols);
        this.idPrefix = idPrefix;
    }

    /** The JSON body of request {@code index}. */
    public String body(long index) {
        BenchSymbol s = symbol(index);
        return "{\"symbol\":\"" + s.symbol() + "\",\"side\":\"buy\",\"type\":\"limit\",\"qty\":" + s.lot()
                + ",\"price\":\"" + BenchSymbol.decimal(s.restingBuy(index / ((long) keys.size() * symbols.size())))
                + "\",\"client_order_id\":\"" + idPrefix + index + "\"}";
    }

    /** The key request {@code index} is sent with. */
    public BenchKey key(long index) {
        return keys.get((int) (index % keys.size()));
    }

    /** The symbol of request {@code index}. */
    public BenchSymbol symbol(long index) {
        return symbols.get((int) ((index / keys.size()) % symbols.size()));
    }

    @Override
    public ByteBuffer encode(long index) {
        byte[] body = body(index).getBytes(StandardCharsets.UTF_8);
        BenchKey k = key(index);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nX-API-Key: " + k.keyId()
                + "\r\nX-API-Secret: " + k.secret() + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(h.length + body.length).put(h).put(body).flip();
    }
}
