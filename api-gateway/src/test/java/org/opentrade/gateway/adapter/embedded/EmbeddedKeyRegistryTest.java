package org.opentrade.gateway.adapter.embedded;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.io.TempDir;
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
}
