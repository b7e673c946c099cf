package org.opentrade.trade.domain.risk;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The risk rules are plain Java: the JDK, the exchange's model and trade-api's domain types only. */
class RiskDependenciesTest {
    @Test
    void riskChecksDependOnlyOnTheJdkAndTheDomainModel() throws URISyntaxException {
        // Import the package's class directory only: scanning the whole class path is slow.
        Path classes = Path.of(RiskChecks.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("org/opentrade/trade/domain/risk");
        JavaClasses risk = new ClassFileImporter().importPath(classes);
        assertTrue(risk.contain(RiskChecks.class) && risk.contain(OrderRateLimiter.class), "imported " + risk.size());
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.opentrade.exchange.model..",
                "org.opentrade.trade.domain..").check(risk);
    }
}
