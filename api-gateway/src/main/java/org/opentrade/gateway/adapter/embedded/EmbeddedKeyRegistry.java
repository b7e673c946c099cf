package org.opentrade.gateway.adapter.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.ListPosition;
import org.opentrade.gateway.domain.KeyStatus;
import org.opentrade.gateway.port.KeyRegistry;

/**
 * The all-in-one key registry: maps in memory, the whole registry written atomically and durably to
 * {@code <dir>/registry.json} by one writer thread, changes queued meanwhile written together. A
 * change becomes visible, and its stage completes, only once the file holding it is on disk; a change
 * whose write failed has no effect. Reads never touch the disk.
 *
 * <p>A key from a file written before keys had plans is held as it was read (no plan) and written
 * back that way; reads give it its developer's plan of the moment (see {@link KeyRegistry}).
 */
public final class EmbeddedKeyRegistry implements KeyRegistry {
    /** The file's shape. */
    record Snapshot(List<Developer> developers, List<ApiKey> keys) {
    }

    private static final Comparator<Developer> DEV_ORDER = Comparator.comparingLong(Developer::createdAt)
            .thenComparing(Developer::id);
    private static final Comparator<ApiKey> KEY_ORDER = Comparator.comparingLong(ApiKey::createdAt)
            .thenComparing(ApiKey::id);

    private final Path file;
    private final Map<String, Developer> developers = new ConcurrentHashMap<>();
    private final Map<String, String> byEmail = new ConcurrentHashMap<>();
    private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService writer;
    private final Queue<Queued<?>> queue = new ConcurrentLinkedQueue<>();
    private long fileWrites; // writer thread

    private EmbeddedKeyRegistry(Path file) {
        this.file = file;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "key-registry-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens (or creates) the registry in {@code dir}. Blocks while it reads the file. */
    public static EmbeddedKeyRegistry open(Path dir) throws IOException {
        PrivateFiles.privateDirectory(dir);
        EmbeddedKeyRegistry r = new EmbeddedKeyRegistry(dir.resolve("registry.json"));
        if (Files.exists(r.file)) {
            Snapshot s = JsonFiles.read(r.file, Snapshot.class);
            for (Developer d : s.developers()) {
                r.developers.put(d.id(), d);
                r.byEmail.put(d.email().toLowerCase(Locale.ROOT), d.id());
            }
            for (ApiKey k : s.keys()) {
                r.keys.put(k.id(), k);
            }
            PrivateFiles.privateFile(r.file); // written world-readable by earlier versions
        }
        return r;
    }

    @Override
    public CompletionStage<Boolean> addDeveloper(Developer developer) {
        String email = developer.email().toLowerCase(Locale.ROOT);
        return submit(batch -> {
            if (batch.emailTaken(email)) {
                return false;
            }
            batch.developers.put(developer.id(), developer);
            batch.emails.put(email, developer.id());
            return true;
        }, null);
    }

    /**
     * On the writer thread, in order with every other change: {@code change} always sees the current
     * developer, so no retry is needed; if it throws, nothing is written and the stage fails.
     */
    @Override
    public CompletionStage<Optional<Developer>> updateDeveloper(String developerId, UnaryOperator<Developer> change) {
        return submit(batch -> {
            Developer current = batch.developer(developerId);
            if (current == null) {
                return Optional.<Developer>empty();
            }
            Developer updated = change.apply(current);
            if (!updated.id().equals(current.id()) || !updated.email().equals(current.email())) {
                throw new IllegalArgumentException("a developer update may not change the id or the email of "
                        + developerId);
            }
            if (!updated.equals(current)) {
                batch.developers.put(developerId, updated);
            }
            return Optional.of(updated);
        }, "developer:" + developerId);
    }

    @Override
    public CompletionStage<Optional<Developer>> developer(String developerId) {
        return CompletableFuture.completedFuture(Optional.ofNullable(developers.get(developerId)));
    }

    @Override
    public CompletionStage<Optional<Developer>> developerByEmail(String email) {
        String id = byEmail.get(email.toLowerCase(Locale.ROOT));
        return CompletableFuture.completedFuture(Optional.ofNullable(id == null ? null : developers.get(id)));
    }

    @Override
    public CompletionStage<List<Developer>> developers(ListPosition after, int limit) {
        return CompletableFuture.completedFuture(page(developers.values(), ListPosition::of, after, limit));
    }

    /**
     * The {@code limit} first of {@code all} after {@code after}, oldest first: one pass keeping the page in a heap,
     * O(n log limit) without copying or sorting the whole registry (called on the caller's thread, an event loop).
     */
    private static <T> List<T> page(java.util.Collection<T> all, java.util.function.Function<T, ListPosition> position,
                                    ListPosition after, int limit) {
        Comparator<T> order = Comparator.comparing(position);
        java.util.PriorityQueue<T> kept = new java.util.PriorityQueue<>(order.reversed());
        for (T t : all) {
            ListPosition p = position.apply(t);
            if (after != null && p.compareTo(after) <= 0) {
                continue;
            }
            if (kept.size() < limit) {
                kept.add(t);
            } else if (p.compareTo(position.apply(kept.peek())) < 0) {
                kept.poll();
                kept.add(t);
            }
        }
        List<T> out = new ArrayList<>(kept);
        out.sort(order);
        return out;
    }

    @Override
    public CompletionStage<Void> putKey(ApiKey key) {
        return submit(batch -> {
            batch.putKey(key.replacing(batch.key(key.id())));
            return null;
        }, "key:" + key.id());
    }

    @Override
    public CompletionStage<Void> deleteKey(ApiKey key) {
        return submit(batch -> {
            batch.keys.remove(key.id());
            batch.deleted.add(key.id());
            return null;
        }, "key:" + key.id());
    }

    /** On the writer thread, in order with every other change: the count and the write are one step. */
    @Override
    public CompletionStage<Boolean> createKey(ApiKey key, int maxLiveKeys) {
        return submit(batch -> {
            if (batch.liveKeysOf(key.developerId()) >= maxLiveKeys) {
                return false;
            }
            batch.putKey(key);
            return true;
        }, "key:" + key.id());
    }

    /**
     * On the writer thread, in order with every other change: {@code change} always sees the current
     * key, so no retry is needed; if it throws, nothing is written and the stage fails.
     */
    @Override
    public CompletionStage<Optional<ApiKey>> updateKey(String keyId, UnaryOperator<ApiKey> change) {
        return submit(batch -> {
            ApiKey stored = batch.key(keyId);
            if (stored == null) {
                return Optional.<ApiKey>empty();
            }
            ApiKey current = withPlan(stored);
            ApiKey updated = change.apply(current).replacing(current);
            if (!updated.equals(current)) {
                batch.putKey(updated);
            }
            return Optional.of(updated);
        }, "key:" + keyId);
    }

    @Override
    public CompletionStage<Optional<ApiKey>> key(String keyId) {
        return CompletableFuture.completedFuture(Optional.ofNullable(keys.get(keyId)).map(this::withPlan));
    }

    @Override
    public CompletionStage<List<ApiKey>> revokedBefore(long timeMillis, int limit) {
        List<ApiKey> out = new ArrayList<>();
        for (ApiKey k : keys.values()) {
            if (k.status() == KeyStatus.REVOKED && k.revokedAt() > 0 && k.revokedAt() <= timeMillis) {
                out.add(withPlan(k));
            }
        }
        out.sort(Comparator.comparingLong(ApiKey::revokedAt).thenComparing(ApiKey::id));
        return CompletableFuture.completedFuture(out.size() > limit ? List.copyOf(out.subList(0, limit)) : out);
    }

    @Override
    public CompletionStage<List<ApiKey>> keysOf(String developerId) {
        List<ApiKey> out = new ArrayList<>();
        for (ApiKey k : keys.values()) {
            if (k.developerId().equals(developerId)) {
                out.add(withPlan(k));
            }
        }
        out.sort(KEY_ORDER);
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletionStage<List<ApiKey>> keys(ListPosition after, int limit) {
        return CompletableFuture.completedFuture(page(keys.values(), ListPosition::of, after, limit).stream()
                .map(this::withPlan).toList());
    }

    @Override
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    @Override
    public CompletionStage<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.execute(() -> done.complete(null));
        writer.shutdown();
        return done;
    }

    /** How many times the file was rewritten since opening (queued changes share a rewrite). */
    long fileWrites() {
        return fileWrites;
    }

    /** One change: applied to the batch it is written with; its result completes its stage. */
    private interface Change<T> {
        T apply(Batch batch);
    }

    private record Queued<T>(Change<T> change, String changed, CompletableFuture<T> done) {
    }

    /** Changes written together: what they set, over the committed maps. Writer thread only. */
    private final class Batch {
        final Map<String, Developer> developers = new HashMap<>();
        final Map<String, String> emails = new HashMap<>();
        final Map<String, ApiKey> keys = new HashMap<>();
        final java.util.Set<String> deleted = new java.util.HashSet<>();

        /** The developer as this batch sees it: its own writes over the committed developers. */
        Developer developer(String id) {
            Developer d = developers.get(id);
            return d != null ? d : EmbeddedKeyRegistry.this.developers.get(id);
        }

        /** The key as this batch sees it: its own writes over the committed keys. */
        ApiKey key(String id) {
            ApiKey k = keys.get(id);
            return k != null || deleted.contains(id) ? k : EmbeddedKeyRegistry.this.keys.get(id);
        }

        void putKey(ApiKey k) {
            deleted.remove(k.id());
            keys.put(k.id(), k);
        }

        /** Keys of a developer that are not revoked, as this batch sees them. */
        long liveKeysOf(String developerId) {
            Map<String, ApiKey> all = new HashMap<>(EmbeddedKeyRegistry.this.keys);
            all.keySet().removeAll(deleted);
            all.putAll(keys);
            return all.values().stream()
                    .filter(k -> k.developerId().equals(developerId) && k.status() != KeyStatus.REVOKED).count();
        }

        boolean emailTaken(String email) {
            return emails.containsKey(email) || byEmail.containsKey(email);
        }

        Snapshot snapshot() {
            Map<String, Developer> devs = new HashMap<>(EmbeddedKeyRegistry.this.developers);
            devs.putAll(developers);
            Map<String, ApiKey> ks = new HashMap<>(EmbeddedKeyRegistry.this.keys);
            ks.keySet().removeAll(deleted);
            ks.putAll(keys);
            List<Developer> devList = new ArrayList<>(devs.values());
            devList.sort(DEV_ORDER);
            List<ApiKey> keyList = new ArrayList<>(ks.values());
            keyList.sort(KEY_ORDER);
            return new Snapshot(devList, keyList);
        }

        /** Makes the batch visible: only after it is on disk. */
        void commit() {
            EmbeddedKeyRegistry.this.developers.putAll(developers);
            byEmail.putAll(emails);
            deleted.forEach(EmbeddedKeyRegistry.this.keys::remove);
            EmbeddedKeyRegistry.this.keys.putAll(keys);
        }
    }

    /**
     * Queues a change. The writer applies every change queued by then to one batch, writes the file
     * once, and only then makes the batch visible and completes the stages; if the write fails, none
     * of the batch takes effect and every stage fails. So an answer of failure means no effect, and
     * a burst of changes costs one rewrite, not one each.
     */
    private <T> CompletionStage<T> submit(Change<T> change, String changed) {
        Queued<T> q = new Queued<>(change, changed, new CompletableFuture<>());
        queue.add(q);
        try {
            writer.execute(this::writeQueued);
        } catch (RejectedExecutionException e) {
            queue.remove(q);
            q.done().completeExceptionally(new IllegalStateException("the key registry is closed"));
        }
        return q.done();
    }

    /** Writer thread: one batch of everything queued. */
    private void writeQueued() {
        List<Queued<?>> taken = new ArrayList<>();
        for (Queued<?> q = queue.poll(); q != null; q = queue.poll()) {
            taken.add(q);
        }
        if (taken.isEmpty()) {
            return; // an earlier run took these changes
        }
        Batch batch = new Batch();
        List<Object> results = new ArrayList<>();
        for (Queued<?> q : taken) {
            try {
                results.add(q.change().apply(batch));
            } catch (RuntimeException refused) {
                results.add(new Refused(refused)); // the change wrote nothing; the others still go
            }
        }
        try {
            JsonFiles.write(file, batch.snapshot());
            fileWrites++;
        } catch (IOException | RuntimeException e) {
            UncheckedIOException failure = new UncheckedIOException("cannot write " + file,
                    e instanceof IOException io ? io : new IOException(e));
            taken.forEach(q -> q.done().completeExceptionally(failure));
            return;
        }
        batch.commit();
        for (int i = 0; i < taken.size(); i++) {
            complete(taken.get(i), results.get(i));
        }
    }

    /** A change that refused (threw) instead of writing. */
    private record Refused(RuntimeException cause) {
    }

    @SuppressWarnings("unchecked")
    private <T> void complete(Queued<T> q, Object result) {
        if (result instanceof Refused r) {
            q.done().completeExceptionally(r.cause());
            return;
        }
        if (q.changed() != null) {
            notifyChange(q.changed());
        }
        q.done().complete((T) result);
    }

    /** The key as read: one stored without a plan gets its developer's. */
    private ApiKey withPlan(ApiKey k) {
        if (k.plan() != null) {
            return k;
        }
        Developer d = developers.get(k.developerId());
        return d == null ? k : k.withPlan(d.plan());
    }

    private void notifyChange(String id) {
        for (Consumer<String> l : listeners) {
            l.accept(id);
        }
    }
}
