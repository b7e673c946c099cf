package org.opentrade.trade.domain.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Side;

/** The snapshot format's header and exactness (the random flows test the round trip under load). */
class LedgerSnapshotTest {
    static final long T = LedgerOrderLifecycleTest.T;

    static byte[] bytes(Ledger l) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        l.writeSnapshot(new DataOutputStream(b));
        return b.toByteArray();
    }

    static Ledger read(byte[] b) throws IOException {
        return Ledger.readSnapshot(new DataInputStream(new ByteArrayInputStream(b)), LedgerOptions.DEFAULTS);
    }

    @Test
    void restoredLedgerHasTheSameHashAndKeepsWorking() throws IOException {
        ExchangeDriver x = new ExchangeDriver(LedgerOptions.DEFAULTS);
        x.open("alice", 100_000_000, T);
        x.limit("alice", 1, Side.BUY, 1000, 300, T);
        x.other(101, Side.SELL, 1000, 100, T);
        Ledger restored = read(bytes(x.ledger));
        assertEquals(x.ledger.stateHash(), restored.stateHash());

        x.ledger = restored; // the events after the snapshot go to the restored ledger
        x.other(102, Side.SELL, 1000, 200, T + 1);
        assertEquals(300, restored.position("alice", "600000.SH", s -> 0, T).qty());
        assertEquals(6, restored.lastUpdateSeq("alice")); // pending_new, new, fill, partial, fill, filled
    }

    @Test
    void differentStatesHashDifferently() {
        Ledger a = new Ledger(LedgerOptions.DEFAULTS);
        Ledger b = new Ledger(LedgerOptions.DEFAULTS);
        a.openAccount("alice", 100, T);
        b.openAccount("alice", 101, T);
        assertNotEquals(a.stateHash(), b.stateHash());
        b.resetAccount("alice", 100, T);
        assertEquals(a.stateHash(), b.stateHash());
    }

    @Test
    void foreignBytesAndNewerVersionsAreRefused() throws IOException {
        byte[] good = bytes(new Ledger(LedgerOptions.DEFAULTS));
        byte[] wrongMagic = good.clone();
        wrongMagic[0] = 'X';
        IOException e = assertThrows(IOException.class, () -> read(wrongMagic));
        assertTrue(e.getMessage().contains("not a ledger snapshot"));
        byte[] newer = good.clone();
        ByteBuffer.wrap(newer).putInt(4, LedgerSnapshot.VERSION + 1);
        e = assertThrows(IOException.class, () -> read(newer));
        assertTrue(e.getMessage().contains("version"));
    }
}
