package app.confab.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import app.confab.support.OpsTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/ through real validators (tools/ops-check/validate-deploy.mjs): every Kubernetes object
 * against the Kubernetes, Gateway API and Prometheus-operator schemas (kubernetes-models), the
 * Kustomize trees, PodSecurity "restricted", and the compose file against the Compose
 * Specification schema with pinned images. A broken copy proves the validators do reject.
 */
class DeployManifestsTest {

    @Test
    void everyManifestAndTheComposeFileValidate() throws Exception {
        OpsTools.Result result = OpsTools.node("validate-deploy.mjs", OpsTools.PROJECT.resolve("deploy").toString());
        assertThat(result.output()).as(result.output()).contains(" 0 problems")
                .contains("HTTPRoute confab valid", "ServiceMonitor confab valid", "PrometheusRule confab valid",
                        "NetworkPolicy default-deny valid", "Deployment confab valid",
                        "docker-compose.yml: valid against the Compose Specification schema",
                        "seaweedfs chrislusf/seaweedfs:");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void theValidatorsRejectWhatAClusterOrComposeWouldReject() throws Exception {
        Path broken = OpsTools.PROJECT.resolve("target/ops-check/deploy-broken");
        copy(OpsTools.PROJECT.resolve("deploy"), broken);
        Path deployment = broken.resolve("kubernetes/base/deployment.yaml");
        Files.writeString(deployment, Files.readString(deployment)
                .replace("containerPort: 8080", "containerPort: http-port")
                .replace("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true"));
        Path compose = broken.resolve("docker-compose.yml");
        Files.writeString(compose, Files.readString(compose)
                .replace("image: redis:7.4.5-alpine", "image: redis:latest")
                .replace("retries: 5", "retries: five"));
        Files.writeString(broken.resolve("kubernetes/base/kustomization.yaml"),
                Files.readString(broken.resolve("kubernetes/base/kustomization.yaml")) + "  - missing.yaml\n");

        OpsTools.Result result = OpsTools.node("validate-deploy.mjs", broken.toString());
        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).as(result.output())
                .contains("containerPort must be integer")
                .contains("allowPrivilegeEscalation must be false")
                .contains("redis image redis:latest is not pinned")
                .contains("docker-compose.yml: /services/postgres/healthcheck/retries must be number")
                .contains("missing.yaml does not exist");
    }

    @Test
    void thePrometheusRuleCarriesTheSameAlertsAsThePrometheusConfig() throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Map<String, Object> alerts = yaml.load(Files.readString(Path.of("deploy/monitoring/prometheus-alerts.yml")));
        Map<String, Object> rule = yaml.load(Files.readString(Path.of("deploy/kubernetes/overlays/production/prometheusrule.yaml")));
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) rule.get("spec");
        assertThat(spec.get("groups")).isEqualTo(alerts.get("groups"));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
