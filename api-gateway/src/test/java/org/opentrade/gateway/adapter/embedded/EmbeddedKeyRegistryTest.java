package org.opentrade.gateway.adapter.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.gateway.port.Await.result;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.KeyStatus;
import org.opentrade.gateway.port.Await;
import org.opentrade.gateway.port.KeyRegistry;
import org.opentrade.gateway.port.KeyRegistryContract;

class EmbeddedKeyRegistryTest extends KeyRegistryContract {
    @TempDir
    Path dir;

    @Override
    protected KeyRegistry newStore() throws Exception {
        return EmbeddedKeyRegistry.open(dir);
    }

    @Override
    protected KeyRegistry reopen(KeyRegistry store) throws Exception {
        Await.result(store.close());
        return EmbeddedKeyRegistry.open(dir);
    }

    /** {@code registry-before-plans.json}: a registry.json as the gateway wrote it before per-key plans. */
    @Override
    protected KeyRegistry storeWithRecordsFromBeforePlans(KeyRegistry store) throws Exception {
        Await.result(store.close());
        try (InputStream old = getClass().getResourceAsStream("registry-before-plans.json")) {
            Files.copy(old, dir.resolve("registry.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        return EmbeddedKeyRegistry.open(dir);
    }

    /** A directory where the writer puts its temporary file: every write fails (even as root). */
    private void blockWrites() throws Exception {
        Files.createDirectories(dir.resolve("registry.json.tmp").resolve("obstacle"));
    }

    private void unblockWrites() throws Exception {
        Files.delete(dir.resolve("registry.json.tmp").resolve("obstacle"));
        Files.delete(dir.resolve("registry.json.tmp"));
    }

    @Test
    void aRevocationThatCouldNotBeWrittenIsNotInEffect() throws Exception {
        result(store.addDeveloper(developer("d1", "a@example.com", 1)));
        ApiKey key = secretKey("k1", "d1", 2);
        result(store.putKey(key));
        blockWrites();

        assertThrows(Exception.class, () -> result(store.putKey(key.withStatus(KeyStatus.REVOKED))));

        assertEquals(KeyStatus.ACTIVE, result(store.key("k1")).orElseThrow().status(),
                "the caller was told the revocation failed, so the key must not act revoked");
        unblockWrites();
        store = reopen(store);
        assertEquals(KeyStatus.ACTIVE, result(store.key("k1")).orElseThrow().status());
    }

    @Test
    void aSignUpThatCouldNotBeWrittenLeavesTheEmailFree() throws Exception {
        blockWrites();

        assertThrows(Exception.class, () -> result(store.addDeveloper(developer("d1", "a@example.com", 1))));

        assertTrue(result(store.developerByEmail("a@example.com")).isEmpty());
        unblockWrites();
        assertTrue(result(store.addDeveloper(developer("d2", "a@example.com", 2))), "the email can be used again");
    }

    @Test
    void changesQueuedBehindASlowWriteAreWrittenTogetherAndAllVisible() throws Exception {
        result(store.addDeveloper(developer("d1", "a@example.com", 1)));
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            puts.add(store.putKey(secretKey("k" + i, "d1", 10 + i)).toCompletableFuture());
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertEquals(200, result(store.keysOf("d1")).size());
        assertTrue(((EmbeddedKeyRegistry) store).fileWrites() < 200, "queued changes share a rewrite");
        store = reopen(store);
        assertEquals(200, result(store.keysOf("d1")).size());
    }
}
