package org.opentrade.common.discovery.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.map.listener.MapEvictedListener;
import com.hazelcast.query.Predicates;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.common.discovery.InstanceCatalog;
import org.opentrade.common.discovery.InstanceListener;
import org.opentrade.common.discovery.ServiceDiscovery;
import org.opentrade.common.discovery.ServiceInstance;
import org.opentrade.common.discovery.Watch;

/**
 * {@link ServiceDiscovery} on the Hazelcast cluster that Vert.x's clustered event bus already runs
 * on: one distributed map ({@value #MAP_NAME}), instance id → the instance as JSON plus the UUID of
 * the cluster member that announced it.
 *
 * <ul>
 *   <li><b>Changes are pushed</b>: an entry listener turns every put and remove into catalog
 *   changes, so a new or draining instance reaches every gateway within milliseconds.</li>
 *   <li><b>A member that leaves takes its instances with it</b>: every participant listens to
 *   membership; when a member leaves (shut down, or declared dead by Hazelcast's failure detector
 *   after a kill -9) each survivor forgets its instances at once and removes them from the map
 *   (idempotent, so all survivors may do it).</li>
 *   <li><b>Only confirmed entries are used</b>: the map is writable by every Hazelcast member, which
 *   open-source Hazelcast does not authenticate, so an entry reaches the catalog (and the gateways'
 *   routing) only once the member it names confirms it through the {@link OwnerCheck} (the event
 *   bus with mutual TLS, see {@link ClusterDiscovery}); a changed service, host or port is confirmed
 *   again, a changed weight or drain flag is not (a rogue writer can then deny service, never
 *   redirect it). Unconfirmed entries are retried with a backoff up to the resync interval.</li>
 *   <li><b>Resync</b> every {@code resyncInterval}: the whole map is read and made the truth, which
 *   repairs a missed event; entries whose member is unknown at two resyncs in a row are removed
 *   (one resync of grace, since a member that has just joined may not be in this member's view
 *   yet); and each instance announced here is put back if it went missing (e.g. its partition was
 *   lost when two members died at once).</li>
 * </ul>
 *
 * <p>Every Hazelcast call runs on the discovery's own thread ({@code opentrade-discovery}), never on
 * a Vert.x event loop or a Hazelcast event thread, and so do the listeners of {@link #watch}: one
 * thread in order, so watchers see changes in the order they were applied here.
 */
public final class HazelcastServiceDiscovery implements ServiceDiscovery {
    /** The distributed map of announced instances. */
    public static final String MAP_NAME = "opentrade.discovery.instances";
    /** Shorter repairs a missed event sooner; each resync reads the whole (small) map once. */
    public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofSeconds(10);
    /** The first retry of an unconfirmed entry; each further one waits twice as long, up to the resync interval. */
    static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final int WARN_AFTER_UNANSWERED = 3;
    private static final Logger LOG = Logger.getLogger(HazelcastServiceDiscovery.class.getName());

    private final HazelcastInstance hazelcast;
    private final IMap<String, HazelcastJsonValue> map;
    private final String localMember;
    private final InstanceCatalog catalog = new InstanceCatalog();
    private final ScheduledThreadPoolExecutor thread;
    private final OwnerCheck ownerCheck;
    private final long maxRetryMillis;
    /** What this process announced, by id, as announced last. Discovery thread only. */
    private final Map<String, ServiceInstance> announced = new HashMap<>();
    /** The member of each known instance. Discovery thread only. */
    private final Map<String, String> memberOf = new HashMap<>();
    /** Entries whose member was unknown at the previous resync. Discovery thread only. */
    private Set<String> orphans = Set.of();
    /** What its member confirmed, by id: the entry is used while its claim stays the same. Discovery thread only. */
    private final Map<String, Claim> confirmed = new HashMap<>();
    /** Entries in the map not (yet) confirmed, as read last. Discovery thread only. */
    private final Map<String, Entry> unconfirmed = new HashMap<>();
    /** Confirmations asked and not answered yet, by id: the claim asked about. Discovery thread only. */
    private final Map<String, Claim> asking = new HashMap<>();
    /** Failed confirmations so far per unconfirmed id (drives the backoff). Discovery thread only. */
    private final Map<String, Integer> refusals = new HashMap<>();
    /** The next confirmation of a refused id, scheduled. Discovery thread only. */
    private final Map<String, ScheduledFuture<?>> retries = new HashMap<>();
    private UUID entryListenerId;
    private UUID membershipListenerId;
    private volatile boolean closed;

    private HazelcastServiceDiscovery(HazelcastInstance hazelcast, OwnerCheck ownerCheck, Duration resyncInterval) {
        this.hazelcast = hazelcast;
        this.ownerCheck = ownerCheck;
        this.maxRetryMillis = Math.max(FIRST_RETRY.toMillis(), resyncInterval.toMillis());
        this.map = hazelcast.getMap(MAP_NAME);
        this.localMember = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "opentrade-discovery");
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
    }

    /**
     * Starts following the registry of {@code hazelcast}'s cluster, trusting every entry
     * ({@link OwnerCheck#TRUST_REGISTRY}): see {@link #start(HazelcastInstance, Duration, OwnerCheck)}.
     */
    public static CompletionStage<HazelcastServiceDiscovery> start(HazelcastInstance hazelcast, Duration resyncInterval) {
        return start(hazelcast, resyncInterval, OwnerCheck.TRUST_REGISTRY);
    }

    /**
     * Starts following the registry of {@code hazelcast}'s cluster: registers the listeners, reads
     * the map once, then resyncs every {@code resyncInterval}; an entry is used once
     * {@code ownerCheck} confirms it. Does not block the caller.
     */
    public static CompletionStage<HazelcastServiceDiscovery> start(HazelcastInstance hazelcast, Duration resyncInterval,
                                                                   OwnerCheck ownerCheck) {
        if (resyncInterval == null || resyncInterval.isNegative() || resyncInterval.isZero()) {
            throw new IllegalArgumentException("resync interval must be positive, got " + resyncInterval);
        }
        HazelcastServiceDiscovery d = new HazelcastServiceDiscovery(hazelcast, ownerCheck, resyncInterval);
        return d.call(() -> {
            d.entryListenerId = d.map.addEntryListener(d.new Entries(), true);
            d.membershipListenerId = hazelcast.getCluster().addMembershipListener(d.new Membership());
            d.resync();
            long every = resyncInterval.toMillis();
            d.thread.scheduleWithFixedDelay(d::resyncQuietly, every, every, TimeUnit.MILLISECONDS);
            return d;
        }).whenComplete((ok, err) -> {
            if (err != null) {
                d.thread.shutdownNow();
            }
        });
    }

    /** The UUID of this process's cluster member, stored with each instance it announces. */
    public String localMember() {
        return localMember;
    }

    /**
     * Whether this process announced {@code claimed} (same service, instance id, host and port; any
     * weight or drain flag): what this member answers another's {@link OwnerCheck}.
     */
    public CompletionStage<Boolean> announcedHere(ServiceInstance claimed) {
        return call(() -> Claim.of(announced.get(claimed.instanceId()), localMember).equals(Claim.of(claimed, localMember)));
    }

    /**
     * The ids of registry entries not used because their member has not confirmed them (yet):
     * rogue or stale entries, or ones still being confirmed. For operators and tests.
     */
    public CompletionStage<Set<String>> unconfirmed() {
        return call(() -> Set.copyOf(unconfirmed.keySet()));
    }

    /** The ids of unconfirmed entries whose confirmation was asked and refused or failed at least once. */
    public CompletionStage<Set<String>> refused() {
        return call(() -> Set.copyOf(refusals.keySet()));
    }

    /** An address of this member that the rest of the cluster reaches it at. */
    public String memberHost() {
        return hazelcast.getCluster().getLocalMember().getAddress().getHost();
    }

    @Override
    public CompletionStage<Watch> watch(String service, InstanceListener listener) {
        return call(() -> catalog.watch(service, listener));
    }

    @Override
    public CompletionStage<Announcement> announce(ServiceInstance instance) {
        return call(() -> {
            put(instance);
            return new ClusterAnnouncement(instance.instanceId(), instance);
        });
    }

    @Override
    public CompletionStage<Void> close() {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        return call(() -> {
            closed = true;
            try {
                for (String id : new ArrayList<>(announced.keySet())) {
                    withdraw(id);
                }
                map.removeEntryListener(entryListenerId);
                hazelcast.getCluster().removeMembershipListener(membershipListenerId);
            } catch (RuntimeException e) {
                // Hazelcast is already shut down (the Vert.x instance closed first): the cluster
                // removes this member's instances when it sees the member leave.
                LOG.log(Level.FINE, "discovery closed after its cluster member", e);
            }
            return (Void) null;
        }).whenComplete((v, e) -> thread.shutdown());
    }

    private final class ClusterAnnouncement implements Announcement {
        private final String id;
        private volatile ServiceInstance last;

        ClusterAnnouncement(String id, ServiceInstance first) {
            this.id = id;
            this.last = first;
        }

        @Override
        public ServiceInstance instance() {
            return last;
        }

        @Override
        public CompletionStage<Void> drain() {
            return call(() -> {
                ServiceInstance current = announced.get(id);
                if (current != null && !current.draining()) {
                    last = current.asDraining();
                    put(last);
                }
                return null;
            });
        }

        @Override
        public CompletionStage<Void> withdraw() {
            return call(() -> {
                HazelcastServiceDiscovery.this.withdraw(id);
                return null;
            });
        }
    }

    // ----- on the discovery thread -----

    /**
     * Writes the map only: this member's own watchers hear of it through the entry listener like
     * every other member's, in the map's order. Applying it here as well would let the listener's
     * later delivery of an earlier write (announce, then drain) flip the instance back for a moment.
     */
    private void put(ServiceInstance instance) {
        map.set(instance.instanceId(), encode(instance, localMember));
        announced.put(instance.instanceId(), instance);
    }

    private void withdraw(String id) {
        if (announced.remove(id) != null) {
            map.delete(id);
        }
    }

    private void resyncQuietly() {
        try {
            resync();
        } catch (RuntimeException e) {
            if (!closed && hazelcast.getLifecycleService().isRunning()) {
                LOG.log(Level.WARNING, "discovery resync failed; retried at the next one", e);
            }
        }
    }

    private void resync() {
        if (closed) {
            return;
        }
        Set<String> members = new HashSet<>();
        for (Member m : hazelcast.getCluster().getMembers()) {
            members.add(m.getUuid().toString());
        }
        for (ServiceInstance own : announced.values()) {
            HazelcastJsonValue want = encode(own, localMember);
            if (!want.equals(map.get(own.instanceId()))) {
                LOG.info("discovery: " + own.service() + " instance " + own.instanceId() + " was missing from the registry;"
                        + " announced again");
                map.set(own.instanceId(), want);
            }
        }
        List<ServiceInstance> live = new ArrayList<>();
        Map<String, String> ownerOf = new HashMap<>();
        Set<String> unknown = new HashSet<>();
        Map<String, Entry> waiting = new HashMap<>();
        for (Map.Entry<String, HazelcastJsonValue> e : map.entrySet()) {
            Entry entry = decode(e.getKey(), e.getValue());
            if (entry == null) {
                continue;
            }
            if (!members.contains(entry.member())) {
                if (orphans.contains(e.getKey())) {
                    LOG.info("discovery: removing " + entry.instance().service() + " instance " + e.getKey()
                            + " of member " + entry.member() + ", which is not in the cluster");
                    map.remove(e.getKey(), e.getValue());
                    continue;
                }
                unknown.add(e.getKey());
            }
            ownerOf.put(e.getKey(), entry.member());
            if (Claim.of(entry).equals(confirmed.get(e.getKey()))) {
                live.add(entry.instance());
            } else {
                waiting.put(e.getKey(), entry);
            }
        }
        orphans = unknown;
        memberOf.clear();
        memberOf.putAll(ownerOf);
        confirmed.keySet().retainAll(ownerOf.keySet());
        unconfirmed.clear();
        unconfirmed.putAll(waiting);
        refusals.keySet().retainAll(waiting.keySet());
        new ArrayList<>(retries.keySet()).stream().filter(id -> !waiting.containsKey(id)).forEach(this::cancelRetry);
        catalog.replaceAll(live);
        // Entries with a retry scheduled keep their backoff; the others are asked now.
        waiting.keySet().forEach(this::confirm);
    }

    private void upserted(String key, HazelcastJsonValue value) {
        Entry entry = decode(key, value);
        if (entry == null) {
            return;
        }
        memberOf.put(key, entry.member());
        if (Claim.of(entry).equals(confirmed.get(key))) {
            // The same instance: a weight or drain change, applied at once (draining must be quick).
            catalog.upsert(entry.instance());
            return;
        }
        if (confirmed.remove(key) != null) {
            // Its service, host, port or member changed: not used until confirmed again.
            catalog.remove(key);
        }
        Entry before = unconfirmed.put(key, entry);
        if (before == null || !Claim.of(before).equals(Claim.of(entry))) {
            // A new claim is asked about at once, with a fresh backoff.
            refusals.remove(key);
            cancelRetry(key);
        }
        confirm(key);
    }

    private void removed(String key) {
        memberOf.remove(key);
        confirmed.remove(key);
        unconfirmed.remove(key);
        refusals.remove(key);
        cancelRetry(key);
        catalog.remove(key);
    }

    private void cancelRetry(String key) {
        ScheduledFuture<?> retry = retries.remove(key);
        if (retry != null) {
            retry.cancel(false);
        }
    }

    /**
     * Asks the member of unconfirmed entry {@code key} to confirm it, unless the same claim is being
     * asked already or a retry is scheduled. Its own entries this member confirms from what it
     * announced, without asking.
     */
    private void confirm(String key) {
        Entry entry = unconfirmed.get(key);
        if (entry == null || retries.containsKey(key)) {
            return;
        }
        Claim claim = Claim.of(entry);
        if (claim.equals(asking.get(key))) {
            return;
        }
        if (entry.member().equals(localMember)) {
            confirmed(key, claim, Claim.of(announced.get(key), localMember).equals(claim), null);
            return;
        }
        asking.put(key, claim);
        CompletionStage<Boolean> answer;
        try {
            answer = ownerCheck.confirm(entry.member(), entry.instance());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((yes, err) -> onThread(() -> {
            if (claim.equals(asking.get(key))) {
                asking.remove(key);
            }
            confirmed(key, claim, err == null && Boolean.TRUE.equals(yes), err);
        }));
    }

    /** The answer for {@code claim}: used when it still is what the map holds; else retried, or asked anew. */
    private void confirmed(String key, Claim claim, boolean yes, Throwable err) {
        Entry current = unconfirmed.get(key);
        if (current == null) {
            return; // removed, or confirmed meanwhile
        }
        if (!Claim.of(current).equals(claim)) {
            confirm(key); // the entry changed while its member was asked: ask about what it is now
            return;
        }
        if (yes) {
            unconfirmed.remove(key);
            refusals.remove(key);
            confirmed.put(key, claim);
            catalog.upsert(current.instance());
            return;
        }
        int failures = refusals.merge(key, 1, Integer::sum);
        // A denial is news at once; an unanswered question may be a member still starting on a busy
        // machine, so only the third one in a row is.
        if ((err == null && failures == 1) || (err != null && failures == WARN_AFTER_UNANSWERED)) {
            LOG.warning("discovery: not using " + current.instance().service() + " instance " + key + " at "
                    + current.instance().address() + ": its member " + current.member() + " did not confirm it ("
                    + (err == null ? "it says it did not announce it" : failures + " times unanswered: " + err.getMessage())
                    + "); a registry entry written by a process without the cluster certificate looks like this."
                    + " Retrying.");
        }
        long delay = Math.min(maxRetryMillis, FIRST_RETRY.toMillis() << Math.min(failures - 1, 16));
        cancelRetry(key);
        try {
            retries.put(key, thread.schedule(() -> {
                retries.remove(key);
                try {
                    confirm(key);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "discovery: confirming " + key + " failed; the next resync retries", e);
                }
            }, delay, TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException closedMeanwhile) {
            // the discovery is closed
        }
    }

    /** A member left: forget its instances here at once, then remove them from the map. */
    private void memberLeft(String member) {
        List<String> gone = new ArrayList<>();
        memberOf.forEach((id, m) -> {
            if (m.equals(member)) {
                gone.add(id);
            }
        });
        gone.forEach(this::removed);
        if (!gone.isEmpty()) {
            LOG.info("discovery: member " + member + " left; its instances " + gone + " are removed");
        }
        map.removeAll(Predicates.equal("member", member));
    }

    // ----- encoding -----

    /** One map entry: the instance and the member that announced it. */
    private record Entry(ServiceInstance instance, String member) {
    }

    /** What a member confirms of an entry: who serves which service where. Weight and drain flag may change freely. */
    private record Claim(String service, String instanceId, String host, int port, int partition, String member) {
        static Claim of(Entry e) {
            return of(e.instance(), e.member());
        }

        /**
         * The claim of {@code i} by {@code member}; a null instance claims nothing (equal to no real
         * claim). The account partition is part of it: a changed one is confirmed again, so no one can
         * make gateways send another partition's developers to an instance.
         */
        static Claim of(ServiceInstance i, String member) {
            return i == null ? new Claim(null, null, null, 0, 0, member)
                    : new Claim(i.service(), i.instanceId(), i.host(), i.port(), i.partition(), member);
        }
    }

    static HazelcastJsonValue encode(ServiceInstance i, String member) {
        return new HazelcastJsonValue(new JsonObject().put("service", i.service()).put("instance_id", i.instanceId())
                .put("host", i.host()).put("port", i.port()).put("weight", i.weight()).put("draining", i.draining())
                .put("partition", i.partition()).put("member", member).encode());
    }

    /** The entry, or null (logged) when it is not one this version can read. */
    private static Entry decode(String key, HazelcastJsonValue value) {
        try {
            JsonObject o = new JsonObject(value.getValue());
            ServiceInstance i = new ServiceInstance(o.getString("service"), o.getString("instance_id"), o.getString("host"),
                    o.getInteger("port", 0), o.getInteger("weight", ServiceInstance.DEFAULT_WEIGHT),
                    o.getBoolean("draining", false), o.getInteger("partition", 0));
            String member = o.getString("member");
            if (!key.equals(i.instanceId()) || member == null) {
                throw new IllegalArgumentException("key and instance_id differ, or no member");
            }
            return new Entry(i, member);
        } catch (RuntimeException e) {
            LOG.warning("discovery: ignoring unreadable registry entry " + key + ": " + e.getMessage());
            return null;
        }
    }

    // ----- threads -----

    /** Runs {@code work} on the discovery thread. */
    private <T> CompletionStage<T> call(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    result.complete(work.call());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("service discovery is closed", e));
        }
        return result;
    }

    /** Hands a Hazelcast event over to the discovery thread (Hazelcast's event threads must not block). */
    private void onThread(Runnable work) {
        if (closed) {
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    if (!closed && hazelcast.getLifecycleService().isRunning()) {
                        LOG.log(Level.WARNING, "discovery: applying a cluster event failed; the next resync repairs it", e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private final class Entries implements EntryAddedListener<String, HazelcastJsonValue>,
            EntryUpdatedListener<String, HazelcastJsonValue>, EntryRemovedListener<String, HazelcastJsonValue>,
            EntryEvictedListener<String, HazelcastJsonValue>, EntryExpiredListener<String, HazelcastJsonValue>,
            MapClearedListener, MapEvictedListener {
        @Override
        public void entryAdded(EntryEvent<String, HazelcastJsonValue> e) {
            onThread(() -> upserted(e.getKey(), e.getValue()));
        }

        @Override
        public void entryUpdated(EntryEvent<String, HazelcastJsonValue> e) {
            onThread(() -> upserted(e.getKey(), e.getValue()));
        }

        @Override
        public void entryRemoved(EntryEvent<String, HazelcastJsonValue> e) {
            onThread(() -> removed(e.getKey()));
        }

        @Override
        public void entryEvicted(EntryEvent<String, HazelcastJsonValue> e) {
            onThread(() -> removed(e.getKey()));
        }

        @Override
        public void entryExpired(EntryEvent<String, HazelcastJsonValue> e) {
            onThread(() -> removed(e.getKey()));
        }

        @Override
        public void mapCleared(MapEvent e) {
            onThread(HazelcastServiceDiscovery.this::resync);
        }

        @Override
        public void mapEvicted(MapEvent e) {
            onThread(HazelcastServiceDiscovery.this::resync);
        }
    }

    private final class Membership implements MembershipListener {
        @Override
        public void memberAdded(MembershipEvent e) {
            // Nothing to do: a new member's instances arrive as map entries.
        }

        @Override
        public void memberRemoved(MembershipEvent e) {
            String member = e.getMember().getUuid().toString();
            onThread(() -> memberLeft(member));
        }
    }
}
