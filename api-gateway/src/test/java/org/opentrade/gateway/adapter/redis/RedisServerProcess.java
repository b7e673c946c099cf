package org.opentrade.gateway.adapter.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentrade.common.testing.LoopbackPorts;

/**
 * A real {@code redis-server} for tests: its own free port on 127.0.0.1, no persistence, a temporary
 * working directory. {@link #kill()} and {@link #restart()} let failure tests take it away and bring
 * it back on the same port (empty: nothing is saved). A JVM shutdown hook kills it if a test run dies
 * before {@link #close()}.
 */
public final class RedisServerProcess implements AutoCloseable {

    public static final String EXECUTABLE = System.getProperty("redis.server", "/usr/bin/redis-server");
    private static final Duration STARTUP = Duration.ofSeconds(10);

    private final int port;
    private final Path dir;
    private final Thread killer = new Thread(this::kill, "redis-server-killer");
    private Process process;

    private RedisServerProcess(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Starts a server on a free port and returns once it answers PING. */
    public static RedisServerProcess start() throws IOException, InterruptedException {
        RedisServerProcess server = new RedisServerProcess(LoopbackPorts.free(), Files.createTempDirectory("redis-it"));
        server.launch();
        Runtime.getRuntime().addShutdownHook(server.killer);
        return server;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>/0}. */
    public String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** Deletes every key (and no scripts): a clean server for the next test. */
    public void flushAll() throws IOException {
        String reply = command("FLUSHALL");
        if (!reply.startsWith("+OK")) {
            throw new IOException("FLUSHALL answered " + reply);
        }
    }

    /** Stops the server gracefully (SIGTERM) and waits for it. */
    public synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Kills the server at once (SIGKILL), as a crash would; waits until it is gone. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            // A paused process dies of SIGKILL too: no need to resume it first.
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Freezes the server (SIGSTOP): connections stay open but nothing answers, as with a hung or
     * overloaded Redis, so clients must rely on their own timeouts. {@link #resume()} undoes it.
     */
    public synchronized void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a {@link #pause() paused} server run again (SIGCONT). */
    public synchronized void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill " + signal + " " + process.pid() + " failed");
        }
    }

    /** Writes a snapshot (SAVE) that the next {@link #restart()} loads, as a persistent Redis would. */
    public void save() throws IOException {
        String reply = command("SAVE");
        if (!reply.startsWith("+OK")) {
            throw new IOException("SAVE answered " + reply);
        }
    }

    /**
     * Starts it again on the same port, after {@link #stop()} or {@link #kill()}; empty, or with the
     * data of the last {@link #save()}.
     */
    public synchronized void restart() throws IOException, InterruptedException {
        kill();
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        try (var files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
            Files.deleteIfExists(dir);
        } catch (IOException leftOver) {
            // a temp dir left behind is harmless
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private synchronized void launch() throws IOException, InterruptedException {
        Path log = dir.resolve("redis.log");
        process = new ProcessBuilder(List.of(EXECUTABLE, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            try {
                if (command("PING").startsWith("+PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                kill();
                throw new IOException("redis-server did not answer PING on port " + port + ": "
                        + Files.readString(log));
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /** Sends one command without arguments over a fresh socket; returns the reply's first line. */
    private String command(String name) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("*1\r\n$" + name.length() + "\r\n" + name + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString().trim();
        }
    }
}
