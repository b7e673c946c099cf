package org.opentrade.exchange.adapter.file;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.port.CommandJournal;
import org.opentrade.exchange.port.CommandJournalContract;

/** The port's contract on files, with the smallest segments so that pruning deletes some. */
class FileCommandJournalContractTest extends CommandJournalContract {
    @TempDir
    Path dir;

    @Override
    protected CommandJournal newJournal() {
        return FileCommandJournal.open(dir, FsyncPolicy.BATCH, 4096);
    }

    @Override
    protected CommandJournal reopen(CommandJournal journal) {
        journal.close();
        return FileCommandJournal.open(dir, FsyncPolicy.BATCH, 4096);
    }
}
