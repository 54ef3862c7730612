package io.linehub.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of docs/architecture.md ("Package rules"), checked on the hub's own classes (main code, not
 * tests). The root package ({@code Hub}, {@code HubConfiguration}, {@code HubSettings}, {@code TriggerConfiguration},
 * {@code TriggerSettings}) is the composition root: it may use every package, and no package may use it.
 * <p>
 * Plain JUnit tests over one import rather than ArchUnit's JUnit 5 engine: Surefire 3.5.3 silently runs no
 * {@code @ArchTest} field.
 */
class ArchitectureTest {

    private static final String HUB = "io.linehub..";
    private static final String ROOT = "io.linehub";
    private static final String JSON = "io.linehub.json..";
    private static final String LINE = "io.linehub.line..";
    private static final String SANDBOX = "io.linehub.sandbox..";
    private static final String API = "io.linehub.api..";

    private static final JavaClasses HUB_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** Rule 1: the line: component uses only itself and the hub's shared JSON mapper. */
    static final ArchRule LINE_USES_NO_OTHER_HUB_PACKAGE = noClasses()
            .that().resideInAPackage(LINE)
            .should().dependOnClassesThat(resideInAPackage(HUB).and(resideOutsideOfPackages(LINE, JSON)))
            .because("the line: component is a Camel component of its own, about LINE's API only: it knows nothing of"
                    + " the outbox, the sandbox or the composition root, and may share only io.linehub.json");

    /** Rule 1: the sandbox stands for LINE and uses only itself and the hub's shared JSON mapper. */
    static final ArchRule SANDBOX_USES_NO_OTHER_HUB_PACKAGE = noClasses()
            .that().resideInAPackage(SANDBOX)
            .should().dependOnClassesThat(resideInAPackage(HUB).and(resideOutsideOfPackages(SANDBOX, JSON)))
            .because("the sandbox stands for LINE: sharing code with the hub's line: client (or anything else of the"
                    + " hub) would let the client's mistakes pass the tests; it may share only io.linehub.json");

    /** Rule 2: no two packages use each other, directly or round a longer cycle. */
    static final ArchRule PACKAGES_ARE_FREE_OF_CYCLES = slices()
            .matching("io.linehub.(*)..")
            .should().beFreeOfCycles()
            .because("each package must be understandable, testable and changeable on its own, from the bottom up;"
                    + " two packages that use each other are one package");

    /** Rule 2: the composition root uses every package and is used by none, so it cannot close a cycle. */
    static final ArchRule NOTHING_DEPENDS_ON_THE_COMPOSITION_ROOT = noClasses()
            .that().resideInAPackage(HUB).and().resideOutsideOfPackage(ROOT)
            .should().dependOnClassesThat().resideInAPackage(ROOT)
            .because("the root package (Hub, HubConfiguration, HubSettings, TriggerConfiguration, TriggerSettings) is"
                    + " the composition root that wires the packages together; a package using it would close a cycle"
                    + " the slice rule cannot see, since the root package is not a slice");

    /** Rule 3: the HTTP API sits on top; the domain packages do not know it. */
    static final ArchRule ONLY_THE_API_AND_THE_ROOT_USE_THE_API = noClasses()
            .that().resideInAPackage(HUB).and().resideOutsideOfPackages(ROOT, API)
            .should().dependOnClassesThat().resideInAPackage(API)
            .because("io.linehub.api is the HTTP edge, one trigger among several: domain packages (intake, inbox, erp,"
                    + " schedule, outbox, ...) serve every trigger and must not depend on one of them");

    @Test
    void lineUsesNoOtherHubPackageButJson() {
        LINE_USES_NO_OTHER_HUB_PACKAGE.check(HUB_CLASSES);
    }

    @Test
    void sandboxUsesNoOtherHubPackageButJson() {
        SANDBOX_USES_NO_OTHER_HUB_PACKAGE.check(HUB_CLASSES);
    }

    @Test
    void packagesAreFreeOfCycles() {
        PACKAGES_ARE_FREE_OF_CYCLES.check(HUB_CLASSES);
    }

    @Test
    void nothingDependsOnTheCompositionRoot() {
        NOTHING_DEPENDS_ON_THE_COMPOSITION_ROOT.check(HUB_CLASSES);
    }

    @Test
    void onlyTheApiAndTheCompositionRootUseTheApi() {
        ONLY_THE_API_AND_THE_ROOT_USE_THE_API.check(HUB_CLASSES);
    }
}
