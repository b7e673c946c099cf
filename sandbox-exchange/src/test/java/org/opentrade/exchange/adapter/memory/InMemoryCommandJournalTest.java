package org.opentrade.exchange.adapter.memory;

import org.opentrade.exchange.port.CommandJournal;
import org.opentrade.exchange.port.CommandJournalContract;

class InMemoryCommandJournalTest extends CommandJournalContract {
    @Override
    protected CommandJournal newJournal() {
        return new InMemoryCommandJournal();
    }

    /** Nothing to reopen: the journal lives as long as the object. */
    @Override
    protected CommandJournal reopen(CommandJournal journal) {
        return journal;
    }
}
