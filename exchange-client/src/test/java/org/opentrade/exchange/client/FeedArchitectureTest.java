package org.opentrade.exchange.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.client.feed.eventbus.EventBusFeedTransport;

/**
 * The layering of exchange-client: the model, the feed consumer core, the book replica and the
 * primitive collections (which the exchange's domain uses too) are plain Java (services can test them without Vert.x); only the JSON mapping, the codec and
 * {@code feed.eventbus} touch Vert.x.
 */
class FeedArchitectureTest {
    private static final String MODEL = "org.opentrade.exchange.model";
    private static final String FEED_CORE = "org.opentrade.exchange.client.feed";
    private static final String BOOK = "org.opentrade.exchange.client.book";
    private static final String COLLECT = "org.opentrade.exchange.collect";

    static final ArchRule PLAIN_JAVA_CORE = classes().that().resideInAnyPackage(MODEL, FEED_CORE, BOOK, COLLECT)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", MODEL, FEED_CORE, BOOK, COLLECT)
            .because("the model, the feed consumer core, the book replica and the primitive collections import"
                    + " nothing but the JDK and each other; Vert.x stays in feed.eventbus and the JSON mapping");

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("org.opentrade.exchange");
    }

    @Test
    void importSeesTheCoreAndTheAdapterButNoTestClasses() {
        assertTrue(main.contain("org.opentrade.exchange.client.feed.FeedConsumer"));
        assertTrue(main.contain("org.opentrade.exchange.client.book.BookReplica"));
        assertTrue(main.contain(EventBusFeedTransport.class));
        assertFalse(main.contain("org.opentrade.exchange.client.feed.LeakyFeedClass"));
    }

    @Test
    void modelFeedCoreAndBookDependOnlyOnTheJdk() {
        PLAIN_JAVA_CORE.check(main);
    }

    @Test
    void ruleCatchesACoreClassThatImportsVertxButNotTheAdapter() throws Exception {
        JavaClasses leak = new ClassFileImporter().importClasses(
                Class.forName("org.opentrade.exchange.client.feed.LeakyFeedClass"), EventBusFeedTransport.class);
        String report = PLAIN_JAVA_CORE.evaluate(leak).getFailureReport().toString();
        assertTrue(report.contains("LeakyFeedClass"), report);
        assertFalse(report.contains("EventBusFeedTransport"), report);
    }
}
