package app.confab.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import app.confab.support.Prerequisites;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kustomize base and overlays build with the real tool ({@code kubectl kustomize}, offline: it
 * resolves resources, patches and generators without a cluster), and each renders the objects the
 * docs promise. DeployManifestsTest validates the objects against the Kubernetes schemas; this
 * checks that the overlays compose. {@code docker compose config} cannot be run here: Debian has
 * no Compose v2 plugin and the machine no Docker daemon, so the compose file keeps its schema test.
 */
class KustomizeBuildTest {

    private static final Path KUSTOMIZE = Path.of("deploy", "kubernetes");

    @Test
    void baseAndOverlaysBuild() throws Exception {
        Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed");
        assertThat(kinds(build(KUSTOMIZE.resolve("base"))))
                .contains("Namespace", "ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler",
                        "PodDisruptionBudget", "NetworkPolicy")
                .doesNotContain("Ingress", "HTTPRoute");
        assertThat(kinds(build(KUSTOMIZE.resolve("overlays").resolve("ingress-nginx")))).contains("Ingress", "Deployment");
        String production = build(KUSTOMIZE.resolve("overlays").resolve("production"));
        assertThat(kinds(production)).contains("HTTPRoute", "ServiceMonitor", "PrometheusRule", "Deployment");
        assertThat(production).as("restricted pods").contains("runAsNonRoot: true")
                .contains("readOnlyRootFilesystem: true").contains("allowPrivilegeEscalation: false");
    }

    private static String build(Path dir) throws Exception {
        Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(dir + ":\n" + output).isZero();
        return output;
    }

    private static List<String> kinds(String yaml) {
        List<String> kinds = new ArrayList<>();
        Matcher matcher = Pattern.compile("(?m)^kind: (\\S+)$").matcher(yaml);
        while (matcher.find()) {
            kinds.add(matcher.group(1));
        }
        return kinds;
    }
}
