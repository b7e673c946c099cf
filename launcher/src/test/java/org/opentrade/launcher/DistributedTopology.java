package org.opentrade.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.opentrade.common.testing.DayEnds;
import org.opentrade.launcher.contract.OpenApiContract;

/**
 * The distributed topology of {@code scripts/run-distributed.sh}, run for a test: one run directory
 * under {@code target/}, started once with the jars the reactor has just packaged (never rebuilt from a
 * test), stopped by {@link #close} and, should the test JVM end first, by a shutdown hook. The ports
 * are the free ones the script picked (its {@code ports.env}).
 */
final class DistributedTopology implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(150);
    /**
     * {@code upstreams.market-api.ws_upstream_ping_interval} of the shared topology's gateways (default
     * 5 s): they close a hung market-api instance's streams within 2 s, so DistributedFaultIT's SIGSTOP
     * phase stays short and well inside the cluster's member timeout (15 s), after which the stopped
     * member would be dropped from the cluster.
     */
    static final Duration UPSTREAM_PING_INTERVAL = Duration.ofSeconds(1);
    private static DistributedTopology shared;

    private final Path root;
    private final Path dir;
    private final Map<String, String> env;
    private final Map<String, String> ports;
    private final Thread stopOnExit;
    private volatile boolean stopped;

    private DistributedTopology(Path root, Path dir, Map<String, String> env, Map<String, String> ports) {
        this.root = root;
        this.dir = dir;
        this.env = env;
        this.ports = ports;
        this.stopOnExit = new Thread(this::stopQuietly, "distributed-topology-stop");
    }

    /**
     * Starts the topology in {@code target/<name>} (emptied first, after stopping whatever a killed
     * earlier run left there) and returns once the script says every service is ready.
     */
    static DistributedTopology start(String name) throws Exception {
        return start(name, Map.of());
    }

    /**
     * The topology the distributed ITs share (one start of about a minute instead of one per class):
     * started by the first caller in this JVM, in {@code target/distributed-it}, with the script's two
     * exchange processes and the gateway overlay of {@link #UPSTREAM_PING_INTERVAL}. DistributedTopologyIT
     * runs first (it changes nothing); DistributedFaultIT then kills and restarts parts of it and stops
     * it (junit-platform.properties orders the classes by their {@code @Order}). Should neither stop it,
     * the shutdown hook does.
     */
    static synchronized DistributedTopology shared() throws Exception {
        if (shared == null || shared.stopped) {
            Path gatewayConfig = OpenApiContract.repositoryRoot().resolve("launcher/target/distributed-it-gateway.yaml");
            Files.createDirectories(gatewayConfig.getParent());
            Files.writeString(gatewayConfig, "upstreams:\n  market-api:\n    ws_upstream_ping_interval: "
                    + UPSTREAM_PING_INTERVAL.toMillis() + "ms\n");
            shared = start("distributed-it", Map.of("OPENTRADE_GATEWAY_CONFIG", gatewayConfig.toString(),
                    "OPENTRADE_DIST_EXCHANGES", "2"));
        }
        return shared;
    }

    /**
     * As {@link #start(String)}, with {@code env} added to the script's environment on every call
     * (the services inherit it), e.g. {@code OPENTRADE_GATEWAY_CONFIG} naming a gateway config overlay.
     */
    static DistributedTopology start(String name, Map<String, String> env) throws Exception {
        Path root = OpenApiContract.repositoryRoot();
        Path dir = root.resolve("launcher/target").resolve(name);
        if (Files.isDirectory(dir)) {
            script(root, dir, env, "stop", STOP_TIMEOUT);
            // The services' logs of the run before (one that failed to start, say) stay beside the new run's.
            Path logs = dir.resolve("logs");
            Path previous = dir.resolveSibling(dir.getFileName() + "-previous-logs");
            if (Files.isDirectory(logs)) {
                if (Files.isDirectory(previous)) {
                    deleteTree(previous);
                }
                Files.move(logs, previous);
            }
            deleteTree(dir);
        }
        Files.createDirectories(dir);
        Result started;
        try {
            started = script(root, dir, env, "start", START_TIMEOUT);
        } catch (RuntimeException | Error e) {
            script(root, dir, env, "stop", STOP_TIMEOUT);
            throw e;
        }
        if (started.exitCode != 0) {
            script(root, dir, env, "stop", STOP_TIMEOUT);
            throw new AssertionError("run-distributed.sh start exited " + started.exitCode + ":\n" + started.output);
        }
        DistributedTopology t = new DistributedTopology(root, dir, Map.copyOf(env), readPorts(dir.resolve("ports.env")));
        Runtime.getRuntime().addShutdownHook(t.stopOnExit);
        return t;
    }

    int port(String name) {
        String v = ports.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no " + name + " in " + dir.resolve("ports.env") + ": " + ports.keySet());
        }
        return Integer.parseInt(v);
    }

    String url(String portName) {
        return "http://127.0.0.1:" + port(portName);
    }

    Path dir() {
        return dir;
    }

    String secret(String file) throws IOException {
        return Files.readString(dir.resolve("secrets").resolve(file), StandardCharsets.US_ASCII).strip();
    }

    /** The pids the script recorded for the running services. */
    Map<String, Long> pids() throws IOException {
        Map<String, Long> out = new HashMap<>();
        Path pids = dir.resolve("pids");
        if (Files.isDirectory(pids)) {
            try (Stream<Path> files = Files.list(pids)) {
                for (Path f : files.toList()) {
                    String service = f.getFileName().toString().replace(".pid", "");
                    out.put(service, Long.parseLong(Files.readString(f).strip()));
                }
            }
        }
        return out;
    }

    /**
     * {@code run-distributed.sh start} again: starts only the services that are not running (on the
     * same ports, from ports.env) and returns once the script says every service is ready.
     */
    Result startMissing() throws Exception {
        return script(root, dir, env, "start", START_TIMEOUT);
    }

    /**
     * SIGKILL to one service by its pid file, then waits (up to 10 s) until the process is gone; the
     * pid file stays, and {@code start} sees the service as missing (the script checks the pid's
     * working directory). Returns the killed pid.
     */
    long kill(String service) throws Exception {
        return signal(service, true);
    }

    /** SIGTERM to one service (its graceful shutdown), then waits (up to 60 s) until it is gone. */
    long terminate(String service) throws Exception {
        return signal(service, false);
    }

    /**
     * SIGSTOP to one service: the process stays, its sockets stay open and the kernel still accepts
     * connections on them, but it answers nothing (a hung upstream). Returns the pid; {@link #resume}
     * ends it. A stopped process still dies by SIGKILL, so {@link #stop} ends it in any case.
     */
    long pause(String service) throws Exception {
        return sendSignal(service, "STOP");
    }

    /** SIGCONT to one service stopped by {@link #pause}. */
    long resume(String service) throws Exception {
        return sendSignal(service, "CONT");
    }

    private long sendSignal(String service, String signal) throws Exception {
        long pid = ours(service).pid();
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + pid + " (" + service + ") failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return pid;
    }

    /** The running process of {@code service}, checked by its working directory (never another's pid). */
    private ProcessHandle ours(String service) throws IOException {
        Long pid = pids().get(service);
        if (pid == null) {
            throw new IllegalStateException("no pid file for " + service + " in " + dir.resolve("pids"));
        }
        ProcessHandle p = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(service + " (pid " + pid
                + ") does not run"));
        if (!Files.readSymbolicLink(Path.of("/proc", pid.toString(), "cwd")).equals(dir.resolve(service))) {
            throw new IllegalStateException("pid " + pid + " is not " + service + " of " + dir);
        }
        return p;
    }

    private long signal(String service, boolean kill) throws Exception {
        ProcessHandle p = ours(service);
        long pid = p.pid();
        if (kill) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        long deadline = System.nanoTime() + (kill ? Duration.ofSeconds(10) : Duration.ofSeconds(60)).toNanos();
        while (runs(pid)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(service + " (pid " + pid + ") still runs after " + (kill ? "SIGKILL" : "SIGTERM"));
            }
            Thread.sleep(20); // polling for the process to exit, with a deadline
        }
        return pid;
    }

    /**
     * Whether {@code pid} is a live process: an exited one that its new parent has not reaped yet (a
     * zombie, state Z in {@code /proc/<pid>/stat}) runs no more.
     */
    static boolean runs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }

    /**
     * SIGKILL to every service that runs (each checked by its working directory), then {@link #stop}, which
     * finds nothing left to stop and cleans up: for a test that is done with the topology and does not
     * test its graceful stop ({@link #stopAndCheck} does).
     */
    void killAll() throws Exception {
        for (Map.Entry<String, Long> e : pids().entrySet()) {
            String service = e.getKey();
            if (runs(e.getValue())) {
                try {
                    kill(service);
                } catch (IllegalStateException notOurs) {
                    // its pid file names a process that has exited, or another's: nothing of ours to kill
                }
            }
        }
        stop();
    }

    /** {@code run-distributed.sh status}: its exit code and output. */
    Result status() throws Exception {
        return script(root, dir, env, "status", Duration.ofSeconds(60));
    }

    /** {@code run-distributed.sh stop}; idempotent. */
    Result stop() throws Exception {
        stopped = true;
        return script(root, dir, env, "stop", STOP_TIMEOUT);
    }

    /**
     * {@code run-distributed.sh stop}, checked: it exits 0, no process of the topology runs after it,
     * every exchange stopped through its shutdown hook (not by SIGKILL), and {@code status} then
     * reports the topology as not running.
     */
    void stopAndCheck() throws Exception {
        try {
            Map<String, Long> before = pids();
            Result result = stop();
            org.junit.jupiter.api.Assertions.assertEquals(0, result.exitCode(), result.output());
            for (Map.Entry<String, Long> e : before.entrySet()) {
                org.junit.jupiter.api.Assertions.assertFalse(runs(e.getValue()),
                        e.getKey() + " (pid " + e.getValue() + ") still runs after stop");
            }
            for (String exchange : new String[] {"exchange", "exchange-2"}) {
                Path log = dir.resolve("logs").resolve(exchange + ".log");
                if (before.containsKey(exchange)) {
                    org.junit.jupiter.api.Assertions.assertTrue(Files.readString(log).contains(
                            "sandbox-exchange stopped cleanly"), exchange + " stopped through its shutdown hook");
                }
            }
            org.junit.jupiter.api.Assertions.assertEquals(1, status().exitCode(),
                    "status reports the stopped topology as not running");
        } finally {
            close();
        }
    }

    @Override
    public void close() throws Exception {
        if (!stopped) {
            stop();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs (or ran) anyway; stop is idempotent
        }
    }

    private void stopQuietly() {
        if (!stopped) {
            try {
                stop();
            } catch (Exception e) {
                System.err.println("could not stop the distributed topology in " + dir + ": " + e);
            }
        }
    }

    record Result(int exitCode, String output) {
    }

    private static Result script(Path root, Path dir, Map<String, String> extraEnv, String command, Duration timeout)
            throws Exception {
        Path out = dir.resolveSibling(dir.getFileName() + "-" + command + ".log");
        Files.createDirectories(out.getParent());
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("scripts/run-distributed.sh").toString(), command));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        env.put("OPENTRADE_DIST_DIR", dir.toString());
        // The reactor packaged the jars before this module's integration tests: never build from a test.
        env.put("OPENTRADE_DIST_BUILD", "never");
        env.put("OPENTRADE_DIST_BACKFILL_DAYS", "2");
        env.put("OPENTRADE_DIST_READY_TIMEOUT", "180");
        // C1 only: the JVMs start faster on the test machine's two cores; nothing here measures speed.
        env.put("OPENTRADE_DIST_JAVA_OPTS", "-XX:TieredStopAtLevel=1");
        env.put(DayEnds.ENV, DayEnds.awayFromNow());
        env.putAll(extraEnv);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("run-distributed.sh " + command + " did not finish in " + timeout + ":\n"
                    + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    private static Map<String, String> readPorts(Path file) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
