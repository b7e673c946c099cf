package org.opentrade.bench.gateway;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Open-loop HTTP load at a fixed rate, for the gateway benchmark's latency figures (wrk can only
 * run closed-loop, and wrk2 is not packaged for Debian).
 *
 * <p>Request <i>i</i> is due at {@code start + i / rate}, whatever happened to earlier ones. A pacer
 * thread parks until a request is due and hands every due request to one Vert.x event loop, which
 * sends it on a pool of keep-alive HTTP/1.1 connections (no pipelining; a request that finds every
 * connection busy waits in the pool's queue). Latency is taken from the <b>intended</b> send time to
 * the end of the response body, so a stall of the server, the client or the machine delays every
 * request behind it and the histogram shows it (coordinated omission corrected). Also printed:
 * the service time (from the actual send) and how late the generator itself dispatched requests —
 * that lateness is in the latency of every target alike, so compare targets within one run.
 * Requests still unanswered when the run ends are recorded with the time they had waited so far,
 * and counted as errors, as are non-200 answers.
 *
 * <pre>
 * java -cp benchmarks.jar org.opentrade.bench.gateway.FixedRateHttpLoad --url http://127.0.0.1:18080/v1/market/instruments \
 *   --rate 5000 --seconds 20 --warmup-seconds 5 --connections 32 --header 'X-API-Key: k' --header 'X-API-Secret: s'
 * </pre>
 * Prints a line {@code RESULT latency name=... rate=... p50=... p99=...} (microseconds) for scripts.
 */
public final class FixedRateHttpLoad {
    private static final long MAX_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);

    private final Histogram latency = new Histogram(MAX_TRACKABLE_NS, 3);
    private final Histogram service = new Histogram(MAX_TRACKABLE_NS, 3);
    private final Histogram lateness = new Histogram(MAX_TRACKABLE_NS, 3);
    // touched only on the event loop
    private long ok;
    private long errors;
    private long completed;
    private long sent;
    private BitSet done;
    private String firstError;

    public static void main(String[] args) throws Exception {
        String url = null;
        String name = "run";
        double rate = 1000;
        int seconds = 10;
        int warmup = 5;
        int connections = 32;
        List<String[]> headers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--name" -> name = args[++i];
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmup = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--header" -> {
                    String h = args[++i];
                    int c = h.indexOf(':');
                    headers.add(new String[] {h.substring(0, c).strip(), h.substring(c + 1).strip()});
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (url == null || rate <= 0 || seconds <= 0) {
            usage("--url and a positive --rate and --seconds are required");
        }
        new FixedRateHttpLoad().run(name, URI.create(url), rate, seconds, warmup, connections, headers);
    }

    private static void usage(String why) {
        System.err.println(why + "\nusage: FixedRateHttpLoad --url U --rate R [--seconds S] [--warmup-seconds W]"
                + " [--connections C] [--name N] [--header 'Name: value']...");
        System.exit(2);
    }

    private void run(String name, URI uri, double rate, int seconds, int warmup, int connections,
            List<String[]> headers) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        HttpClientAgent client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setPipelining(false).setTcpNoDelay(true)
                        .setConnectTimeout(5_000).setIdleTimeout(0),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .setIdleTimeout(10_000);
        for (String[] h : headers) {
            options.putHeader(h[0], h[1]);
        }
        Context ctx = vertx.getOrCreateContext();

        long total = (long) Math.ceil((warmup + seconds) * rate);
        long firstMeasured = (long) Math.ceil(warmup * rate);
        done = new BitSet((int) Math.min(Integer.MAX_VALUE, total));
        double periodNs = 1e9 / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        System.out.printf(Locale.ROOT, "%s: %s at %.0f req/s, %d s after %d s warm-up, %d connections%n",
                name, uri, rate, seconds, warmup, connections);

        long i = 0;
        while (i < total) {
            long due = start + (long) (i * periodNs);
            long now = System.nanoTime();
            if (now < due) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            long last = i;
            while (last + 1 < total && start + (long) ((last + 1) * periodNs) <= now) {
                last++;
            }
            long from = i;
            long to = last;
            ctx.runOnContext(v -> {
                for (long j = from; j <= to; j++) {
                    send(client, options, j, start + (long) (j * periodNs), j >= firstMeasured);
                }
            });
            i = last + 1;
        }
        long end = System.nanoTime();
        // let the last requests finish (bounded), then count the stragglers
        long deadline = end + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !onLoop(ctx, () -> completed == total)) {
            Thread.sleep(20);
        }
        String result = onLoop(ctx, () -> {
            long now = System.nanoTime();
            long unfinished = 0;
            for (long j = firstMeasured; j < total; j++) {
                if (!done.get((int) j)) {
                    latency.recordValue(Math.min(MAX_TRACKABLE_NS, now - (start + (long) (j * periodNs))));
                    unfinished++;
                }
            }
            errors += unfinished;
            long measured = total - firstMeasured;
            double achieved = measured / ((end - (start + (long) (firstMeasured * periodNs))) / 1e9);
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT,
                    "  latency from intended send (us): p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f  max %.0f%n",
                    us(latency, 50), us(latency, 90), us(latency, 99), us(latency, 99.9), latency.getMaxValue() / 1e3));
            sb.append(String.format(Locale.ROOT,
                    "  service time from actual send (us): p50 %.0f  p99 %.0f  max %.0f%n",
                    us(service, 50), us(service, 99), service.getMaxValue() / 1e3));
            sb.append(String.format(Locale.ROOT,
                    "  generator dispatch lateness (us): p50 %.0f  p99 %.0f  max %.0f%n",
                    us(lateness, 50), us(lateness, 99), lateness.getMaxValue() / 1e3));
            sb.append(String.format(Locale.ROOT, "  measured %d requests, %d ok, %d errors (%d unfinished)%s%n",
                    measured, ok, errors, unfinished, firstError == null ? "" : "; first error: " + firstError));
            sb.append(String.format(Locale.ROOT,
                    "RESULT latency name=%s rate=%.0f achieved=%.0f requests=%d errors=%d p50=%.1f p90=%.1f p99=%.1f"
                            + " p999=%.1f max=%.1f svc_p50=%.1f svc_p99=%.1f late_p99=%.1f",
                    name, rate, achieved, measured, errors, us(latency, 50), us(latency, 90), us(latency, 99),
                    us(latency, 99.9), latency.getMaxValue() / 1e3, us(service, 50), us(service, 99), us(lateness, 99)));
            return sb.toString();
        });
        System.out.println(result);
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        System.exit(0);
    }

    private void send(HttpClientAgent client, RequestOptions options, long index, long intended, boolean measure) {
        long sendTime = System.nanoTime();
        sent++;
        if (measure) {
            lateness.recordValue(Math.max(0, sendTime - intended));
        }
        client.request(options)
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> {
                    long now = System.nanoTime();
                    completed++;
                    done.set((int) index);
                    if (!measure) {
                        return;
                    }
                    latency.recordValue(Math.min(MAX_TRACKABLE_NS, now - intended));
                    service.recordValue(Math.min(MAX_TRACKABLE_NS, now - sendTime));
                    if (ar.succeeded() && ar.result() == 200) {
                        ok++;
                    } else {
                        errors++;
                        if (firstError == null) {
                            firstError = ar.succeeded() ? "HTTP " + ar.result() : String.valueOf(ar.cause());
                        }
                    }
                });
    }

    private static double us(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }

    private static <T> T onLoop(Context ctx, java.util.function.Supplier<T> s) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        ctx.runOnContext(v -> f.complete(s.get()));
        return f.get(10, TimeUnit.SECONDS);
    }
}
