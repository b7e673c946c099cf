package org.opentrade.bench.trade;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.opentrade.bench.gateway.FixedRateHttpLoad;
import org.opentrade.bench.gateway.FixedRateHttpLoad.Result;
import org.opentrade.bench.gateway.FixedRateHttpLoad.Settings;

/**
 * Order → acknowledgement at a fixed rate: {@link FixedRateHttpLoad} (open loop, latency from each
 * request's intended send time, HdrHistogram) sending {@link OrderRequests} — resting limit buys, a
 * new client order id each — to a gateway's {@code POST /v1/orders}. Only {@code 201 Created} counts
 * as acknowledged (a 200 would be an idempotent replay of an earlier id, a 4xx a refusal: errors).
 *
 * <p>Before the load, one probe order (id {@code <prefix>probe}) is sent with the JDK client and its
 * answer printed, so a refused key, a limit or a risk check shows its error body instead of just a
 * status count. Runs on the calling thread.
 *
 * <pre>
 * java -cp benchmarks.jar org.opentrade.bench.trade.OrderAckLoad --name trade --url http://127.0.0.1:18390/v1/orders \
 *   --keys keys.txt --symbols symbols.txt --id-prefix b1- --rate 1000 --seconds 30 --warmup-seconds 10 --connections 32
 * </pre>
 * Prints {@link Result#report()} (its {@code RESULT latency ...} line is what scripts parse).
 */
public final class OrderAckLoad {
    private OrderAckLoad() {
    }

    public static void main(String[] args) throws Exception {
        String url = null;
        String name = "orders";
        Path keysFile = null;
        Path symbolsFile = null;
        String prefix = "b-";
        double rate = 1000;
        int seconds = 30;
        int warmup = 10;
        int connections = 32;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--name" -> name = args[++i];
                case "--keys" -> keysFile = Path.of(args[++i]);
                case "--symbols" -> symbolsFile = Path.of(args[++i]);
                case "--id-prefix" -> prefix = args[++i];
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmup = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (url == null || keysFile == null || symbolsFile == null) {
            usage("--url, --keys and --symbols are required");
        }
        URI uri = URI.create(url);
        List<BenchKey> keys = BenchKey.read(keysFile);
        List<BenchSymbol> symbols = BenchSymbol.read(symbolsFile);
        OrderRequests requests = new OrderRequests(uri, keys, symbols, prefix);
        probe(uri, requests, prefix);
        Settings settings = new Settings(name, uri, rate, seconds, warmup, connections, List.of(),
                FixedRateHttpLoad.DEFAULT_DRAIN, FixedRateHttpLoad.DEFAULT_POLL_INTERVAL, FixedRateHttpLoad.DEFAULT_SPIN,
                requests, 201);
        System.out.printf(Locale.ROOT, "%s: POST %s at %.0f orders/s, %d s after %d s warm-up, %d connections,"
                        + " %d keys (accounts) x %d symbols, resting limit buys%n",
                name, uri, rate, seconds, warmup, connections, keys.size(), symbols.size());
        System.out.println("first body: " + requests.body(0));
        System.out.println(FixedRateHttpLoad.run(settings).report());
        System.exit(0);
    }

    /** One order with the JDK client: fails the run with the answer's body unless it is 201. */
    private static void probe(URI uri, OrderRequests requests, String prefix) throws Exception {
        BenchKey k = requests.key(0);
        String body = requests.body(0).replace("\"" + prefix + "0\"", "\"" + prefix + "probe\"");
        HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("X-API-Key", k.keyId()).header("X-API-Secret", k.secret())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("probe: HTTP " + resp.statusCode() + " " + resp.body());
        if (resp.statusCode() != 201) {
            System.err.println("the probe order was not acknowledged with 201; not starting the load");
            System.exit(1);
        }
    }

    private static void usage(String why) {
        System.err.println(why + "\nusage: OrderAckLoad --url U --keys F --symbols F [--id-prefix P] [--rate R]"
                + " [--seconds S] [--warmup-seconds W] [--connections C] [--name N]");
        System.exit(2);
    }
}
