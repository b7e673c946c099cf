package org.opentrade.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/style.md on the gateway's main classes: the domain and the ports are plain Java,
 * each technology stays in its adapter, and only the wiring knows every adapter.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("org.opentrade.gateway");
    }

    @Test
    void domainIsPlainJava() {
        ArchRule rule = classes().that().resideInAPackage("..gateway.domain..").should().onlyDependOnClassesThat(
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                                "java..", "..gateway.domain..", "..gateway.port..")
                        .or(com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo(
                                org.opentrade.common.error.ErrorCode.class)))
                .because("keys, limits and metering rules are plain Java, testable without servers (the shared "
                        + "error numbers, common's plain enum ErrorCode, included)");
        rule.check(main);
    }

    @Test
    void portsSeeOnlyTheDomain() {
        classes().that().resideInAPackage("..gateway.port..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "..gateway.domain..", "..gateway.port..").check(main);
    }

    @Test
    void onlyTheRedisAdapterUsesLettuce() {
        noClasses().that().resideOutsideOfPackages("..gateway.adapter.redis..", "..gateway.app..")
                .should().dependOnClassesThat().resideInAPackage("io.lettuce..").check(main);
    }

    @Test
    void onlyTheCryptoAdapterUsesBouncyCastle() {
        noClasses().that().resideOutsideOfPackage("..gateway.adapter.crypto..")
                .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..").check(main);
    }

    @Test
    void onlyTheTracingAdapterAndWiringUseOpenTelemetry() {
        noClasses().that().resideOutsideOfPackages("..gateway.adapter.http.tracing..", "..gateway.app..")
                .should().dependOnClassesThat().resideInAPackage("io.opentelemetry..").check(main);
    }

    @Test
    void theRequestPathNeverResolvesNames() {
        noClasses().that().resideInAnyPackage("..gateway.domain..", "..gateway.adapter.http..")
                .should().callMethod(java.net.InetAddress.class, "getByName", String.class)
                .orShould().callMethod(java.net.InetAddress.class, "getAllByName", String.class)
                .because("a blocking DNS lookup stalls the event loop (5 s for a text such as 999.1.1.1)")
                .check(main);
    }

    @Test
    void storeAdaptersDoNotKnowHttp() {
        noClasses().that().resideInAnyPackage("..gateway.adapter.redis..", "..gateway.adapter.embedded..")
                .should().dependOnClassesThat().resideInAnyPackage("..gateway.adapter.http..", "io.vertx.ext.web..")
                .check(main);
    }
}
