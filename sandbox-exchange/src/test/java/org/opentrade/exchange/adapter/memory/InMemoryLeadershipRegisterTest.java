package org.opentrade.exchange.adapter.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.port.LeadershipRegister;
import org.opentrade.exchange.port.LeadershipRegisterContract;

class InMemoryLeadershipRegisterTest extends LeadershipRegisterContract {
    private final InMemoryLeadershipRegister.Engine engine = new InMemoryLeadershipRegister.Engine();

    @Override
    protected LeadershipRegister open(int process, String group) {
        return engine.view("node-" + process, group);
    }

    /** The engine ends the process's session at once. */
    @Override
    protected void kill(int process) {
        engine.expire("node-" + process);
    }

    @Override
    protected Duration takeoverBound() {
        return Duration.ofSeconds(1);
    }

    @Test
    void anExpiredSessionWakesAWaitingProcess() throws Exception {
        try (LeadershipRegister a = engine.view("node-a"); LeadershipRegister b = engine.view("node-b")) {
            long first = a.tryLock(Duration.ZERO).orElseThrow();
            CompletableFuture<OptionalLong> waiting = CompletableFuture.supplyAsync(() -> b.tryLock(Duration.ofSeconds(10)));
            engine.expire("node-a");
            assertEquals(OptionalLong.of(first + 1), waiting.get(10, TimeUnit.SECONDS));
            assertEquals("node-b", engine.holder(InMemoryLeadershipRegister.Engine.DEFAULT_GROUP));
        }
    }

    @Test
    void aProcessThatOutlivedItsSessionMustTakeTheLockAfreshUnderANewFence() {
        try (LeadershipRegister a = engine.view("node-a")) {
            long first = a.tryLock(Duration.ZERO).orElseThrow();
            engine.expire("node-a");
            assertNull(engine.holder(InMemoryLeadershipRegister.Engine.DEFAULT_GROUP));
            assertEquals(OptionalLong.of(first + 1), a.tryLock(Duration.ZERO));
        }
    }

    @Test
    void aClosedRegisterRefusesLockCalls() {
        LeadershipRegister a = engine.view("node-a");
        a.close();
        a.close();
        assertThrows(IllegalStateException.class, () -> a.tryLock(Duration.ZERO));
        assertTrue(engine.view("node-b").tryLock(Duration.ZERO).isPresent());
    }
}
