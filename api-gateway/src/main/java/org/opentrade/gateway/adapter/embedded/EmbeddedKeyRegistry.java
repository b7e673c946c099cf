package org.opentrade.gateway.adapter.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.port.KeyRegistry;

/**
 * The all-in-one key registry: maps in memory, the whole registry written atomically to
 * {@code <dir>/registry.json} after each change by one writer thread (changes are rare: sign-ups and
 * key operations). A write's stage completes once the file is on disk. Reads never touch the disk.
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
    public synchronized CompletionStage<Boolean> addDeveloper(Developer developer) {
        String email = developer.email().toLowerCase(Locale.ROOT);
        if (byEmail.putIfAbsent(email, developer.id()) != null) {
            return CompletableFuture.completedFuture(false);
        }
        developers.put(developer.id(), developer);
        return persist().thenApply(v -> true);
    }

    @Override
    public synchronized CompletionStage<Void> updateDeveloper(Developer developer) {
        developers.put(developer.id(), developer);
        return persist().thenRun(() -> notifyChange("developer:" + developer.id()));
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
    public CompletionStage<List<Developer>> developers() {
        List<Developer> all = new ArrayList<>(developers.values());
        all.sort(DEV_ORDER);
        return CompletableFuture.completedFuture(all);
    }

    @Override
    public synchronized CompletionStage<Void> putKey(ApiKey key) {
        keys.put(key.id(), key);
        return persist().thenRun(() -> notifyChange("key:" + key.id()));
    }

    @Override
    public CompletionStage<Optional<ApiKey>> key(String keyId) {
        return CompletableFuture.completedFuture(Optional.ofNullable(keys.get(keyId)).map(this::withPlan));
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
    public CompletionStage<List<ApiKey>> keys() {
        List<ApiKey> all = new ArrayList<>();
        for (ApiKey k : keys.values()) {
            all.add(withPlan(k));
        }
        all.sort(KEY_ORDER);
        return CompletableFuture.completedFuture(all);
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

    /** Called under this object's lock so snapshots reach the writer in change order. */
    private CompletionStage<Void> persist() {
        List<Developer> devs = new ArrayList<>(developers.values());
        devs.sort(DEV_ORDER);
        List<ApiKey> ks = new ArrayList<>(keys.values());
        ks.sort(KEY_ORDER);
        Snapshot snapshot = new Snapshot(devs, ks);
        return CompletableFuture.runAsync(() -> {
            try {
                JsonFiles.write(file, snapshot);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }, writer);
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
