package org.opentrade.exchange.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.adapter.file.FileCommandJournal;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.domain.EventCollector;
import org.opentrade.exchange.domain.MatchingEngine;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.ExchangeEvent;

/**
 * Exactly once, in order, across crashes of both ends: an exchange process under load and a durable
 * feed consumer process, joined by a clustered event bus, are killed with SIGKILL at random points
 * and restarted, several times each. Afterwards every shard's stream as the consumer recorded it
 * equals, line for line, the events of a clean replay of that shard's journal into a fresh engine:
 * nothing lost, nothing duplicated, nothing out of order. Each exchange run also journals an order
 * that makes the engine throw, which recovery must handle as the live run did.
 */
class FeedExactlyOnceIT {
    private static final int EXCHANGE_RUNS = 3;
    private static final int LOAD_SECONDS = 8;

    @TempDir
    Path dir;

    private final List<Process> processes = new CopyOnWriteArrayList<>();

    @AfterEach
    void killAll() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void killedExchangeAndKilledConsumerTogetherSeeEveryEventExactlyOnceInOrder() throws Exception {
        Random chaos = new Random(7);
        int port = freePortBase();
        Path exchangeDir = dir.resolve("exchange");
        Path consumerDir = dir.resolve("consumer");
        Node consumer = Node.start(processes, "consumer", consumerDir.toString(), String.valueOf(port));
        int consumerKills = 0;
        int exchangeKillsUnderLoad = 0;
        Node exchange = null;
        for (int run = 1; run <= EXCHANGE_RUNS; run++) {
            boolean last = run == EXCHANGE_RUNS;
            exchange = Node.start(processes, "exchange", exchangeDir.toString(), String.valueOf(run),
                    String.valueOf(port), String.valueOf(LOAD_SECONDS));
            assertTrue(exchange.ready.await(90, TimeUnit.SECONDS), "exchange run " + run + " did not start");
            long loadEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_SECONDS);
            // While the load runs: kill the consumer at random points and start it again.
            while (System.nanoTime() < loadEnds - TimeUnit.SECONDS.toNanos(2)) {
                TimeUnit.MILLISECONDS.sleep(700 + chaos.nextInt(1500)); // the chaos schedule, not a wait
                consumer.kill();
                consumerKills++;
                consumer = Node.start(processes, "consumer", consumerDir.toString(), String.valueOf(port));
            }
            if (!last) {
                exchange.kill(); // mid-load: the load runs LOAD_SECONDS and this is before its end
                exchangeKillsUnderLoad++;
            }
        }
        assertTrue(exchange.heads.await(60, TimeUnit.SECONDS), "the last exchange run did not finish its load");
        assertTrue(consumer.ready.await(90, TimeUnit.SECONDS));
        for (int shard = 0; shard < FeedCrashNode.SHARDS; shard++) {
            long head = exchange.head.get(shard);
            Path file = consumerDir.resolve("shard-" + shard + ".events");
            assertTrue(awaitLastSeq(file, head, consumer), "shard " + shard + " consumer did not reach " + head);
        }
        assertTrue(consumerKills >= 3, "too few consumer kills: " + consumerKills);
        assertEquals(EXCHANGE_RUNS - 1, exchangeKillsUnderLoad);
        assertTrue(consumer.output.stream().noneMatch(l -> l.startsWith("VIOLATION") || l.startsWith("TRUNCATED")),
                String.valueOf(consumer.output));
        exchange.kill();
        consumer.kill();

        int[] poisoned = {0};
        for (int shard = 0; shard < FeedCrashNode.SHARDS; shard++) {
            List<String> expected = cleanReplay(exchangeDir.resolve("shard-" + shard).resolve("journal"), shard,
                    poisoned);
            List<String> seen = Files.readAllLines(consumerDir.resolve("shard-" + shard + ".events"));
            assertTrue(expected.size() > 5_000, "too little traffic to prove anything: " + expected.size());
            assertEquals(expected.size(), seen.size(), "shard " + shard + ": event count");
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i), seen.get(i), "shard " + shard + ", line " + (i + 1));
            }
            assertTrue(expected.stream().filter(l -> l.contains(" ACCEPTED ")).count() > 100);
        }
        assertEquals(EXCHANGE_RUNS, poisoned[0], "every run journaled one command that makes the engine throw");
    }

    /** The events of a clean replay of the whole journal, with the shard's guard around the engine. */
    private static List<String> cleanReplay(Path journalDir, int shard, int[] poisoned) {
        MatchingEngine engine = MatchingEngine.withRules(FeedCrashNode.CATALOG, FeedCrashNode.CALENDAR,
                FeedCrashNode.poisonedBooks());
        EventCollector collector = new EventCollector(shard, 0);
        List<String> out = new ArrayList<>();
        try (FileCommandJournal j = FileCommandJournal.open(journalDir, FsyncPolicy.NONE)) {
            assertEquals(1, j.firstSeq(), "the journal must be complete for a clean replay");
            j.replay(0, c -> {
                collector.begin(c);
                try {
                    engine.process(c, collector);
                } catch (RuntimeException e) {
                    poisoned[0]++;
                }
                for (ExchangeEvent e : collector.events()) {
                    out.add(FeedCrashNode.line(e));
                }
            });
        }
        return out;
    }

    private static boolean awaitLastSeq(Path file, long head, Node consumer) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && lines.get(lines.size() - 1).startsWith(head + " ")) {
                    return true;
                }
            }
            if (!consumer.process.isAlive()) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(200); // polling a file another process writes
        }
        return false;
    }

    private static int freePortBase() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return 20_000 + (s.getLocalPort() % 20_000);
        }
    }

    /** A node process and what it printed. */
    private static final class Node {
        final Process process;
        final List<String> output = new CopyOnWriteArrayList<>();
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch heads = new CountDownLatch(FeedCrashNode.SHARDS);
        final ConcurrentHashMap<Integer, Long> head = new ConcurrentHashMap<>();

        private Node(Process process) {
            this.process = process;
        }

        static Node start(List<Process> all, String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx256m");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(FeedCrashNode.class.getName());
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            all.add(p);
            Node n = new Node(p);
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.US_ASCII))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        n.output.add(l);
                        if (l.equals("READY")) {
                            n.ready.countDown();
                        } else if (l.startsWith("HEAD ")) {
                            String[] f = l.split(" ");
                            n.head.put(Integer.parseInt(f[1]), Long.parseLong(f[2]));
                            n.heads.countDown();
                        }
                    }
                } catch (IOException ignored) {
                    // killed
                }
            }, "feed-node-reader");
            t.setDaemon(true);
            t.start();
            return n;
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean close
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }
    }
}
