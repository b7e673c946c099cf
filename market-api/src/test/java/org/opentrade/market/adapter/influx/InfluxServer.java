package org.opentrade.market.adapter.influx;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.opentrade.common.testing.LoopbackPorts;

/**
 * One real {@code influxd} (InfluxDB 1.x, Debian's package {@code influxdb}) per test JVM, started
 * lazily by {@link #shared()} and killed by a JVM shutdown hook. It runs from a generated config in
 * a temporary directory: HTTP and the RPC (backup) listener on 127.0.0.1 and free ports, meta, data
 * and WAL in the temporary directory, usage reporting and the {@code _internal} monitor store off,
 * and none of the graphite/collectd/opentsdb/udp listeners. The system's own influxd (port 8086),
 * if any, is never touched.
 */
public final class InfluxServer {

    public static final String EXECUTABLE = System.getProperty("influx.server", "/usr/bin/influxd");
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private static InfluxServer shared;

    private final Path dir;
    private final int httpPort;
    private final Process process;

    private InfluxServer(Path dir, int httpPort, Process process) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.process = process;
    }

    /** The server of this JVM, started on first call; returns once it answers {@code /ping}. */
    public static synchronized InfluxServer shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = start();
            InfluxServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::destroy, "influxd-killer"));
        }
        return shared;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    private static InfluxServer start() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(EXECUTABLE))) {
            throw new IllegalStateException(EXECUTABLE + " is not installed: the InfluxDB tests need a real influxd."
                    + " Install Debian's package influxdb (apt-get install influxdb; scripts/ensure-tools.sh does it"
                    + " for ./test.sh) or point -Dinflux.server at an influxd 1.x binary.");
        }
        Path dir = Files.createTempDirectory("influxd-it");
        int httpPort = LoopbackPorts.free();
        int rpcPort = LoopbackPorts.free();
        Path config = dir.resolve("influxdb.conf");
        Files.writeString(config, config(dir, httpPort, rpcPort));
        Path log = dir.resolve("influxd.log");
        Process process = new ProcessBuilder(List.of(EXECUTABLE, "run", "-config", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        InfluxServer server = new InfluxServer(dir, httpPort, process);
        server.awaitPing(log);
        return server;
    }

    private static String config(Path dir, int httpPort, int rpcPort) {
        return String.join("\n",
                "reporting-disabled = true",
                "bind-address = \"127.0.0.1:" + rpcPort + "\"",
                "[meta]",
                "  dir = \"" + dir.resolve("meta") + "\"",
                "  logging-enabled = false",
                "[data]",
                "  dir = \"" + dir.resolve("data") + "\"",
                "  wal-dir = \"" + dir.resolve("wal") + "\"",
                "  query-log-enabled = false",
                "[monitor]",
                "  store-enabled = false",
                "[http]",
                "  enabled = true",
                "  bind-address = \"127.0.0.1:" + httpPort + "\"",
                "  log-enabled = false",
                "  unix-socket-enabled = false",
                "  pprof-enabled = false",
                "[ifql]",
                "  enabled = false",
                "[continuous_queries]",
                "  log-enabled = false",
                "");
    }

    private void awaitPing(Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(url() + "/ping")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 204) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                destroy();
                throw new IOException("influxd did not answer /ping on " + url() + " within " + STARTUP + ": "
                        + Files.readString(log));
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** Kills the server and deletes its directory; run by the shutdown hook. */
    private void destroy() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException leftOver) {
            // a temp dir left behind is harmless
        }
    }
}
