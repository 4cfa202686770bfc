package app.confab.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The feature modules ({@code app.confab.<feature>}) and the rules between them
 * (docs/ARCHITECTURE.md, "Modules"), among them the delivery cut of stream ({@code stream}),
 * real-time transport ({@code delivery}) and presence/typing ({@code presence}): a new cycle or a
 * reach into another module's repository fails the build. The one known exception (protocol naming
 * the views it carries) is listed by name.
 */
class ModuleBoundariesTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("app.confab");

    /**
     * Known debt: the event catalogue (protocol) names the views its events carry (ChatView,
     * ContactView...), while those features append protocol events. MessageView already lives in
     * protocol; moving the other wire views there removes these edges. Until then they are the only
     * ones allowed to close a cycle.
     */
    private static final DescribedPredicate<JavaClass> PROTOCOL = resideInAPackage("app.confab.protocol..");
    private static final DescribedPredicate<JavaClass> CARRIED_VIEWS = resideInAnyPackage(
            "app.confab.chat..", "app.confab.contact..");

    /** What features may use of the transport (app.confab.delivery). */
    private static final DescribedPredicate<JavaClass> FEATURE_API = nameIn(
            "ClientEventHandler", "ClientEvents", "LiveEvents");

    /** What presence and typing may use of the transport: the feature API, and what they speak and count with. */
    private static final DescribedPredicate<JavaClass> PRESENCE_API = FEATURE_API.or(nameIn(
            "ConnectionTracker", "LivePush", "DeliverySettings", "RedisLink", "DeliveryConfig$RedisHolder",
            "DeliveryConfig$NodeIdentity"));

    /** The one event of another feature the transport listens to: a sign-in session ended (close its sockets). */
    private static final DescribedPredicate<JavaClass> TRANSPORT_EXTERNAL_INPUTS = DescribedPredicate.describe(
            "account.SessionsEnded", type -> type.getName().equals("app.confab.account.SessionsEnded"));

    private static DescribedPredicate<JavaClass> nameIn(String... simpleNames) {
        Set<String> names = Set.of(simpleNames);
        return DescribedPredicate.describe("app.confab.delivery." + names,
                type -> type.getPackageName().equals("app.confab.delivery")
                        && names.contains(type.getName().substring("app.confab.delivery.".length())));
    }


    @Test
    void featureModulesHaveNoCycles() {
        slices().matching("app.confab.(*)..").namingSlices("$1")
                .should().beFreeOfCycles()
                .ignoreDependency(PROTOCOL, CARRIED_VIEWS)
                .check(MAIN);
    }

    @Test
    void repositoriesAreInternalToTheirModule() {
        classes().that().haveSimpleNameEndingWith("Repository")
                .should(beUsedOnlyInsideTheirOwnPackage())
                .check(MAIN);
    }

    @Test
    void platformDependsOnNoFeature() {
        noClasses().that().resideInAPackage("app.confab.platform..")
                .should().dependOnClassesThat().resideInAnyPackage("app.confab.account..", "app.confab.attachment..",
                        "app.confab.chat..", "app.confab.contact..", "app.confab.delivery..", "app.confab.membership..",
                        "app.confab.message..", "app.confab.presence..", "app.confab.protocol..", "app.confab.search..",
                        "app.confab.stream..")
                .check(MAIN);
    }

    @Test
    void membershipDependsOnlyOnPlatform() {
        noClasses().that().resideInAPackage("app.confab.membership..")
                .should().dependOnClassesThat().resideInAnyPackage("app.confab.account..", "app.confab.attachment..",
                        "app.confab.chat..", "app.confab.contact..", "app.confab.delivery..", "app.confab.message..",
                        "app.confab.presence..", "app.confab.protocol..", "app.confab.search..", "app.confab.stream..")
                .check(MAIN);
    }

    /**
     * The durable stream is what features append to and the transport reads: it knows nothing of
     * either (it hands committed events to its own StreamPublisher, which the transport's bus is).
     */
    @Test
    void streamDependsOnlyOnMembershipProtocolAndPlatform() {
        classes().that().resideInAPackage("app.confab.stream..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("app.confab..")
                        .or(resideInAnyPackage("app.confab.stream..", "app.confab.membership..", "app.confab.protocol..",
                                "app.confab.platform..")))
                .check(MAIN);
    }

    /**
     * The real-time transport (app.confab.delivery) reads the stream and pushes frames; it learns
     * about users only through membership, and tells presence about connections through its own
     * ConnectionTracker, so it never depends on presence or on a feature.
     */
    @Test
    void transportDependsOnlyOnStreamMembershipProtocolAndPlatform() {
        classes().that().resideInAPackage("app.confab.delivery..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("app.confab..")
                        .or(resideInAnyPackage("app.confab.delivery..", "app.confab.stream..", "app.confab.membership..",
                                "app.confab.protocol..", "app.confab.platform.."))
                        .or(TRANSPORT_EXTERNAL_INPUTS))
                .check(MAIN);
    }

    /** Presence and typing speak through the transport's small API only. */
    @Test
    void presenceUsesOnlyTheTransportsApi() {
        noClasses().that().resideInAPackage("app.confab.presence..")
                .should().dependOnClassesThat(resideInAPackage("app.confab.delivery..")
                        .and(DescribedPredicate.not(PRESENCE_API)))
                .check(MAIN);
    }

    /** Features register requests and push live events; everything else of the transport is internal. */
    @Test
    void featuresUseOnlyTheTransportsFeatureApi() {
        noClasses().that().resideOutsideOfPackages("app.confab.delivery..", "app.confab.presence..")
                .should().dependOnClassesThat(resideInAPackage("app.confab.delivery..")
                        .and(DescribedPredicate.not(FEATURE_API)))
                .check(MAIN);
    }

    @Test
    void messageDoesNotReachIntoChat() {
        noClasses().that().resideInAPackage("app.confab.message..")
                .should().dependOnClassesThat().resideInAPackage("app.confab.chat..")
                .check(MAIN);
    }

    /** The chat list's last-message summary is chat's own read (docs/ARCHITECTURE.md, "Modules"). */
    @Test
    void chatDoesNotReachIntoMessage() {
        noClasses().that().resideInAPackage("app.confab.chat..")
                .should().dependOnClassesThat().resideInAPackage("app.confab.message..")
                .check(MAIN);
    }

    private static ArchCondition<JavaClass> beUsedOnlyInsideTheirOwnPackage() {
        return new ArchCondition<>("be used only inside their own package") {
            @Override
            public void check(JavaClass repository, ConditionEvents events) {
                Set<String> reaches = new TreeSet<>();
                for (Dependency dependency : repository.getDirectDependenciesToSelf()) {
                    JavaClass origin = dependency.getOriginClass();
                    if (!origin.getPackageName().equals(repository.getPackageName())) {
                        reaches.add(origin.getName().replaceAll("\\$.*", "") + " -> " + repository.getName());
                    }
                }
                reaches.forEach(reach -> events.add(SimpleConditionEvent.violated(repository, reach)));
            }
        };
    }
}
