package org.opentrade.exchange;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.adapter.eventbus.archfixture.EventBusAdapterFixture;
import org.opentrade.exchange.domain.archfixture.LeakyDomainClass;

/**
 * The layering of docs/style.md, enforced on the main classes of the module: the matching core imports
 * nothing but the JDK, ports see only the domain, and each framework stays inside its adapter.
 */
class ArchitectureTest {
    static final ArchRule DOMAIN_USES_ONLY_THE_JDK = classes().that().resideInAPackage("..exchange.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "..exchange.domain..", "org.opentrade.exchange.model..",
                    "org.opentrade.exchange.collect..")
            .because("the matching core imports nothing but the JDK and the shared plain-Java model and collections");

    static final ArchRule PORTS_SEE_ONLY_THE_DOMAIN = classes().that().resideInAPackage("..exchange.port..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "..exchange.domain..", "org.opentrade.exchange.model..", "..exchange.port..")
            .because("ports are what the domain needs from outside, in the domain's terms");

    static final ArchRule ONLY_THE_EVENT_BUS_ADAPTER_AND_WIRING_USE_VERTX = noClasses().that()
            .resideOutsideOfPackages("..exchange.adapter.eventbus..", "..exchange.adapter.http..", "..exchange.app..",
                    "org.opentrade.exchange.client..")
            .should().dependOnClassesThat().resideInAPackage("io.vertx..")
            .because("only adapter/eventbus and adapter/http (the operations endpoints) talk to Vert.x; app wires"
                    + " them (exchange-client has its own rules)");

    static final ArchRule ONLY_THE_DISRUPTOR_ADAPTER_USES_LMAX = noClasses().that()
            .resideOutsideOfPackage("..exchange.adapter.disruptor..")
            .should().dependOnClassesThat().resideInAPackage("com.lmax..")
            .because("the ring buffer is an adapter concern");

    static final List<ArchRule> RULES = List.of(DOMAIN_USES_ONLY_THE_JDK, PORTS_SEE_ONLY_THE_DOMAIN,
            ONLY_THE_EVENT_BUS_ADAPTER_AND_WIRING_USE_VERTX, ONLY_THE_DISRUPTOR_ADAPTER_USES_LMAX);

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("org.opentrade.exchange");
    }

    @Test
    void importSeesTheMainClassesAndNoTestClasses() {
        assertTrue(main.contain("org.opentrade.exchange.domain.MatchingEngine"));
        assertTrue(main.contain("org.opentrade.exchange.port.Exchange"));
        assertFalse(main.contain(LeakyDomainClass.class), "test sources are not part of the check");
        assertFalse(main.contain(ArchitectureTest.class));
    }

    @Test
    void domainDependsOnlyOnTheJdkAndItself() {
        DOMAIN_USES_ONLY_THE_JDK.check(main);
    }

    @Test
    void portsDependOnlyOnTheJdkAndTheDomain() {
        PORTS_SEE_ONLY_THE_DOMAIN.check(main);
    }

    @Test
    void onlyTheEventBusAdapterAndTheWiringDependOnVertx() {
        ONLY_THE_EVENT_BUS_ADAPTER_AND_WIRING_USE_VERTX.check(main);
    }

    @Test
    void onlyTheDisruptorAdapterDependsOnLmax() {
        ONLY_THE_DISRUPTOR_ADAPTER_USES_LMAX.check(main);
    }

    @Test
    void rulesCatchADomainClassThatImportsFrameworks() {
        JavaClasses leak = new ClassFileImporter().importClasses(LeakyDomainClass.class);
        assertTrue(DOMAIN_USES_ONLY_THE_JDK.evaluate(leak).hasViolation());
        assertTrue(ONLY_THE_EVENT_BUS_ADAPTER_AND_WIRING_USE_VERTX.evaluate(leak).hasViolation());
        assertTrue(ONLY_THE_DISRUPTOR_ADAPTER_USES_LMAX.evaluate(leak).hasViolation());
    }

    @Test
    void vertxRuleBlamesTheLeakyClassButNotTheEventBusAdapter() {
        JavaClasses both = new ClassFileImporter().importClasses(LeakyDomainClass.class, EventBusAdapterFixture.class);
        String report = ONLY_THE_EVENT_BUS_ADAPTER_AND_WIRING_USE_VERTX.evaluate(both).getFailureReport().toString();
        assertTrue(report.contains(LeakyDomainClass.class.getName()), report);
        assertFalse(report.contains(EventBusAdapterFixture.class.getName()), report);
    }
}
