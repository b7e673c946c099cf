package org.opentrade.bench.trade;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Provisions the trade benchmark's callers through a gateway, as a developer would with curl: per
 * developer {@code POST /v1/developers}, {@code POST /v1/sessions}, {@code POST /v1/keys} with scopes
 * {@code ["market:read","trade"]} (bodies as in launcher's {@code AllInOneIT}); each developer is one
 * paper account in trade-api. Writes the keys file ({@link BenchKey}) and, when asked, the symbols
 * file ({@link BenchSymbol}) read from {@code GET /v1/market/instruments} with the first key.
 *
 * <pre>
 * java -cp benchmarks.jar org.opentrade.bench.trade.TradeBenchSetup --gateway http://127.0.0.1:18390 \
 *   --developers 32 --tag aio --keys-out keys.txt [--symbols-out symbols.txt]
 * </pre>
 * Sign-up hashes the password (Argon2id, ~19 MiB): a few tens of ms of gateway CPU per developer, so
 * two run at a time. The gateway's sign-up limit per address must allow the count (the benchmark's
 * gateway config raises it).
 */
public final class TradeBenchSetup {
    private static final String PASSWORD = "bench-password-123";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI gateway;

    TradeBenchSetup(URI gateway) {
        this.gateway = gateway;
    }

    public static void main(String[] args) throws Exception {
        String gateway = null;
        int developers = 1;
        String tag = "bench";
        Path keysOut = null;
        Path symbolsOut = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gateway" -> gateway = args[++i];
                case "--developers" -> developers = Integer.parseInt(args[++i]);
                case "--tag" -> tag = args[++i];
                case "--keys-out" -> keysOut = Path.of(args[++i]);
                case "--symbols-out" -> symbolsOut = Path.of(args[++i]);
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (gateway == null || keysOut == null || developers < 1 || !tag.matches("[a-z0-9-]{1,20}")) {
            usage("--gateway and --keys-out are required; --developers >= 1; --tag [a-z0-9-]{1,20}");
        }
        TradeBenchSetup setup = new TradeBenchSetup(URI.create(gateway));
        long t0 = System.nanoTime();
        List<BenchKey> keys = setup.provision(developers, tag);
        Files.write(keysOut, keys.stream().map(BenchKey::line).toList(), StandardCharsets.UTF_8);
        System.out.printf("%d developer(s) with a trade key in %.1f s -> %s%n", keys.size(),
                (System.nanoTime() - t0) / 1e9, keysOut);
        if (symbolsOut != null) {
            List<BenchSymbol> symbols = setup.instruments(keys.get(0));
            Files.write(symbolsOut, symbols.stream().map(BenchSymbol::line).toList(), StandardCharsets.UTF_8);
            System.out.printf("%d instrument(s) -> %s%n", symbols.size(), symbolsOut);
        }
        System.exit(0);
    }

    private static void usage(String why) {
        System.err.println(why + "\nusage: TradeBenchSetup --gateway URL --keys-out FILE [--developers N] [--tag T]"
                + " [--symbols-out FILE]");
        System.exit(2);
    }

    /** Signs up {@code count} developers and creates one trade key each, two at a time. */
    List<BenchKey> provision(int count, String tag) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<BenchKey>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String email = "bench-" + tag + "-" + i + "@example.com";
                futures.add(pool.submit(() -> developerWithKey(email)));
            }
            List<BenchKey> keys = new ArrayList<>();
            for (Future<BenchKey> f : futures) {
                keys.add(f.get());
            }
            return keys;
        } finally {
            pool.shutdownNow();
        }
    }

    private BenchKey developerWithKey(String email) throws IOException, InterruptedException {
        post("/v1/developers", new JsonObject().put("email", email).put("password", PASSWORD).put("name", "Bench"),
                null);
        String token = post("/v1/sessions", new JsonObject().put("email", email).put("password", PASSWORD), null)
                .getString("token");
        JsonObject key = post("/v1/keys", new JsonObject().put("scopes", new JsonArray().add("market:read").add("trade"))
                .put("label", "trade-bench"), token);
        return new BenchKey(key.getString("key_id"), key.getString("secret"));
    }

    /** The exchange's instruments as market-api lists them; waits up to a minute while it answers 503 (starting). */
    List<BenchSymbol> instruments(BenchKey key) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(gateway.resolve("/v1/market/instruments")).timeout(TIMEOUT)
                .header("X-API-Key", key.keyId()).header("X-API-Secret", key.secret()).GET().build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        for (int attempt = 0; resp.statusCode() == 503 && attempt < 120; attempt++) {
            Thread.sleep(500); // market-api loads its books after the all-in-one is ready: polling, not a fixed wait
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        }
        if (resp.statusCode() != 200) {
            throw new IOException("GET /v1/market/instruments: HTTP " + resp.statusCode() + " " + resp.body());
        }
        List<BenchSymbol> out = new ArrayList<>();
        for (Object o : new JsonObject(resp.body()).getJsonArray("items")) {
            JsonObject i = (JsonObject) o;
            out.add(new BenchSymbol(i.getString("symbol"), BenchSymbol.hundredths(i.getString("prev_close")),
                    BenchSymbol.hundredths(i.getString("tick_size")), i.getInteger("price_band_pct"),
                    i.getInteger("lot_size")));
        }
        return out;
    }

    /** POSTs JSON; any 2xx answer's body, else an exception naming the answer. */
    private JsonObject post(String path, JsonObject body, String bearer)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() / 100 != 2) {
            throw new IOException("POST " + path + ": HTTP " + resp.statusCode() + " " + resp.body());
        }
        return new JsonObject(resp.body());
    }
}
