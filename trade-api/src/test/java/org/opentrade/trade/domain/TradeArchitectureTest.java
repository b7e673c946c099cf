package org.opentrade.trade.domain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * trade-api's layers: the domain is plain Java (the JDK, the exchange's model and its plain-Java feed
 * package, and trade-api's ports); only adapters and the app touch Vert.x, and no adapter package
 * reaches into another.
 */
class TradeArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.opentrade.trade");

    @Test
    void theDomainImportsOnlyTheJdkTheExchangeModelAndThePorts() {
        classes().that().resideInAPackage("org.opentrade.trade.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.opentrade.trade.domain..",
                        "org.opentrade.trade.port..", "org.opentrade.exchange.model..")
                .check(MAIN);
    }

    @Test
    void portsAndDomainNeverSeeVertx() {
        noClasses().that().resideInAnyPackage("org.opentrade.trade.domain..", "org.opentrade.trade.port..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "io.opentelemetry..")
                .check(MAIN);
    }
}
