package org.opentrade.gateway.adapter.http;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.app.TestGateway;

/**
 * What many tests of the gateway's routes start from: a gateway of its own per test (embedded store, temporary
 * directory) and one developer signed up and logged in ({@link #token}, ada@example.com).
 */
abstract class SignedInGateway {
    @TempDir
    Path dir;
    TestGateway gw;
    String token;

    @BeforeEach
    void startSignedIn() throws Exception {
        gw = TestGateway.start(dir, null);
        token = gw.signUpAndLogIn("ada@example.com");
    }

    @AfterEach
    void stopSignedIn() throws Exception {
        gw.close();
    }
}
