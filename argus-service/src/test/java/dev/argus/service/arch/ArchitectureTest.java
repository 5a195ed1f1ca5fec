package dev.argus.service.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of docs/architecture.md, checked on the compiled classes. {@code bench} (the
 * no-op ceiling of the ingest benchmark, installed only with {@code -Dargus.bench.noop=true}) is
 * outside them.
 */
class ArchitectureTest {
    /** The only packages that may use JDBC or JDBI directly. */
    static final String[] SQL_ALLOWED = {"dev.argus.service.storage..", "dev.argus.service.ingest..",
            "dev.argus.service.sessions"};

    static JavaClasses service;
    static JavaClasses client;

    @BeforeAll
    static void load() {
        ImportOption notBench = location -> !location.contains("/dev/argus/service/bench/");
        service = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(notBench)
                .importPackages("dev.argus.service");
        client = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.argus.client");
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.argus.service.(*)..").should().beFreeOfCycles().check(service);
    }

    @Test
    void onlyStorageTouchesJdbcOrJdbi() {
        // Deny by default: every package but the allowed ones, so a package added later is covered.
        noClasses().that().resideOutsideOfPackages(SQL_ALLOWED)
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.jdbi..",
                        "org.sqlite..", "org.postgresql..", "org.flywaydb..")
                .because("SQL lives in dev.argus.service.storage (the engine and the sessions participant only pass"
                        + " the writer's transaction through: " + String.join(", ", SQL_ALLOWED) + ")")
                .check(service);
    }

    @Test
    void theCoreHoldsDomainTypesOnly() {
        noClasses().that().resideInAPackage("dev.argus.service.core..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.argus.service.storage..",
                        "dev.argus.service.ingest..", "dev.argus.service.streams..", "dev.argus.service.resources..",
                        "dev.argus.service.http..", "dev.argus.service.tasks..", "dev.argus.service.config..")
                .check(service);
    }

    @Test
    void storageKnowsNothingAboveIt() {
        noClasses().that().resideInAPackage("dev.argus.service.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.argus.service.ingest..",
                        "dev.argus.service.streams..", "dev.argus.service.resources..", "dev.argus.service.http..",
                        "dev.argus.service.tasks..", "dev.argus.service.health..")
                .check(service);
    }

    @Test
    void theClientDependsOnNoLoggingFramework() {
        noClasses().that().resideInAPackage("dev.argus.client..")
                .should().dependOnClassesThat().resideInAnyPackage("org.slf4j..", "ch.qos.logback..",
                        "org.apache.logging.log4j..", "org.apache.commons.logging..", "java.util.logging..")
                .check(client);
    }
}
