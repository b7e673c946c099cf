package org.opentrade.trade.domain.stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class StreamDomainLayeringTest {

    @Test
    void theStreamDomainImportsOnlyTheJdk() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.opentrade.trade.domain.stream");
        classes().that().resideInAPackage("org.opentrade.trade.domain.stream..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.opentrade.trade.domain.stream..")
                .check(classes);
    }
}
