package org.opentrade.gateway.adapter.embedded;

import java.nio.file.Path;
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
}
