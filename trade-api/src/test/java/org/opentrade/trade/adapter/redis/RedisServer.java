package org.opentrade.trade.adapter.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentrade.common.testing.LoopbackPorts;

/**
 * A real {@code redis-server} per test class (the idea of the gateway's RedisServerProcess, cut
 * down): a free port on 127.0.0.1, a temporary directory, append-only with {@code appendfsync always}
 * (the setting trade-api's Redis stores need for no loss), killed by a shutdown hook if the run dies.
 * {@code redis-server} from {@code PATH} or {@code -Dredis.server=<path>}.
 * Use as {@code @RegisterExtension static final RedisServer redis = new RedisServer();} (public: the
 * service-level tests in {@code app} and {@code crash} use it too).
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {
    private static final String EXECUTABLE = System.getProperty("redis.server", "redis-server");

    private int port;
    private Path dir;
    private Process process;
    private final Thread killer = new Thread(() -> {
        if (process != null) {
            process.destroyForcibly();
        }
    }, "redis-server-killer");

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        port = LoopbackPorts.free();
        dir = Files.createTempDirectory("trade-redis-it");
        Runtime.getRuntime().addShutdownHook(killer);
        launch();
    }

    /** Kills the server (SIGKILL, as a crash) and starts it again on the same port, from its AOF. */
    public void crashAndRestart() throws IOException, InterruptedException {
        kill();
        launch();
    }

    /** SIGKILL: no shutdown, no last write; whatever it acknowledged is in its AOF (appendfsync always). */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Starts the server again on the same port and directory (after {@link #kill}); returns once it answers PING. */
    public void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException("redis-server is still running");
        }
        launch();
    }

    public String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** The server's directory (AOF, and redis.log with what it printed). */
    public Path dir() {
        return dir;
    }

    public void flushAll() throws IOException {
        String reply = command("FLUSHALL");
        if (!reply.startsWith("+OK")) {
            throw new IOException("FLUSHALL answered " + reply);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException leftOver) {
            // a temp dir left behind is harmless
        }
        Runtime.getRuntime().removeShutdownHook(killer);
    }

    private void launch() throws IOException, InterruptedException {
        Path log = dir.resolve("redis.log");
        process = new ProcessBuilder(List.of(EXECUTABLE, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if (command("PING").startsWith("+PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet (or still loading its AOF)
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("redis-server did not answer PING on port " + port + ": " + Files.readString(log));
            }
            TimeUnit.MILLISECONDS.sleep(10); // polling the server's start-up
        }
    }

    /**
     * One command (ASCII arguments) on a fresh connection; the first line of the reply, e.g. {@code :3}
     * or {@code +OK} (enough for integer and status replies).
     */
    public String command(String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder resp = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                resp.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
            }
            out.write(resp.toString().getBytes(StandardCharsets.US_ASCII));
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
