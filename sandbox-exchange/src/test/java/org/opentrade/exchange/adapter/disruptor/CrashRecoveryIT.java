package org.opentrade.exchange.adapter.disruptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.adapter.file.FileCommandJournal;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.domain.ExchangeListener;
import org.opentrade.exchange.domain.MatchingEngine;
import org.opentrade.exchange.model.Command;

/**
 * kill -9 under load: a separate JVM runs the exchange with journal and snapshots while commands
 * pour in; it is killed with SIGKILL mid-stream. After restart every acknowledged command is in the
 * journal at the sequence it was acknowledged with, and the recovered state (snapshot + journal
 * tail) has the same hash as a clean replay of the whole journal into a fresh engine.
 */
class CrashRecoveryIT {
    private static final int ACKS_BEFORE_KILL = 8_000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedCommandSurvivesKillDashNineAndRecoveryEqualsCleanReplay() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        CountDownLatch enoughAcks = new CountDownLatch(ACKS_BEFORE_KILL);
        Process load = start("load", dir.toString(), "42");
        Thread reader = drain(load, lines, enoughAcks);
        assertTrue(enoughAcks.await(90, TimeUnit.SECONDS), "the node acknowledged too little: " + lines.size());
        load.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no clean close
        assertTrue(load.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, load.exitValue(), "the node must die by SIGKILL");
        reader.join(TimeUnit.SECONDS.toMillis(30));

        List<long[]> acks = new ArrayList<>();
        for (String l : lines) {
            long[] a = CrashTestNode.parseAck(l);
            if (a != null) {
                acks.add(a);
            }
        }
        assertTrue(acks.size() >= ACKS_BEFORE_KILL);
        for (int shard = 0; shard < CrashTestNode.SHARDS; shard++) {
            assertTrue(hasSnapshot(shard), "shard " + shard + " should have taken a snapshot before the kill");
        }

        // 1. Every acknowledged command is in its shard's journal, at the acknowledged position.
        Map<Integer, List<Command>> journals = new HashMap<>();
        for (int shard = 0; shard < CrashTestNode.SHARDS; shard++) {
            journals.put(shard, readJournal(shard));
        }
        for (long[] a : acks) {
            List<Command> j = journals.get((int) a[0]);
            assertTrue(a[1] <= j.size(), "acknowledged journal seq " + a[1] + " of shard " + a[0] + " was lost");
            Command c = j.get((int) a[1] - 1);
            assertEquals(a[2], c.type().ordinal(), "journal seq " + a[1] + " holds another command type");
            assertEquals(a[3], c.orderId(), "journal seq " + a[1] + " holds another order");
        }

        // 2. The restarted node (snapshot + tail) reaches the same state as a clean full replay.
        List<String> recovered = new ArrayList<>();
        Process recover = start("recover", dir.toString());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(recover.getInputStream(),
                StandardCharsets.US_ASCII))) {
            String l;
            while ((l = r.readLine()) != null) {
                if (l.startsWith("HASH ")) {
                    recovered.add(l.split(" ")[2]);
                }
            }
        }
        assertTrue(recover.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, recover.exitValue());
        assertEquals(CrashTestNode.SHARDS, recovered.size());
        for (int shard = 0; shard < CrashTestNode.SHARDS; shard++) {
            MatchingEngine clean = MatchingEngine.withRules(CrashTestNode.CATALOG, CrashTestNode.CALENDAR);
            for (Command c : journals.get(shard)) {
                clean.process(c, ExchangeListener.NONE);
            }
            assertFalse(journals.get(shard).isEmpty());
            assertEquals(clean.stateHash(), recovered.get(shard), "shard " + shard + " recovered to another state");
        }
    }

    private boolean hasSnapshot(int shard) throws IOException {
        Path snaps = dir.resolve("shard-" + shard).resolve("snapshots");
        if (!Files.isDirectory(snaps)) {
            return false;
        }
        try (Stream<Path> s = Files.list(snaps)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("snapshot-"));
        }
    }

    private List<Command> readJournal(int shard) {
        List<Command> out = new ArrayList<>();
        try (FileCommandJournal j = FileCommandJournal.open(dir.resolve("shard-" + shard).resolve("journal"),
                FsyncPolicy.NONE)) {
            j.replay(0, out::add);
            assertEquals(j.lastSeq(), out.size(), "the journal must be complete from seq 1 for a clean replay");
        }
        return out;
    }

    private static Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashTestNode.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static Thread drain(Process p, List<String> into, CountDownLatch acks) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                String l;
                while ((l = r.readLine()) != null) {
                    into.add(l);
                    if (l.startsWith("ACK ")) {
                        acks.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process died; what was read is what was acknowledged
            }
        }, "crash-node-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
