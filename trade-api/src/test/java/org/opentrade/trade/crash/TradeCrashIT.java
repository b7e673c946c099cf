package org.opentrade.trade.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the process running the exchange and trade-api, at a random moment under load, loses
 * nothing acknowledged, and what restarts equals a clean rebuild. A {@link TradeCrashNode} places
 * orders over HTTP (six accounts, crossing a resting market maker and each other, some cancels);
 * after a random number of acknowledgements it is killed with SIGKILL. Then a node restarts from
 * trade-api's snapshot and logs and reports every account; then, with trade-api's snapshots deleted,
 * another rebuilds from the intent log and the exchange's feed from seq 1. Every acknowledged client
 * order id must be in both with its acknowledged order id, and both must agree exactly (state hash,
 * every order's status and fills, fill counts). A second round loads and kills the recovered
 * directories again (retrying the orders whose answer the kill cut off, and some acknowledged ones,
 * which must get their original order ids), and checks the same, plus that nothing of the first
 * round went backwards.
 *
 * <p>This class runs trade-api on its file store; {@link TradeCrashRedisIT} runs the same on Redis
 * through the hooks {@link #nodeJvmArgs}, {@link #underLoad} and {@link #deleteSnapshots}.
 *
 * <p>Seed: {@code -Dcrash.seed=N} repeats the kill points of a failed run (printed in failures).
 */
class TradeCrashIT {
    static final int START_S = 90;
    static final int ACKS_S = 60;

    @TempDir
    Path dir;

    /** JVM options of every node (the store under test). */
    List<String> nodeJvmArgs() {
        return List.of();
    }

    /**
     * Runs while load node {@code run} is loaded (after its acknowledgements, before its kill -9), for
     * failures other than the kill itself.
     */
    void underLoad(Node load, int run, String where) throws Exception {
    }

    private final List<Process> processes = new CopyOnWriteArrayList<>();
    /** account + " " + client order id → the order id its acknowledgement named, over every round. */
    private final Map<String, String> acked = new LinkedHashMap<>();
    /** Seconds per node, for the summary line. */
    private final StringBuilder phases = new StringBuilder();

    @AfterEach
    void killAll() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void killedUnderLoadLosesNoAcknowledgedOrderAndRestartsIntoTheCleanRebuild() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random chaos = new Random(seed);
        String where = " (seed " + seed + ", data in " + dir + ")";

        // Round 1: a fresh exchange and trade-api under load, killed after 200..349 acknowledgements.
        Node load1 = load(1, "-", 200 + chaos.nextInt(150), where);
        Report restarted1 = check("check-1a", where);
        assertTrue(restarted1.snapshots > 0, "the restart found no snapshot to start from" + where);
        deleteSnapshots();
        Report rebuilt1 = check("check-1b", where);
        assertEquals(0, rebuilt1.snapshots, "the clean rebuild found a snapshot" + where);
        compare(restarted1, rebuilt1, "round 1" + where);
        assertTrue(rebuilt1.totalFills() > 50, "too few fills to prove anything: " + rebuilt1.fills + where);

        // Round 2: the recovered directories under load again; retries first, killed again.
        List<String> retries = new ArrayList<>(load1.sentNotAcked());
        List<String> ackedRetries = load1.ackedSends();
        for (int i = 0; i < 10 && !ackedRetries.isEmpty(); i++) {
            retries.add(ackedRetries.get(chaos.nextInt(ackedRetries.size())));
        }
        Path retryFile = dir.resolve("retries-2.txt");
        Files.write(retryFile, retries);
        Node load2 = load(2, retryFile.toString(), retries.size() + 150 + chaos.nextInt(150), where);
        for (String retry : retries.subList(retries.size() - Math.min(10, ackedRetries.size()), retries.size())) {
            String[] f = retry.split(" ");
            assertTrue(load2.output.contains("ACK " + f[0] + " " + f[1] + " " + acked.get(f[0] + " " + f[1])),
                    "a retry of acknowledged " + f[0] + " " + f[1] + " did not get its order back" + where);
        }
        for (String kind : List.of("cancel 200", "replace 200", "kill-switch 200")) {
            assertTrue(load1.otherAnswers().containsKey(kind) || load2.otherAnswers().containsKey(kind), "no " + kind + " in "
                    + load1.otherAnswers() + where);
        }
        Report restarted2 = check("check-2a", where);
        assertTrue(restarted2.snapshots > 0, "the second restart found no snapshot to start from" + where);
        deleteSnapshots();
        Report rebuilt2 = check("check-2b", where);
        assertEquals(0, rebuilt2.snapshots, "the second clean rebuild found a snapshot" + where);
        compare(restarted2, rebuilt2, "round 2" + where);
        // Not vacuous: resting orders went through a kill, a restart and a rebuild. One round is enough: a
        // long load on a fast machine can end just after every account's kill switch cancelled its orders.
        assertTrue(rebuilt1.hasResting() || rebuilt2.hasResting(), "no resting order survived to the checks of"
                + " either round" + where);
        for (Map.Entry<String, String> o : rebuilt1.orders.entrySet()) {
            String now = rebuilt2.orders.get(o.getKey());
            assertNotNull(now, "round 2 lost round 1's order " + o.getValue() + where);
            String[] before = o.getValue().split(" ");
            String[] after = now.split(" ");
            assertEquals(before[3], after[3], "order id of " + o.getKey() + where);
            assertTrue(Long.parseLong(after[5]) >= Long.parseLong(before[5]), "filled qty went back: " + o.getValue()
                    + " -> " + now + where);
        }
        System.out.println("TradeCrashIT" + where + ": " + acked.size() + " acknowledged orders, " + retries.size()
                + " retried; other answers round 1 " + load1.otherAnswers() + ", round 2 " + load2.otherAnswers() + "; fills after round 1 "
                + rebuilt1.totalFills() + ", after round 2 " + rebuilt2.totalFills() + "; orders " + rebuilt2.orders.size()
                + "; feed " + rebuilt2.positions + ";" + phases);
        rebuilt1.fills.forEach((account, line) -> assertTrue(
                Long.parseLong(rebuilt2.fills.get(account).split(" ")[2]) >= Long.parseLong(line.split(" ")[2]),
                "fills of " + account + " went back: " + line + " -> " + rebuilt2.fills.get(account) + where));
    }

    /** Runs a load node until {@code acks} acknowledgements, then kills it; records its acknowledgements. */
    private Node load(int run, String retryFile, int acks, String where) throws Exception {
        long t0 = System.nanoTime();
        Node n = Node.start(processes, dir, nodeJvmArgs(), "load-" + run, "load", dir.toString(), String.valueOf(run),
                retryFile);
        n.await(l -> l.startsWith("READY "), 1, START_S, "load " + run + " READY" + where);
        n.await(l -> l.startsWith("ACK "), acks, ACKS_S, "load " + run + ": " + acks + " ACKs" + where);
        // The restart must have a snapshot to start from (the point of the checks after the kill): trade-api
        // writes one every 300 ms, and on a fast machine the acknowledgements can all come before the first.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!holdsSnapshot()) {
            assertTrue(System.nanoTime() < deadline, "load " + run + ": trade-api wrote no snapshot within 30 s" + where);
            Thread.sleep(20); // polling the store for a snapshot, with a deadline
        }
        underLoad(n, run, where);
        n.kill(); // SIGKILL at whatever moment the load has reached: no shutdown hook, no clean close
        phases.append(" load-").append(run).append(' ').append((System.nanoTime() - t0) / 1_000_000).append(" ms");
        for (String l : n.output) {
            if (l.startsWith("FAILED")) {
                fail("load " + run + ": " + l + where);
            }
            if (l.startsWith("ACK ")) {
                String[] f = l.split(" ");
                String earlier = acked.putIfAbsent(f[1] + " " + f[2], f[3]);
                assertTrue(earlier == null || earlier.equals(f[3]), "client order id " + f[1] + " " + f[2]
                        + " was acknowledged as " + earlier + " and later as " + f[3] + where);
            }
        }
        return n;
    }

    private Report check(String name, String where) throws Exception {
        long t0 = System.nanoTime();
        Node n = Node.start(processes, dir, nodeJvmArgs(), name, "check", dir.toString());
        n.await(l -> l.equals("DONE") || l.startsWith("FAILED"), 1, START_S, name + " DONE" + where);
        assertTrue(n.process.waitFor(START_S, TimeUnit.SECONDS), name + " did not exit" + where);
        n.reader.join(TimeUnit.SECONDS.toMillis(10));
        phases.append(' ').append(name).append(' ').append((System.nanoTime() - t0) / 1_000_000).append(" ms")
                .append(n.output.stream().filter(l -> l.startsWith("PENDING ")).map(l -> " (" + l + ")").findFirst()
                        .orElse(""));
        assertEquals(0, n.process.exitValue(), name + ": " + n.output.stream().filter(l -> l.startsWith("FAILED"))
                .toList() + where);
        Report r = Report.of(n.output);
        for (Map.Entry<String, String> a : acked.entrySet()) {
            String line = r.orders.get(a.getKey());
            assertNotNull(line, name + " lost the acknowledged order " + a.getKey() + " (" + a.getValue() + ")" + where);
            assertEquals(a.getValue(), line.split(" ")[3], name + ": order id of acknowledged " + a.getKey() + where);
        }
        return r;
    }

    private static void compare(Report restarted, Report rebuilt, String what) {
        assertEquals(restarted.positions, rebuilt.positions, what + ": both checks at the same feed position");
        List<String> a = new ArrayList<>(restarted.orders.values());
        List<String> b = new ArrayList<>(rebuilt.orders.values());
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            assertEquals(a.get(i), b.get(i), what + ": restart vs clean rebuild, order " + (i + 1) + " of " + a.size());
        }
        assertEquals(a.size(), b.size(), what + ": order count, restart vs clean rebuild");
        assertEquals(restarted.fills, rebuilt.fills, what + ": fills per account, restart vs clean rebuild");
        assertEquals(restarted.hash, rebuilt.hash, what + ": state hash, restart vs clean rebuild");
    }

    /** Whether trade-api's store holds a snapshot now (files in its snapshot directory). */
    boolean holdsSnapshot() throws IOException {
        Path snapshots = dir.resolve("trade").resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return false;
        }
        try (Stream<Path> files = Files.list(snapshots)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".snap"));
        }
    }

    /** Deletes every trade-api snapshot (no node running), so the next check rebuilds from scratch. */
    void deleteSnapshots() throws IOException {
        Path snapshots = dir.resolve("trade").resolve("snapshots");
        assertTrue(Files.isDirectory(snapshots), "trade-api wrote no snapshots");
        try (Stream<Path> files = Files.walk(snapshots)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** What a check node printed: HASH, POSITION, ORDER and FILLS lines. */
    private record Report(long snapshots, String hash, List<String> positions, Map<String, String> orders,
                          Map<String, String> fills) {
        /** Whether an order rests (new or partially filled) in this state. */
        boolean hasResting() {
            return orders.values().stream().anyMatch(l -> l.contains(" new ") || l.contains(" partially"));
        }

        static Report of(List<String> lines) {
            long snapshots = -1;
            String hash = null;
            List<String> positions = new ArrayList<>();
            Map<String, String> orders = new TreeMap<>();
            Map<String, String> fills = new TreeMap<>();
            for (String l : lines) {
                String[] f = l.split(" ");
                switch (f[0]) {
                    case "SNAPSHOTS" -> snapshots = Long.parseLong(f[1]);
                    case "HASH" -> hash = f[1];
                    case "POSITION" -> positions.add(l);
                    case "ORDER" -> orders.put(f[1] + " " + f[2], l);
                    case "FILLS" -> fills.put(f[1], l);
                    default -> { }
                }
            }
            assertNotNull(hash, "no HASH line: " + lines);
            assertTrue(snapshots >= 0, "no SNAPSHOTS line: " + lines);
            return new Report(snapshots, hash, positions, orders, fills);
        }

        long totalFills() {
            return fills.values().stream().mapToLong(l -> Long.parseLong(l.split(" ")[2])).sum();
        }
    }

    /** A node process and what it printed on stdout (stderr goes to {@code <dir>/<name>.log}). */
    static final class Node {
        final Process process;
        final List<String> output = new ArrayList<>();
        private Thread reader;

        private Node(Process process) {
            this.process = process;
        }

        static Node start(List<Process> all, Path dir, List<String> jvmArgs, String name, String... args)
                throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmArgs);
            cmd.add("-Xmx256m");
            cmd.add("-XX:TieredStopAtLevel=1");
            cmd.add("-XX:+UseSerialGC");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(TradeCrashNode.class.getName());
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(dir.resolve(name + ".log").toFile()).start();
            all.add(p);
            Node n = new Node(p);
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.US_ASCII))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        synchronized (n) {
                            n.output.add(l);
                            n.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // killed
                }
                synchronized (n) {
                    n.notifyAll();
                }
            }, "crash-node-reader-" + name);
            t.setDaemon(true);
            n.reader = t;
            t.start();
            return n;
        }

        /** Waits until {@code count} lines match; fails on timeout, on a FAILED line, or when the node died. */
        synchronized void await(Predicate<String> line, int count, int seconds, String what)
                throws InterruptedException {
            await(0, line, count, seconds, what);
        }

        /** As {@link #await(Predicate, int, int, String)}, counting only lines from index {@code from} on. */
        synchronized void await(int from, Predicate<String> line, int count, int seconds, String what)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                long matched = output.subList(from, output.size()).stream().filter(line).count();
                if (matched >= count) {
                    return;
                }
                if (output.stream().anyMatch(l -> l.startsWith("FAILED"))) {
                    fail(what + ": " + output.stream().filter(l -> l.startsWith("FAILED")).toList());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && matched < count) {
                    fail(what + ": only " + matched + " within " + seconds + " s (alive: " + process.isAlive()
                            + "); last lines " + output.subList(Math.max(0, output.size() - 5), output.size()));
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            reader.join(TimeUnit.SECONDS.toMillis(10)); // drains what the pipe still holds
        }

        /** Lines printed so far. */
        synchronized int size() {
            return output.size();
        }

        /** A copy of the lines from index {@code from} on. */
        synchronized List<String> since(int from) {
            return new ArrayList<>(output.subList(from, output.size()));
        }

        /** The port trade-api listens on (from the READY line). */
        synchronized int port() {
            return output.stream().filter(l -> l.startsWith("READY ")).map(l -> Integer.parseInt(l.substring(6)))
                    .findFirst().orElseThrow();
        }

        /** Answers other than ACK, by kind and status. */
        synchronized Map<String, Long> otherAnswers() {
            Map<String, Long> out = new TreeMap<>();
            for (String l : output) {
                String[] f = l.split(" ");
                if (f[0].equals("NACK") && f.length >= 4) {
                    out.merge("order " + f[3], 1L, Long::sum);
                } else if (f[0].equals("CMD") && f.length >= 4) {
                    out.merge(f[2] + " " + f[3], 1L, Long::sum);
                }
            }
            return out;
        }

        /** The SEND lines ({@code <account> <cid> <body>}) whose order got no 200/201 answer before the kill. */
        List<String> sentNotAcked() {
            return sends(false);
        }

        /** The SEND lines of acknowledged orders. */
        List<String> ackedSends() {
            return sends(true);
        }

        private synchronized List<String> sends(boolean ackedOnes) {
            Map<String, String> sent = new LinkedHashMap<>();
            java.util.Set<String> answered = new java.util.HashSet<>();
            for (String l : output) {
                String[] f = l.split(" ", 4);
                if (f[0].equals("SEND") && f.length == 4 && f[3].endsWith("}")) {
                    sent.put(f[1] + " " + f[2], f[1] + " " + f[2] + " " + f[3]);
                } else if (f[0].equals("ACK") || f[0].equals("NACK")) {
                    answered.add(f[1] + " " + f[2]);
                    if (f[0].equals("ACK")) {
                        answered.add("ACK " + f[1] + " " + f[2]);
                    }
                }
            }
            List<String> out = new ArrayList<>();
            sent.forEach((k, v) -> {
                if (ackedOnes ? answered.contains("ACK " + k) : !answered.contains(k)) {
                    out.add(v);
                }
            });
            return out;
        }
    }
}
