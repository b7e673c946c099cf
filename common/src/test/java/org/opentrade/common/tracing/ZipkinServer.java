package org.opentrade.common.tracing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentrade.common.testing.LoopbackPorts;

/**
 * A real Zipkin server (the {@code zipkin-server:exec} jar Maven copied in pre-integration-test)
 * in a child JVM, bound to 127.0.0.1 on a free port, with in-memory storage.
 */
final class ZipkinServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private ZipkinServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static ZipkinServer start(Duration readyTimeout) throws IOException {
        Path jar = Path.of(System.getProperty("zipkin.server.jar", "target/zipkin/zipkin-server-exec.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no Zipkin server jar at " + jar.toAbsolutePath()
                    + "; run through Maven (verify), which copies io.zipkin:zipkin-server:exec there");
        }
        int port = LoopbackPorts.free();
        Path log = jar.resolveSibling("zipkin-server-" + port + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Armeria's port list replaces the packaged one as a whole, so port, address and protocol
        // are all given; QUERY_PORT alone would bind every interface.
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--armeria.ports[0].port=" + port, "--armeria.ports[0].ip=127.0.0.1",
                "--armeria.ports[0].protocols[0]=http"));
        pb.environment().put("STORAGE_TYPE", "mem");
        pb.environment().put("QUERY_PORT", Integer.toString(port));
        pb.environment().put("SELF_TRACING_ENABLED", "false");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        ZipkinServer server = new ZipkinServer(pb.start(), port, log);
        try {
            server.awaitHealthy(readyTimeout);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String spansEndpoint() {
        return baseUrl() + "/api/v2/spans";
    }

    /** GET a path; the status and body, or status -1 when the server did not answer. */
    HttpResponse<String> get(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitHealthy(Duration timeout) {
        Await.until(timeout, "Zipkin to answer /health on port " + port + " (log: " + log + ")", () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Zipkin exited with " + process.exitValue() + "; see " + log);
            }
            HttpResponse<String> r = get("/health");
            return r != null && r.statusCode() == 200;
        });
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
