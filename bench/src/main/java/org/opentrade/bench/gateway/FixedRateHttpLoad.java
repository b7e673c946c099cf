package org.opentrade.bench.gateway;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Open-loop HTTP load at a fixed rate, for the gateway benchmark's latency figures (wrk can only
 * run closed-loop, and wrk2 is not packaged for Debian).
 *
 * <p>Request <i>i</i> is due at {@code start + i / rate}, whatever happened to earlier ones. One
 * thread does everything: it sends each due request on a free keep-alive HTTP/1.1 connection (no
 * pipelining; when every connection is busy, due requests wait in a FIFO), and reads the answers
 * with one {@link Selector}. Latency is taken from the <b>intended</b> send time to the end of the
 * response body, so a stall of the server, the client or the machine delays every request behind
 * it and the histogram shows it (coordinated omission corrected). Also printed: the service time
 * (from the write of the request) and how late the generator itself dispatched requests (from the
 * due time to the moment it sent or queued them) — that lateness is in the latency of every target
 * alike, so compare targets within one run. Requests still unanswered when the run ends (at most
 * {@link Settings#drain} after the last one was due) are recorded with the time they had waited so
 * far, and counted as errors, as are non-200 answers and requests whose connection failed.
 *
 * <p><b>Why it is written this way.</b> On a 2-core box the generator shares the cores with the
 * servers it measures, so its own CPU per request is in their latency. This class is the hot path
 * and is larger than the others for that. The thread that wakes at the due time writes the request
 * itself (no hand-off to another thread), requests are encoded once, responses are parsed as bytes
 * ({@link HttpResponseParser}) from one shared read buffer, and nothing is allocated per request, so
 * no collection runs during a measurement. A {@code Selector} can only block in whole milliseconds,
 * so shorter waits park the thread and then look for answers without blocking, and the last
 * microseconds before a due time spin. While requests are in flight, the thread looks for answers
 * at least about every {@link Settings#pollInterval} (at high rates, at each dispatch), so an answer
 * is noticed up to about that plus the wake-up delay late: a bias of some tens of microseconds in
 * the latency and service time of every target alike. On a VM each park costs the thread some
 * 15-20 µs of CPU, more than the request's socket I/O: wake-ups, not Java code, are most of what
 * the generator costs, and the report prints them per request. The thread asks Linux for a 1 µs
 * timer slack (instead of 50 µs), so parks end on time; the expected wake-up delay is learnt as the
 * run goes.
 *
 * <pre>
 * java -cp benchmarks.jar org.opentrade.bench.gateway.FixedRateHttpLoad --url http://127.0.0.1:18080/v1/market/instruments \
 *   --rate 5000 --seconds 20 --warmup-seconds 5 --connections 32 --header 'X-API-Key: k' --header 'X-API-Secret: s'
 * </pre>
 * Prints a line {@code RESULT latency name=... rate=... p50=... p99=...} (microseconds) for scripts.
 */
public final class FixedRateHttpLoad {
    /** Answers later than this after the last request was due count as unfinished. */
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(5);
    /**
     * While answers are awaited, a wait longer than this is cut into parks of half of it, after each
     * of which the sockets are polled; a shorter wait is not cut, since the dispatch that ends it polls
     * too. Smaller: answers are noticed sooner, at more wake-ups (CPU).
     */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofNanos(50_000);
    /** Spin (instead of park) when the next request is due sooner than this: lower lateness, more CPU. */
    public static final Duration DEFAULT_SPIN = Duration.ofNanos(10_000);

    private static final long MAX_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long REQUEST_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long RECONNECT_BACKOFF_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long HOUSEKEEPING_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MILLI_NS = 1_000_000;
    private static final long MIN_PARK_NS = 1_000;
    private static final long MAX_WAKE_DELAY_NS = 100_000;
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    /**
     * Writes request <i>i</i> when each request must differ (an order with its own client order id):
     * called on the load thread at the moment the request is sent, so it must be quick; it may
     * allocate (at a few thousand requests per second that is a few hundred KiB/s, no collection in a
     * run). Without one, every request is the same pre-encoded GET and nothing is allocated.
     */
    @FunctionalInterface
    public interface RequestEncoder {
        /** The whole HTTP/1.1 request (head and body) for request {@code index}, ready to write. */
        ByteBuffer encode(long index);
    }

    /** One request header, sent as given. */
    public record Header(String name, String value) {
        /** Parses {@code "Name: value"}. */
        public static Header parse(String line) {
            int c = line.indexOf(':');
            if (c <= 0) {
                throw new IllegalArgumentException("--header must be 'Name: value', got '" + line + "'");
            }
            return new Header(line.substring(0, c).strip(), line.substring(c + 1).strip());
        }
    }

    /**
     * What to run; validated on construction.
     *
     * @param drain how long to wait for answers after the last request was due
     * @param pollInterval longest park while answers are awaited (see the class comment)
     * @param encoder writes each request (null: the same GET of {@code url} with {@code headers} every time)
     * @param okStatus the answer that counts as success (others are errors): 200, or 201 for created orders
     */
    public record Settings(String name, URI url, double rate, int seconds, int warmupSeconds, int connections,
            List<Header> headers, Duration drain, Duration pollInterval, Duration spin, RequestEncoder encoder,
            int okStatus) {
        public Settings {
            if (url == null || !"http".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("--url must be http://host[:port]/path, got " + url);
            }
            if (!(rate > 0) || seconds <= 0 || warmupSeconds < 0) {
                throw new IllegalArgumentException("--rate and --seconds must be positive and --warmup-seconds"
                        + " not negative, got " + rate + ", " + seconds + ", " + warmupSeconds);
            }
            if (connections < 1) {
                throw new IllegalArgumentException("--connections must be at least 1, got " + connections);
            }
            if (drain.isNegative() || pollInterval.isNegative() || spin.isNegative()) {
                throw new IllegalArgumentException("drain, poll interval and spin must not be negative");
            }
            headers = List.copyOf(headers);
        }

        public Settings(String name, URI url, double rate, int seconds, int warmupSeconds, int connections,
                List<Header> headers, Duration drain, Duration pollInterval, Duration spin) {
            this(name, url, rate, seconds, warmupSeconds, connections, headers, drain, pollInterval, spin, null, 200);
        }

        public Settings(String name, URI url, double rate, int seconds, int warmupSeconds, int connections,
                List<Header> headers) {
            this(name, url, rate, seconds, warmupSeconds, connections, headers, DEFAULT_DRAIN, DEFAULT_POLL_INTERVAL,
                    DEFAULT_SPIN);
        }
    }

    /**
     * The measured part of a run (warm-up requests are sent but not counted).
     *
     * @param requests requests due in the measured part
     * @param errors non-200 answers, failed and unfinished requests
     * @param queued requests that waited for a free connection
     * @param okLatency latency of the answers with the ok status only (what was admitted, under overload)
     * @param status503 answers with status 503 (shed or unavailable), counted among the errors
     */
    public record Result(Settings settings, double achieved, long requests, long ok, long errors, long unfinished,
            long queued, long connectionErrors, long reconnects, String firstError, String firstConnectionError,
            Histogram latency, Histogram service, Histogram lateness, GeneratorCost cost, Histogram okLatency,
            long status503) {

        /** A percentile of the latency from the intended send time, in microseconds. */
        public double latencyMicros(double percentile) {
            return micros(latency, percentile);
        }

        /** A percentile of the service time, in microseconds. */
        public double serviceMicros(double percentile) {
            return micros(service, percentile);
        }

        /** The line scripts parse; all times in microseconds. */
        public String resultLine() {
            return String.format(Locale.ROOT,
                    "RESULT latency name=%s rate=%.0f achieved=%.0f requests=%d errors=%d p50=%.1f p90=%.1f p99=%.1f"
                            + " p999=%.1f max=%.1f svc_p50=%.1f svc_p99=%.1f late_p99=%.1f ok=%d ok_p50=%.1f"
                            + " ok_p99=%.1f s503=%d",
                    settings.name(), settings.rate(), achieved, requests, errors, micros(latency, 50),
                    micros(latency, 90), micros(latency, 99), micros(latency, 99.9), latency.getMaxValue() / 1e3,
                    micros(service, 50), micros(service, 99), micros(lateness, 99), ok, micros(okLatency, 50),
                    micros(okLatency, 99), status503);
        }

        /** Human-readable lines, then {@link #resultLine()}. */
        public String report() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT,
                    "  latency from intended send (us): p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f  max %.0f%n",
                    micros(latency, 50), micros(latency, 90), micros(latency, 99), micros(latency, 99.9),
                    latency.getMaxValue() / 1e3));
            sb.append(String.format(Locale.ROOT, "  service time from actual send (us): p50 %.0f  p99 %.0f  max %.0f%n",
                    micros(service, 50), micros(service, 99), service.getMaxValue() / 1e3));
            sb.append(String.format(Locale.ROOT, "  generator dispatch lateness (us): p50 %.0f  p99 %.0f  max %.0f%n",
                    micros(lateness, 50), micros(lateness, 99), lateness.getMaxValue() / 1e3));
            sb.append(String.format(Locale.ROOT, "  measured %d requests, %d ok, %d errors (%d unfinished)%s%n",
                    requests, ok, errors, unfinished, firstError == null ? "" : "; first error: " + firstError));
            sb.append(String.format(Locale.ROOT,
                    "  generator thread per request: %.1f us CPU, %.2f timed waits, %.1f B allocated; wake-up delay"
                            + " %.0f us; %d requests waited for a free connection; %d connection errors%s, %d reconnects%n",
                    cost.cpuNanosPerRequest() / 1e3, cost.timedWaitsPerRequest(), cost.allocatedBytesPerRequest(),
                    cost.wakeDelayNanos() / 1e3, queued, connectionErrors,
                    firstConnectionError == null ? "" : " (first: " + firstConnectionError + ")", reconnects));
            sb.append(resultLine());
            return sb.toString();
        }

        private static double micros(Histogram h, double percentile) {
            return h.getValueAtPercentile(percentile) / 1e3;
        }
    }

    /**
     * What the generator thread itself spent per measured request.
     *
     * @param timedWaitsPerRequest parks and blocking selects, the thread's main CPU cost on a VM
     * @param wakeDelayNanos the learnt delay between the end of a park and the thread running again
     */
    public record GeneratorCost(double cpuNanosPerRequest, double allocatedBytesPerRequest,
            double timedWaitsPerRequest, long wakeDelayNanos) {
    }

    public static void main(String[] args) throws Exception {
        String url = null;
        String name = "run";
        double rate = 1000;
        int seconds = 10;
        int warmup = 5;
        int connections = 32;
        Duration poll = DEFAULT_POLL_INTERVAL;
        Duration spin = DEFAULT_SPIN;
        List<Header> headers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--name" -> name = args[++i];
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmup = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--header" -> headers.add(Header.parse(args[++i]));
                case "--poll-us" -> poll = Duration.ofNanos(Math.round(Double.parseDouble(args[++i]) * 1e3));
                case "--spin-us" -> spin = Duration.ofNanos(Math.round(Double.parseDouble(args[++i]) * 1e3));
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (url == null) {
            usage("--url is required");
        }
        Settings settings;
        try {
            settings = new Settings(name, URI.create(url), rate, seconds, warmup, connections, headers, DEFAULT_DRAIN, poll,
                    spin);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return;
        }
        System.out.printf(Locale.ROOT, "%s: %s at %.0f req/s, %d s after %d s warm-up, %d connections%n",
                name, settings.url(), rate, seconds, warmup, connections);
        System.out.println(run(settings).report());
        System.exit(0);
    }

    private static void usage(String why) {
        System.err.println(why + "\nusage: FixedRateHttpLoad --url U --rate R [--seconds S] [--warmup-seconds W]"
                + " [--connections C] [--name N] [--header 'Name: value']... [--poll-us P] [--spin-us S]");
        System.exit(2);
    }

    /** Runs the load on the calling thread and returns the figures; takes about warm-up + seconds. */
    public static Result run(Settings settings) throws IOException {
        try (Selector selector = Selector.open()) {
            return new FixedRateHttpLoad(settings, selector).loop();
        }
    }

    private final Settings settings;
    private final RequestEncoder encoder;
    private final Selector selector;
    private final InetSocketAddress address;
    private final LoadConnection[] connections;
    private final LoadConnection[] freeRing;
    private int freeHead;
    private int freeSize;
    private final IndexQueue waiting = new IndexQueue();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private final Histogram latency = new Histogram(MAX_TRACKABLE_NS, 3);
    private final Histogram service = new Histogram(MAX_TRACKABLE_NS, 3);
    private final Histogram lateness = new Histogram(MAX_TRACKABLE_NS, 3);
    private final Histogram okLatency = new Histogram(MAX_TRACKABLE_NS, 3);
    private long status503;
    private final double periodNs;
    private final long total;
    private final long firstMeasured;
    private final long pollNs;
    private final long spinNs;
    private long start;
    private long inFlight;
    private long ok;
    private long errors;
    private long queued;
    private long connectionErrors;
    private long reconnects;
    private String firstError;
    private String firstConnectionError;
    /** Expected delay between the end of a park and the thread running again (learnt, EWMA). */
    private long wakeDelayNs;
    /** Parks and blocking selects: on a VM each costs the thread some 15-20 µs of CPU, more than a request's I/O. */
    private long timedWaits;
    private final long[] costAtMeasureStart = new long[3];

    private FixedRateHttpLoad(Settings settings, Selector selector) throws IOException {
        this.settings = settings;
        this.encoder = settings.encoder();
        this.selector = selector;
        URI url = settings.url();
        int port = url.getPort() < 0 ? 80 : url.getPort();
        this.address = new InetSocketAddress(InetAddress.getByName(url.getHost()), port);
        ByteBuffer request = encodeRequest(url, port, settings.headers());
        this.connections = new LoadConnection[settings.connections()];
        for (int i = 0; i < connections.length; i++) {
            connections[i] = new LoadConnection(request);
        }
        this.freeRing = new LoadConnection[connections.length];
        this.periodNs = 1e9 / settings.rate();
        this.total = (long) Math.ceil((settings.warmupSeconds() + settings.seconds()) * settings.rate());
        this.firstMeasured = (long) Math.ceil(settings.warmupSeconds() * settings.rate());
        this.pollNs = settings.pollInterval().toNanos();
        this.spinNs = settings.spin().toNanos();
    }

    private static ByteBuffer encodeRequest(URI url, int port, List<Header> headers) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        StringBuilder sb = new StringBuilder("GET ").append(path);
        if (url.getRawQuery() != null) {
            sb.append('?').append(url.getRawQuery());
        }
        sb.append(" HTTP/1.1\r\n");
        if (headers.stream().noneMatch(h -> h.name().equalsIgnoreCase("host"))) {
            sb.append("Host: ").append(url.getHost()).append(url.getPort() < 0 ? "" : ":" + port).append("\r\n");
        }
        for (Header h : headers) {
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        byte[] bytes = sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }

    private long intended(long index) {
        return start + (long) (index * periodNs);
    }

    private Result loop() {
        wakeDelayNs = reduceTimerSlack() ? 20_000 : 60_000;
        long now = System.nanoTime();
        for (LoadConnection c : connections) {
            connect(c, now);
        }
        start = now + START_DELAY_NS;
        long next = 0;
        long end = 0;
        long drainDeadline = Long.MAX_VALUE;
        long nextHousekeeping = now + HOUSEKEEPING_NS;
        long[] costAtEnd = new long[3];
        try {
            while (true) {
                now = System.nanoTime();
                while (next < total) {
                    long due = intended(next);
                    if (due > now) {
                        break;
                    }
                    if (next == firstMeasured) {
                        costSnapshot(costAtMeasureStart);
                    }
                    dispatch(next, due);
                    next++;
                    now = System.nanoTime();
                }
                if (next == total && end == 0) {
                    end = now;
                    drainDeadline = now + settings.drain().toNanos();
                    costSnapshot(costAtEnd);
                }
                if (now - nextHousekeeping >= 0) {
                    housekeeping(now);
                    nextHousekeeping = now + HOUSEKEEPING_NS;
                }
                if (next == total && ((inFlight == 0 && waiting.isEmpty()) || now - drainDeadline >= 0)) {
                    break;
                }
                long target = Math.min(next < total ? intended(next) : drainDeadline, nextHousekeeping);
                await(target, now);
            }
            return result(System.nanoTime(), end, costAtEnd);
        } finally {
            for (LoadConnection c : connections) {
                c.close();
            }
        }
    }

    /** Waits until {@code target} or until answers arrive, whichever is first (see the class comment). */
    private void await(long target, long now) {
        long wait = target - now;
        if (wait <= 0) {
            return;
        }
        try {
            if (wait <= spinNs) {
                selector.selectNow(onSelected);
                Thread.onSpinWait();
            } else if (wait >= MILLI_NS + wakeDelayNs) {
                timedWaits++;
                selector.select(onSelected, (wait - wakeDelayNs) / MILLI_NS);
            } else {
                timedWaits++;
                // may end after the due time (by up to the wake-up delay): what spinning less costs
                long park = Math.max(MIN_PARK_NS, wait - wakeDelayNs);
                if (inFlight > 0 && park > pollNs) {
                    // answers awaited and the next dispatch is far: look for them every half poll interval
                    park = pollNs / 2;
                }
                LockSupport.parkNanos(park);
                long late = System.nanoTime() - now - park;
                wakeDelayNs += (Math.max(0, Math.min(MAX_WAKE_DELAY_NS, late)) - wakeDelayNs) >> 3;
                selector.selectNow(onSelected);
            }
        } catch (IOException e) {
            throw new IllegalStateException("selector failed", e);
        }
    }

    private void dispatch(long index, long due) {
        LoadConnection c = takeFree();
        if (index >= firstMeasured) {
            lateness.recordValue(clamp(System.nanoTime() - due));
        }
        if (c != null) {
            send(c, index, due);
        } else {
            waiting.add(index);
            queued += index >= firstMeasured ? 1 : 0;
        }
    }

    private void send(LoadConnection c, long index, long due) {
        c.state = LoadConnection.BUSY;
        c.index = index;
        c.intended = due;
        c.parser.reset();
        if (encoder != null) {
            c.request = encoder.encode(index);
        } else {
            c.request.clear();
        }
        inFlight++;
        c.sentAt = System.nanoTime();
        try {
            c.channel.write(c.request);
            if (c.request.hasRemaining()) {
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            fail(c, "write failed", e, System.nanoTime());
        }
    }

    /** Called by the selector for each ready connection. */
    private void onSelected(SelectionKey key) {
        LoadConnection c = (LoadConnection) key.attachment();
        if (!key.isValid() || c.key != key) {
            return;
        }
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            finishConnect(c);
            return;
        }
        if ((ready & SelectionKey.OP_WRITE) != 0 && c.state == LoadConnection.BUSY) {
            try {
                c.channel.write(c.request);
                if (!c.request.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            } catch (IOException e) {
                fail(c, "write failed", e, System.nanoTime());
                return;
            }
        }
        if ((ready & SelectionKey.OP_READ) != 0) {
            read(c);
        }
    }

    private void read(LoadConnection c) {
        ByteBuffer buf = readBuffer;
        while (true) {
            buf.clear();
            int n;
            try {
                n = c.channel.read(buf);
            } catch (IOException e) {
                fail(c, "read failed", e, System.nanoTime());
                return;
            }
            long now = System.nanoTime();
            if (n < 0) {
                endOfStream(c, now);
                return;
            }
            if (n == 0) {
                return;
            }
            if (c.state != LoadConnection.BUSY) {
                fail(c, "bytes from the server without a request", null, now);
                return;
            }
            buf.flip();
            int r = c.parser.feed(buf);
            if (r == HttpResponseParser.COMPLETE) {
                complete(c, now, buf.hasRemaining());
                return;
            }
            if (r == HttpResponseParser.MALFORMED) {
                fail(c, "malformed response", null, now);
                return;
            }
            if (n < buf.capacity()) {
                return;
            }
        }
    }

    private void complete(LoadConnection c, long now, boolean trailingBytes) {
        inFlight--;
        int status = c.parser.status();
        if (c.index >= firstMeasured) {
            latency.recordValue(clamp(now - c.intended));
            service.recordValue(clamp(now - c.sentAt));
            if (status == settings.okStatus()) {
                ok++;
                okLatency.recordValue(clamp(now - c.intended));
            } else {
                errors++;
                status503 += status == 503 ? 1 : 0;
                if (firstError == null) {
                    firstError = "HTTP " + status;
                }
            }
        }
        c.served = true;
        c.state = LoadConnection.IDLE;
        if (trailingBytes) {
            connectionFailed(c, "bytes after the response", null, now, 0);
        } else if (!c.parser.reusable()) {
            reconnects++;
            c.close();
            connect(c, now);
        } else {
            release(c);
        }
    }

    private void endOfStream(LoadConnection c, long now) {
        if (c.state == LoadConnection.BUSY) {
            if (c.parser.endOfStream() == HttpResponseParser.COMPLETE) {
                complete(c, now, false);
            } else {
                fail(c, "connection closed before the response ended", null, now);
            }
            return;
        }
        // the server closed an idle keep-alive connection
        reconnects++;
        c.close();
        if (c.served) {
            connect(c, now);
        } else {
            c.reconnectAt = now + RECONNECT_BACKOFF_NS;
        }
    }

    /** The outstanding request (if any) failed with its connection: an error; then reconnect. */
    private void fail(LoadConnection c, String why, IOException cause, long now) {
        if (c.state == LoadConnection.BUSY) {
            inFlight--;
            if (c.index >= firstMeasured) {
                latency.recordValue(clamp(now - c.intended));
                service.recordValue(clamp(now - c.sentAt));
                errors++;
                if (firstError == null) {
                    firstError = cause == null ? why : why + ": " + cause;
                }
            }
        }
        connectionFailed(c, why, cause, now, 0);
    }

    private void connectionFailed(LoadConnection c, String why, IOException cause, long now, long backoffNs) {
        connectionErrors++;
        if (firstConnectionError == null) {
            firstConnectionError = cause == null ? why : why + ": " + cause;
        }
        c.close();
        if (backoffNs == 0) {
            connect(c, now);
        } else {
            c.reconnectAt = now + backoffNs;
        }
    }

    private void connect(LoadConnection c, long now) {
        try {
            if (c.open(selector, address, now)) {
                connected(c);
            }
        } catch (IOException e) {
            connectionFailed(c, "connect failed", e, now, RECONNECT_BACKOFF_NS);
        }
    }

    private void finishConnect(LoadConnection c) {
        try {
            if (!c.channel.finishConnect()) {
                return;
            }
            c.key.interestOps(SelectionKey.OP_READ);
        } catch (IOException e) {
            connectionFailed(c, "connect failed", e, System.nanoTime(), RECONNECT_BACKOFF_NS);
            return;
        }
        connected(c);
    }

    private void connected(LoadConnection c) {
        c.state = LoadConnection.IDLE;
        release(c);
    }

    /** An idle connection takes the oldest waiting request, or joins the free ring. */
    private void release(LoadConnection c) {
        if (!waiting.isEmpty()) {
            long index = waiting.poll();
            send(c, index, intended(index));
        } else if (!c.inFreeRing) {
            freeRing[(freeHead + freeSize) % freeRing.length] = c;
            freeSize++;
            c.inFreeRing = true;
        }
    }

    /** The least recently freed idle connection, or null; round robin spreads load over server threads. */
    private LoadConnection takeFree() {
        while (freeSize > 0) {
            LoadConnection c = freeRing[freeHead];
            freeRing[freeHead] = null;
            freeHead = (freeHead + 1) % freeRing.length;
            freeSize--;
            c.inFreeRing = false;
            if (c.state == LoadConnection.IDLE) {
                return c;
            }
        }
        return null;
    }

    /** Every few milliseconds: reconnects, connect and request timeouts. */
    private void housekeeping(long now) {
        for (LoadConnection c : connections) {
            switch (c.state) {
                case LoadConnection.CLOSED -> {
                    if (now - c.reconnectAt >= 0) {
                        connect(c, now);
                    }
                }
                case LoadConnection.CONNECTING -> {
                    if (now - c.connectStartedAt > CONNECT_TIMEOUT_NS) {
                        connectionFailed(c, "connect timed out", null, now, RECONNECT_BACKOFF_NS);
                    }
                }
                case LoadConnection.BUSY -> {
                    if (now - c.sentAt > REQUEST_TIMEOUT_NS) {
                        fail(c, "no answer within " + TimeUnit.NANOSECONDS.toSeconds(REQUEST_TIMEOUT_NS) + " s",
                                null, now);
                    }
                }
                default -> { }
            }
        }
    }

    private Result result(long now, long end, long[] costAtEnd) {
        long unfinished = 0;
        for (LoadConnection c : connections) {
            if (c.state == LoadConnection.BUSY && c.index >= firstMeasured) {
                latency.recordValue(clamp(now - c.intended));
                unfinished++;
            }
        }
        while (!waiting.isEmpty()) {
            long index = waiting.poll();
            if (index >= firstMeasured) {
                latency.recordValue(clamp(now - intended(index)));
                unfinished++;
            }
        }
        long measured = total - firstMeasured;
        double achieved = measured / ((end - intended(firstMeasured)) / 1e9);
        GeneratorCost cost = new GeneratorCost((costAtEnd[0] - costAtMeasureStart[0]) / (double) measured,
                (costAtEnd[1] - costAtMeasureStart[1]) / (double) measured,
                (costAtEnd[2] - costAtMeasureStart[2]) / (double) measured, wakeDelayNs);
        return new Result(settings, achieved, measured, ok, errors + unfinished, unfinished, queued, connectionErrors,
                reconnects, firstError, firstConnectionError, latency, service, lateness, cost, okLatency, status503);
    }

    private static long clamp(long nanos) {
        return Math.max(0, Math.min(MAX_TRACKABLE_NS, nanos));
    }

    /** CPU, allocated bytes and timed waits of this thread so far. */
    private void costSnapshot(long[] into) {
        into[0] = threadCpuNanos();
        into[1] = threadAllocatedBytes();
        into[2] = timedWaits;
    }

    private static long threadCpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long threadAllocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t) {
            return t.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return 0;
    }

    /**
     * Asks Linux for a 1 µs timer slack on this thread (default 50 µs), so a park of a few tens of
     * microseconds ends on time. Best effort: elsewhere the learnt wake-up delay covers the slack.
     */
    private static boolean reduceTimerSlack() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // <pid>/task/<tid>
            Files.writeString(Path.of("/proc", self.getFileName().toString(), "timerslack_ns"), "1000");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** FIFO of request indices waiting for a connection; grows, never shrinks, so steady state allocates nothing. */
    private static final class IndexQueue {
        private long[] items = new long[1024];
        private int head;
        private int size;

        boolean isEmpty() {
            return size == 0;
        }

        void add(long index) {
            if (size == items.length) {
                long[] bigger = new long[items.length * 2];
                for (int i = 0; i < size; i++) {
                    bigger[i] = items[(head + i) % items.length];
                }
                items = bigger;
                head = 0;
            }
            items[(head + size) % items.length] = index;
            size++;
        }

        long poll() {
            long index = items[head];
            head = (head + 1) % items.length;
            size--;
            return index;
        }
    }
}
