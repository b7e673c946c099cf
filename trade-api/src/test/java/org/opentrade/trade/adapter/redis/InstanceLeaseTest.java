package org.opentrade.trade.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Whether a claim's holder on this host still runs. */
class InstanceLeaseTest {

    /**
     * A holder that was killed but not yet reaped by its parent (a zombie, as after a kill -9 under a
     * first process that does not reap orphans) is dead, though {@link ProcessHandle#isAlive} says it runs;
     * its parent, which does run, is not.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void anExitedProcessNotYetReapedIsDeadAndARunningOneIsNot() throws Exception {
        // bash starts a child that exits at once, then becomes sleep, which never reaps it
        Process parent = new ProcessBuilder("bash", "-c", "sleep 0.05 & echo $!; exec sleep 30").start();
        try {
            long child = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(),
                    StandardCharsets.UTF_8)).readLine().trim());
            String childHolder = holder(child);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!InstanceLease.exited(child) && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling for the child to exit, with a deadline
            }
            assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false),
                    "the process handle still calls the unreaped child alive (else this test proves nothing)");
            assertTrue(InstanceLease.deadOnThisHost(childHolder), "an exited, unreaped holder is dead: " + childHolder);
            assertFalse(InstanceLease.deadOnThisHost(holder(parent.pid())), "a running holder is alive");
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }

    private static String holder(long pid) {
        String host = InstanceLease.holderPrefix().split("\\|")[0];
        long start = ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(Instant::toEpochMilli).orElse(0L);
        return host + "|" + pid + "|" + start + "|0123456789abcdef";
    }
}
