package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.adapter.redis.RedisFixSessions;
import org.opentrade.trade.adapter.redis.RedisServer;
import org.opentrade.trade.adapter.redis.ClaimedRedis;
import quickfix.FileStoreFactory;
import quickfix.MessageStore;
import quickfix.MessageStoreFactory;
import quickfix.SessionID;
import quickfix.SessionSettings;

/** The FIX acceptor's store in a real redis-server: what one process keeps, the next one on any host has. */
class RedisMessageStoreIT {
    static final SessionID ID = new SessionID("FIX.4.4", "OPENTRADE", "FIRM_A");

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    @TempDir
    Path dir;

    @RegisterExtension
    final ClaimedRedis claimed = new ClaimedRedis(REDIS, 9);

    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

    private MessageStore store(MessageStoreFactory previous) {
        return RedisMessageStore.factory(new RedisFixSessions(claimed.redis()), clock::get, previous).create(ID);
    }

    /** The next process of the instance (another host, say): the holder gives its claim back, another takes it. */
    private MessageStore nextProcess() {
        claimed.nextProcess();
        return store(null);
    }

    private static String report(int seq) {
        return "8=FIX.4.4\u00019=50\u000135=8\u000134=" + seq + "\u000149=OPENTRADE\u000156=FIRM_A\u000111=c-" + seq
                + "\u000110=000\u0001";
    }

    private static List<String> sent(MessageStore s, int from, int to) throws IOException {
        List<String> out = new ArrayList<>();
        s.get(from, to, out);
        return out;
    }

    @Test
    void numbersAndSentMessagesAreTheNextProcesssAndAResendNeverReachesPastWhatWasSent() throws Exception {
        MessageStore first = store(null);
        assertEquals(1, first.getNextSenderMsgSeqNum());
        assertEquals(1, first.getNextTargetMsgSeqNum());
        assertEquals(clock.get(), first.getCreationTime().getTime());
        for (int seq = 1; seq <= 3; seq++) {
            assertTrue(first.set(seq, report(seq)));
            first.incrNextSenderMsgSeqNum();
        }
        first.incrNextTargetMsgSeqNum();
        first.setNextTargetMsgSeqNum(9);
        long created = first.getCreationTime().getTime();
        clock.addAndGet(60_000);

        MessageStore next = nextProcess();
        assertEquals(4, next.getNextSenderMsgSeqNum());
        assertEquals(9, next.getNextTargetMsgSeqNum());
        assertEquals(created, next.getCreationTimeCalendar().getTimeInMillis(), "the session's day did not start over");
        assertEquals(List.of(report(2), report(3)), sent(next, 2, 3));
        assertEquals(List.of(report(1), report(2), report(3)), sent(next, 1, Integer.MAX_VALUE));
        assertEquals(List.of(), sent(next, 4, 1_000_000));
    }

    @Test
    void aResetStartsTheSessionOverForEveryProcess() throws Exception {
        MessageStore first = store(null);
        first.set(1, report(1));
        first.incrNextSenderMsgSeqNum();
        first.setNextTargetMsgSeqNum(5);
        clock.addAndGet(86_400_000L);
        first.reset();
        assertEquals(1, first.getNextSenderMsgSeqNum());
        assertEquals(clock.get(), first.getCreationTime().getTime());

        MessageStore next = nextProcess();
        assertEquals(1, next.getNextSenderMsgSeqNum());
        assertEquals(1, next.getNextTargetMsgSeqNum());
        assertEquals(clock.get(), next.getCreationTime().getTime());
        next.incrNextSenderMsgSeqNum();
        assertEquals(List.of(), sent(next, 1, 1), "the kept message went with the reset");
    }

    @Test
    void aSessionOfTheFileStoreIsCarriedOverOnceAndItsFilesGo() throws Exception {
        SessionSettings settings = new SessionSettings();
        settings.setString(FileStoreFactory.SETTING_FILE_STORE_PATH, dir.toString());
        FileStoreFactory files = new FileStoreFactory(settings);
        MessageStore before = files.create(ID);
        before.set(1, report(1));
        before.set(2, report(2));
        before.setNextSenderMsgSeqNum(3);
        before.setNextTargetMsgSeqNum(7);
        long created = before.getCreationTime().getTime();
        ((quickfix.FileStore) before).close();

        MessageStore carried = store(files);
        assertEquals(3, carried.getNextSenderMsgSeqNum());
        assertEquals(7, carried.getNextTargetMsgSeqNum());
        assertEquals(created, carried.getCreationTime().getTime());
        assertEquals(List.of(report(1), report(2)), sent(carried, 1, 2));
        assertTrue(FixHarness.filesNamed(dir, n -> n.contains("FIRM_A")).isEmpty(), "the file store is deleted");

        carried.incrNextSenderMsgSeqNum();
        assertEquals(4, store(files).getNextSenderMsgSeqNum(), "Redis knows the session now: no file is read again");
    }

    @Test
    void aProcessWhoseClaimWasTakenOverWritesNothing() throws Exception {
        MessageStore first = store(null);
        first.incrNextSenderMsgSeqNum();
        assertEquals("+OK", REDIS.command("SET", claimed.key("owner"), "elsewhere|1|1|0123456789abcdef"));
        IOException refused = assertThrows(IOException.class, first::incrNextSenderMsgSeqNum);
        assertTrue(refused.getMessage().contains("FENCED"), refused.getMessage());
        assertEquals(2, first.getNextSenderMsgSeqNum(), "the refused number was not taken either");
    }
}
