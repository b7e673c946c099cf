package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.port.FixSessionOwners;
import org.opentrade.trade.port.FixSessionOwnersContract;

/** Session names stay their developer's across a restart; a torn last line names nobody. */
class SessionOwnersTest extends FixSessionOwnersContract {
    @TempDir
    Path dir;

    @Override
    protected FixSessionOwners newOwners() throws Exception {
        return new SessionOwners(dir.resolve("session-owners.tsv"));
    }

    @Override
    protected FixSessionOwners nextProcess() throws Exception {
        return new SessionOwners(dir.resolve("session-owners.tsv"));
    }

    @Test
    void claimsSurviveAReopenAndATornLastLineIsIgnored() throws Exception {
        Path file = dir.resolve("session-owners.tsv");
        SessionOwners owners = new SessionOwners(file);
        assertNull(owners.claim("FIRM_A", "dev_a"));
        assertNull(owners.claim("FIRM_A", "dev_a"), "its own name again");
        assertTrue(owners.claim("FIRM_A", "dev_b").contains("another developer's session"));
        Files.writeString(file, "FIRM_TORN\t", StandardCharsets.UTF_8, StandardOpenOption.APPEND); // a crash mid-append

        SessionOwners reopened = new SessionOwners(file);
        assertEquals("dev_a", reopened.owner("FIRM_A"));
        assertTrue(reopened.claim("FIRM_A", "dev_b").contains("another developer's session"), "after a restart too");
        assertNull(reopened.owner("FIRM_TORN"));
        assertEquals(1, reopened.names("dev_a"));
        assertNull(reopened.claim("FIRM_B", "dev_b"), "a claim after the torn line");
        assertEquals("dev_b", new SessionOwners(file).owner("FIRM_B"), "on a line of its own");
    }
}
