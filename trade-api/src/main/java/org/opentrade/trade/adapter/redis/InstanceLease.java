package org.opentrade.trade.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.opentrade.common.error.TraceIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process's claim on a trade-api instance's Redis key space ({@code …:owner}): a value naming the
 * holder ({@code host|pid|start|random}) that expires after the lease's TTL unless renewed (every quarter
 * of it). Two processes started with the same instance id would otherwise append to one intent log and
 * corrupt each other's state; with the lease the second is refused at start, and every write of the
 * stores is a script that first checks that this process still holds it ({@link TradeRedis#fenced}), so
 * a process whose lease ran out (a pause longer than the TTL) and was taken over writes nothing more.
 *
 * <p><b>After a crash.</b> A holder on this host whose process is gone (its pid is not running, or runs a
 * process started at another time) is taken over at once, so a restart after kill -9 does not wait; a
 * holder elsewhere is waited for until its lease expires (the TTL). A holder that keeps renewing is a live
 * process with the same instance id: the start fails, naming it.
 *
 * <p>Threads: {@link #acquire} blocks (start-up only); renewals run on a daemon thread of their own.
 */
public final class InstanceLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceLease.class);
    /** KEYS: owner. ARGV: token, ttl ms, a holder known to be dead ('' for none). Returns '' or the holder. */
    static final String ACQUIRE_SCRIPT = """
            local cur = redis.call('GET', KEYS[1])
            if cur == false or cur == ARGV[1] or (ARGV[3] ~= '' and cur == ARGV[3]) then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return ''
            end
            return cur
            """;
    /** KEYS: owner. ARGV: token, ttl ms. Returns 1 when renewed, 0 when the lease is another's or gone. */
    static final String RENEW_SCRIPT = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """;
    /** KEYS: owner. ARGV: token. */
    static final String RELEASE_SCRIPT = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;
    /** Prefixed to a store's write script: its last key is the owner key, its last argument the token. */
    static final String GUARD = """
            if redis.call('GET', KEYS[#KEYS]) ~= ARGV[#ARGV] then
              return redis.error_reply('FENCED: this process no longer holds the instance (' .. KEYS[#KEYS] .. ')')
            end
            """;

    private final TradeRedis redis;
    private final String key;
    private final String token;
    private final Duration ttl;
    private final ScheduledExecutorService renewer;
    private final AtomicBoolean lost = new AtomicBoolean();
    private volatile Runnable onLost = () -> { };
    private volatile long lastWarned = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
    /**
     * When the last request that Redis confirmed (the acquiring one, then each renewal) was sent, nanoTime: Redis
     * set the expiry no earlier, so the lease is this process's until at least then plus the TTL.
     */
    private volatile long confirmedSentAt;

    private InstanceLease(TradeRedis redis, String key, Duration ttl) {
        this.redis = redis;
        this.key = key;
        this.ttl = ttl;
        this.token = holderPrefix() + "|" + TraceIds.random().substring(0, 16);
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trade-redis-lease");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Takes the lease on {@code key}, waiting up to {@code wait} (null: for as long as it takes, a standby) for
     * a holder that is not known dead to let it expire, then renews it until {@link #close}. Blocks; an
     * interrupt ends the wait with an {@link IllegalStateException}.
     *
     * @throws IllegalStateException when another process still holds it after {@code wait}
     */
    static InstanceLease acquire(TradeRedis redis, String key, Duration ttl, Duration wait) {
        InstanceLease lease = new InstanceLease(redis, key, ttl);
        long start = System.nanoTime();
        String dead = "";
        String holder;
        String seen = null;
        while (!(holder = lease.tryAcquire(dead)).isEmpty()) {
            if (!holder.equals(seen)) {
                seen = holder;
                LOG.info("instance key space {}: held by {}; waiting", key, holder);
            }
            if (deadOnThisHost(holder)) {
                LOG.warn("instance key space {}: taking over the lease of {}, a process of this host that no longer runs",
                        key, holder);
                dead = holder;
                continue;
            }
            if (wait != null && System.nanoTime() - start > wait.toNanos()) {
                lease.renewer.shutdownNow();
                throw new IllegalStateException("the Redis key space " + key + " is held by " + holder
                        + " (host|pid|start|id): another trade-api with the same instance id runs, or one stopped less"
                        + " than " + ttl.toSeconds() + " s ago without releasing it; give each instance its own id");
            }
            try {
                sleep(Math.max(50, ttl.toMillis() / 40)); // a dead holder is seen within a quarter second
            } catch (IllegalStateException interrupted) {
                lease.renewer.shutdownNow();
                throw interrupted;
            }
        }
        long period = Math.max(1, ttl.toMillis() / 4);
        lease.renewer.scheduleAtFixedRate(lease::renew, period, period, TimeUnit.MILLISECONDS);
        LOG.info("instance key space {}: lease taken by {} (ttl {} ms)", key, lease.token, ttl.toMillis());
        return lease;
    }

    private String tryAcquire(String deadHolder) {
        long sent = System.nanoTime();
        byte[] result = redis.await(redis.async().<byte[]>eval(ACQUIRE_SCRIPT, ScriptOutputType.VALUE, new String[]{key},
                bytes(token), bytes(Long.toString(ttl.toMillis())), bytes(deadHolder)), "taking the instance lease");
        String holder = result == null ? "" : new String(result, StandardCharsets.UTF_8);
        if (holder.isEmpty()) { // taken
            confirmedSentAt = sent;
        }
        return holder;
    }

    private void renew() {
        if (lost.get()) {
            return;
        }
        long sent = System.nanoTime();
        if (sent - confirmedSentAt >= unconfirmedLimitNanos()) {
            // Renewals have failed (Redis unreachable, or the connection dropped: it is not re-opened) for three
            // periods: the lease may expire a period from now and another process of the instance take it over.
            // Counted lost now, before that can happen, so the store stops and this process acts no more for the
            // instance (its writes would be refused, but it still sent commands to the exchange: an order both
            // processes resent was placed twice).
            if (lost.compareAndSet(false, true)) {
                LOG.error("instance key space {}: this process ({}) could not renew its lease for {} ms of its {} ms;"
                        + " counted lost, its writes stop from now on", key, token,
                        TimeUnit.NANOSECONDS.toMillis(sent - confirmedSentAt), ttl.toMillis());
                onLost.run();
            }
            return;
        }
        redis.async().<Long>eval(RENEW_SCRIPT, ScriptOutputType.INTEGER, new String[]{key}, bytes(token),
                bytes(Long.toString(ttl.toMillis()))).whenComplete((renewed, error) -> {
                    if (error != null) {
                        long now = System.nanoTime();
                        if (now - lastWarned > TimeUnit.SECONDS.toNanos(30)) { // Redis down: once in 30 s
                            lastWarned = now;
                            LOG.warn("instance key space {}: renewing the lease failed: {}", key, error.toString());
                        }
                    } else if (renewed == 1) {
                        confirmedSentAt = Math.max(confirmedSentAt, sent);
                    } else if (renewed == 0 && lost.compareAndSet(false, true)) {
                        LOG.error("instance key space {}: this process ({}) lost its lease; its writes are refused"
                                + " from now on", key, token);
                        onLost.run();
                    }
                });
    }

    /**
     * How long renewals may go unconfirmed before the lease counts as lost: two and a half renewal periods, so the
     * renewal due three periods after the last one Redis took (three quarters of the TTL, a period before Redis could
     * expire the lease) finds it lost even when the timer fires a little early; two failed renewals are tolerated.
     */
    private long unconfirmedLimitNanos() {
        long period = Math.max(1, ttl.toMillis() / 4) * 1_000_000L;
        return 2 * period + period / 2;
    }

    /**
     * Runs once if a renewal finds the lease expired or held by another process, or renewals have failed for most of
     * the TTL (see {@link #renew}).
     */
    void onLost(Runnable action) {
        onLost = action;
    }

    /** The owner key: the last key of every guarded script. */
    String key() {
        return key;
    }

    /** This holder's value: the last argument of every guarded script. */
    byte[] token() {
        return bytes(token);
    }

    /** Stops renewing and gives the lease back when this process still holds it. Blocks briefly. */
    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            redis.await(redis.async().<Long>eval(RELEASE_SCRIPT, ScriptOutputType.INTEGER, new String[]{key},
                    bytes(token)), "releasing the instance lease");
        } catch (RuntimeException e) {
            LOG.warn("instance key space {}: releasing the lease failed (it expires in {} ms): {}", key,
                    ttl.toMillis(), e.toString());
        }
    }

    /** {@code host|pid|start ms} of this process. */
    static String holderPrefix() {
        ProcessHandle self = ProcessHandle.current();
        return host() + "|" + self.pid() + "|" + self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /**
     * True when {@code holder} names a process of this host that no longer runs: its pid is free, or taken by
     * a process started at another time. A holder of another host, or of this very process, is not.
     */
    static boolean deadOnThisHost(String holder) {
        String[] parts = holder.split("\\|");
        if (parts.length != 4 || !parts[0].equals(host())) {
            return false;
        }
        long pid;
        long start;
        try {
            pid = Long.parseLong(parts[1]);
            start = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive() || exited(pid)) {
            return true;
        }
        long running = p.get().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(start);
        return start != 0 && running != start;
    }

    /**
     * True when {@code pid} has exited but its parent has not reaped it yet (Linux: state Z or X in
     * {@code /proc/<pid>/stat}). {@link ProcessHandle#isAlive} says such a process is alive: after a
     * kill -9 in a container whose first process does not reap orphans, the claim of a dead holder was
     * waited for (2 s in DistributedFaultIT) instead of being taken over at once. False where there is no
     * {@code /proc}: the process handle decides there. Reads a file: the claiming thread (a start-up worker
     * or a standby's own thread), never an event loop.
     */
    static boolean exited(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')'); // the command name in parentheses may hold spaces and parentheses
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    private static volatile String host;

    /** This host's name, looked up once (start-up only: the lookup may ask the resolver). */
    private static String host() {
        String h = host;
        if (h == null) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                String env = System.getenv("HOSTNAME");
                h = env != null ? env : "unknown-host";
            }
            host = h;
        }
        return h;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the instance lease", e);
        }
    }
}
