package org.opentrade.trade.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What every {@link FixSessionOwners} does, whatever keeps the names (a file, Redis). */
public abstract class FixSessionOwnersContract {

    /** Names of a new, empty store. */
    protected abstract FixSessionOwners newOwners() throws Exception;

    /** The same names as a later process sees them (the next start, or a standby that took over). */
    protected abstract FixSessionOwners nextProcess() throws Exception;

    @Test
    public void aNameStaysItsFirstDevelopersInTheNextProcess() throws Exception {
        FixSessionOwners owners = newOwners();
        assertNull(owners.claim("FIRM_A", "dev_a"));
        assertNull(owners.claim("FIRM_A", "dev_a"), "its own name again");
        assertTrue(owners.claim("FIRM_A", "dev_b").contains("another developer's session"));
        assertEquals("dev_a", owners.owner("FIRM_A"));

        FixSessionOwners next = nextProcess();
        assertEquals("dev_a", next.owner("FIRM_A"));
        assertTrue(next.claim("FIRM_A", "dev_b").contains("another developer's session"), "after a restart too");
        assertNull(next.claim("FIRM_A", "dev_a"));
        assertNull(next.owner("FIRM_NOBODYS"));
        assertEquals(1, next.names("dev_a"));
        assertEquals(0, next.names("dev_b"));
    }

    @Test
    public void aDeveloperHoldsAtMostTheBoundOfNames() throws Exception {
        FixSessionOwners owners = newOwners();
        for (int i = 0; i < FixSessionOwners.MAX_NAMES_PER_DEVELOPER; i++) {
            assertNull(owners.claim("N" + i, "dev_many"));
        }
        assertTrue(owners.claim("N_MORE", "dev_many").contains("you already have"));
        assertNull(owners.owner("N_MORE"), "the refused name stays nobody's");
        assertNull(owners.claim("N_OTHER", "dev_other"), "another developer is not bound by it");
        assertNull(owners.claim("N0", "dev_many"), "a name it holds");
        assertEquals(FixSessionOwners.MAX_NAMES_PER_DEVELOPER, nextProcess().names("dev_many"));
    }
}
