package org.opentrade.exchange.domain.sim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class SimulatorArchitectureTest {

    @Test
    void simulatorImportsNothingButTheJdkAndTheExchangeDomain() {
        JavaClasses sim = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.opentrade.exchange.domain.sim");
        classes().that().resideInAPackage("org.opentrade.exchange.domain.sim..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.opentrade.exchange.domain..",
                        "org.opentrade.exchange.model..")
                .check(sim);
    }
}
