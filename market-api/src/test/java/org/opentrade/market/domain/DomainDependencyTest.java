package org.opentrade.market.domain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The domain is plain Java: the JDK, the exchange's model and exchange-client's plain-Java feed and
 * book packages (themselves held to the JDK by exchange-client's FeedArchitectureTest), and the
 * market ports; nothing else (a leak fails the build).
 */
class DomainDependencyTest {

    @Test
    void domainImportsOnlyTheJdkTheExchangeModelAndItsPlainJavaFeedAndBook() {
        JavaClasses domain = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.opentrade.market.domain");
        classes().that().resideInAPackage("org.opentrade.market.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.opentrade.market.domain..",
                        "org.opentrade.exchange.model..", "org.opentrade.exchange.client.feed",
                        "org.opentrade.exchange.client.book", "org.opentrade.market.port..")
                .check(domain);
    }
}
