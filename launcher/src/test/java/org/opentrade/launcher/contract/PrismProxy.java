package org.opentrade.launcher.contract;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stoplight Prism ({@code @stoplight/prism-cli}, from {@code openapi/node_modules}) in proxy mode, as a
 * child process: every request sent to {@link #baseUri()} is forwarded to the upstream, and Prism
 * checks the request and the real answer against the OpenAPI contract.
 *
 * <p>Prism runs without {@code --errors}, deliberately: with it, a request Prism finds invalid (a
 * missing credential, a parameter out of range) is answered by Prism itself (401 or 422) and never
 * reaches the server, so the server's own refusals could not be checked. Without it every request is
 * forwarded and the real answer passes through unchanged; violations are reported (1) in the
 * {@code sl-violations} response header, a JSON array whose entries' {@code location} starts with
 * {@code request} or {@code response} ({@link #violations(HttpHeaders)}), and (2) in Prism's log as
 * {@code Violation: response.body... message} lines ({@link #loggedResponseViolations()}), which also
 * serves clients that do not show response headers (the SDK).
 *
 * <p>What Prism changes on the way: it parses a JSON request body and forwards it re-serialised
 * ({@code JSON.stringify}: compact, same key order), and re-encodes the query string; send compact
 * JSON (and no query) on signed requests, whose signature covers the exact bytes. It cannot forward a
 * WebSocket upgrade. The process (and anything it forks) is killed by {@link #close()}, and by a JVM
 * shutdown hook if the test never gets there.
 */
public final class PrismProxy implements AutoCloseable {
    /** Prism's start-up: loading and dereferencing the contract takes a few seconds on a loaded machine. */
    public static final long START_TIMEOUT_SECONDS = 60;
    private static final Pattern LISTENING = Pattern.compile("Prism is listening on (http://\\S+)");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
    private static final int LOG_LINES_KEPT = 5_000;

    /** One violation Prism reported for one exchange. */
    public record Violation(String location, String severity, String code, String message) {
        public boolean inResponse() {
            return location.equals("response") || location.startsWith("response.");
        }

        @Override
        public String toString() {
            return severity + " " + location + ": " + message;
        }
    }

    private final Process process;
    private final Thread shutdownHook;
    private final URI baseUri;
    private final Deque<String> log;
    private final List<String> responseViolations;

    private PrismProxy(Process process, Thread shutdownHook, URI baseUri, Deque<String> log, List<String> responseViolations) {
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.baseUri = baseUri;
        this.log = log;
        this.responseViolations = responseViolations;
    }

    /** Prism proxying {@code upstream} with this repository's {@code openapi/opentrade.yaml}. */
    public static PrismProxy start(URI upstream) throws IOException, InterruptedException {
        return start(OpenApiContract.repositoryRoot().resolve("openapi/opentrade.yaml"), upstream);
    }

    /** Prism proxying {@code upstream} with {@code contract}, on a free port of 127.0.0.1. */
    public static PrismProxy start(Path contract, URI upstream) throws IOException, InterruptedException {
        Path prism = executable();
        ProcessBuilder pb = new ProcessBuilder(prism.toString(), "proxy", contract.toAbsolutePath().toString(),
                upstream.toString(), "--host", "127.0.0.1", "--port", "0", "--multiprocess=false", "--errors=false")
                .redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))); // node would make an inherited stdin non-blocking
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("FORCE_COLOR", "0");
        Process process = pb.start();
        Thread hook = new Thread(() -> destroyTree(process), "prism-proxy-kill");
        Runtime.getRuntime().addShutdownHook(hook);
        Deque<String> log = new ArrayDeque<>();
        List<String> violations = new ArrayList<>();
        CompletableFuture<URI> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> readLog(process, log, violations, listening), "prism-proxy-log");
        reader.setDaemon(true);
        reader.start();
        try {
            URI base = listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new PrismProxy(process, hook, base, log, violations);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            destroyTree(process);
            Runtime.getRuntime().removeShutdownHook(hook);
            synchronized (log) {
                throw new IllegalStateException("Prism did not start within " + START_TIMEOUT_SECONDS + " s; its output:\n"
                        + String.join("\n", log), e);
            }
        }
    }

    /**
     * {@code openapi/node_modules/.bin/prism}; when absent, installs the pinned tools first
     * ({@code npm ci} in {@code openapi/}, as {@code openapi/lint.sh} does).
     */
    static Path executable() throws IOException, InterruptedException {
        Path openapi = OpenApiContract.repositoryRoot().resolve("openapi");
        Path prism = openapi.resolve("node_modules/.bin/prism");
        if (!Files.isExecutable(prism)) {
            // Not inheritIO: in a Surefire/Failsafe fork, stdout is the fork's channel to Maven (a child
            // writing to it corrupts the channel) and node makes an inherited stdin non-blocking.
            Path npmLog = Files.createTempFile("opentrade-npm-ci", ".log");
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(openapi.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(npmLog.toFile()).start();
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci in " + openapi + " failed; Prism is needed for the contract tests:\n"
                        + Files.readString(npmLog));
            }
            Files.deleteIfExists(npmLog);
        }
        return prism;
    }

    private static void readLog(Process process, Deque<String> log, List<String> violations,
                                CompletableFuture<URI> listening) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String plain = ANSI.matcher(line).replaceAll("");
                synchronized (log) {
                    log.addLast(plain);
                    if (log.size() > LOG_LINES_KEPT) {
                        log.removeFirst();
                    }
                    if (plain.contains("Violation: response")) {
                        violations.add(plain);
                    }
                }
                Matcher m = LISTENING.matcher(plain);
                if (m.find()) {
                    listening.complete(URI.create(m.group(1)));
                }
            }
        } catch (IOException e) {
            listening.completeExceptionally(e);
        }
        listening.completeExceptionally(new IllegalStateException("Prism exited before listening"));
    }

    /** Where to send requests: {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return baseUri;
    }

    /** The {@code Violation: response...} lines Prism has logged so far: answers that break the contract. */
    public List<String> loggedResponseViolations() {
        synchronized (log) {
            return List.copyOf(responseViolations);
        }
    }

    /** Prism's recent output (the last {@value #LOG_LINES_KEPT} lines), for failure messages. */
    public String log() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    /** The violations in an answer's {@code sl-violations} header (none when it is absent). */
    public static List<Violation> violations(HttpHeaders headers) {
        String value = headers.firstValue("sl-violations").orElse(null);
        if (value == null) {
            return List.of();
        }
        try {
            List<Violation> out = new ArrayList<>();
            for (Object o : new JsonArray(value)) {
                JsonObject v = (JsonObject) o;
                List<String> location = new ArrayList<>();
                JsonArray loc = v.getJsonArray("location", new JsonArray());
                loc.forEach(x -> location.add(String.valueOf(x)));
                out.add(new Violation(String.join(".", location), v.getString("severity", ""),
                        String.valueOf(v.getValue("code", "")), v.getString("message", "")));
            }
            return out;
        } catch (DecodeException | ClassCastException e) {
            // "Too many violations! <truncated JSON>": Prism cut a header over 8 KiB; no location to read.
            return List.of(new Violation("response", "Error", "", value));
        }
    }

    /** Kills Prism and whatever it started; waits for them to exit. */
    @Override
    public void close() {
        destroyTree(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs (or ran) anyway
        }
    }

    private static void destroyTree(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
