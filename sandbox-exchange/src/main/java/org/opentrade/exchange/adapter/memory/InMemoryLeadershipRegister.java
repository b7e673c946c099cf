package org.opentrade.exchange.adapter.memory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.opentrade.exchange.port.LeadershipRegister;

/**
 * One process's view of leadership registers held in an {@link Engine} in memory: the stand-in for
 * the consensus engine in unit tests of the code around {@link LeadershipRegister}. Several views on
 * one engine act as several processes; {@link Engine#expire} makes one of them die as far as the
 * engine is concerned. Nothing survives the engine object.
 *
 * <p>Threads: any; every call synchronizes on the engine. {@link #tryLock} waits on it (wait/notify)
 * while another process holds the lock.
 */
public final class InMemoryLeadershipRegister implements LeadershipRegister {
    private final Engine engine;
    private final String process;
    private final String group;
    private boolean closed;

    private InMemoryLeadershipRegister(Engine engine, String process, String group) {
        this.engine = engine;
        this.process = process;
        this.group = group;
    }

    /**
     * The consensus engine: per group, a lock holder, the last fence handed out and the register's
     * value. Fences count up across every acquire of a group's lock, so a new hold always gets a larger
     * one, as in a real engine.
     */
    public static final class Engine {
        /** The group {@link #view(String)} uses. */
        public static final String DEFAULT_GROUP = "shards";

        private final Map<String, Group> groups = new HashMap<>();

        private static final class Group {
            InMemoryLeadershipRegister holder;
            long fence;
            String value;
        }

        /** Process {@code process}'s register of {@link #DEFAULT_GROUP}. */
        public InMemoryLeadershipRegister view(String process) {
            return view(process, DEFAULT_GROUP);
        }

        /**
         * Process {@code process}'s register of {@code group}. Open one per process and group: two views
         * are two owners, as two Hazelcast registers on one member are (each has its own lock thread).
         */
        public InMemoryLeadershipRegister view(String process, String group) {
            return new InMemoryLeadershipRegister(this, Objects.requireNonNull(process), Objects.requireNonNull(group));
        }

        /**
         * {@code process}'s session expires, as when it dies or stops renewing it: every lock it holds is
         * free at once and waiting processes are woken. Its views stay usable, like a process that
         * lived through a long pause: a later {@code tryLock} is a new hold with a new fence.
         */
        public synchronized void expire(String process) {
            for (Group g : groups.values()) {
                if (g.holder != null && process.equals(g.holder.process)) {
                    g.holder = null;
                }
            }
            notifyAll();
        }

        /** Who holds {@code group}'s lock now; null when nobody does. For assertions. */
        public synchronized String holder(String group) {
            Group g = groups.get(group);
            return g == null || g.holder == null ? null : g.holder.process;
        }

        private Group group(String name) {
            return groups.computeIfAbsent(name, n -> new Group());
        }

        private synchronized OptionalLong tryLock(InMemoryLeadershipRegister view, Duration wait) {
            Group g = group(view.group);
            long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
            while (g.holder != null && g.holder != view) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return OptionalLong.empty();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return OptionalLong.empty();
                }
            }
            if (g.holder == null) {
                g.holder = view;
                g.fence++;
            }
            return OptionalLong.of(g.fence);
        }

        private synchronized void unlock(InMemoryLeadershipRegister view) {
            Group g = group(view.group);
            if (g.holder == view) {
                g.holder = null;
                notifyAll();
            }
        }

        private synchronized String read(String name) {
            return group(name).value;
        }

        private synchronized boolean compareAndSet(String name, String expect, String update) {
            Group g = group(name);
            if (!Objects.equals(g.value, expect)) {
                return false;
            }
            g.value = update;
            return true;
        }
    }

    /** {@inheritDoc} An interrupt while waiting ends the wait: empty, with the interrupt flag set again. */
    @Override
    public OptionalLong tryLock(Duration wait) {
        checkOpen();
        return engine.tryLock(this, wait);
    }

    @Override
    public void unlock() {
        checkOpen();
        engine.unlock(this);
    }

    @Override
    public String read() {
        return engine.read(group);
    }

    @Override
    public boolean compareAndSet(String expect, String update) {
        return engine.compareAndSet(group, expect, update);
    }

    /** Unlocks when this process holds the lock; lock calls after it throw {@link IllegalStateException}. */
    @Override
    public void close() {
        synchronized (engine) {
            if (!closed) {
                engine.unlock(this);
                closed = true;
            }
        }
    }

    private void checkOpen() {
        synchronized (engine) {
            if (closed) {
                throw new IllegalStateException("the leadership register of group " + group + " is closed");
            }
        }
    }

    @Override
    public String toString() {
        return "in-memory leadership register of group " + group + " as " + process;
    }
}
