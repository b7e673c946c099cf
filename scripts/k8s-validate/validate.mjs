// Offline checks of the Kubernetes manifests (deploy/kustomization.yaml and deploy/k8s/*.yaml), run by
// scripts/test-k8s.sh. No cluster, no network:
//   - every object against the Kubernetes API's JSON schema (kubernetes-models: types, required fields)
//     and against the API types' field lists (@kubernetes/client-node's models: an unknown field, such
//     as a misspelt one, which the API server would drop or refuse, is an error);
//   - the objects against each other: selectors match pod labels, Services and probes name ports the
//     pods have, $(VAR) references are defined before use, the cluster's seed members are the first
//     pods of StatefulSets with a headless Service that publishes not-ready pods;
//   - against the repository: every OPENTRADE_* variable a service gets is one its module reads, image
//     tags are the project version, probes hit the port the service is told to listen on, the gateways'
//     OPENTRADE_GATEWAYS is their replica count, the kustomization lists every manifest;
//   - the Secrets: their keys are those deploy/k8s/README.md's "kubectl create secret" commands create,
//     from files scripts/compose-secrets.sh and scripts/cluster-pki.sh make, all ignored by git;
//   - the event bus's mutual TLS: every Java workload has it on, with the cluster CA, the password and
//     its own key store (cluster-pki.sh's <workload>.p12) mounted read-only from the cluster-tls Secret
//     by items, never another workload's; cluster-pki.sh issues a key store to exactly these workloads;
//   - market-api's durable feed consumer: every replica follows the exchange feed under a name of its
//     own that survives its restarts (a StatefulSet, OPENTRADE_MARKET_FEED_CONSUMER from the pod's
//     name): replicas sharing a name overwrite each other's checkpoints, and the exchange may drop
//     events the slower one still needs; a name that changes on restart leaves a stale consumer behind;
//   - trade-api's standby per instance: its StatefulSets run the same instances (the pod's index is the
//     instance id) with the same replica count, Redis and pod spec (but their labels, affinity and own
//     key store), all with OPENTRADE_TRADE_STANDBY=true (a process of an instance another one holds is
//     refused at start), Parallel pod management (a pod standing by is never Ready), a volume per pod
//     (volumeClaimTemplates: ReadWriteOnce, never one claim for all), /ready as readiness and never as
//     liveness or startup probe (a standby's is 503); every Service selecting one of them selects all,
//     and one routing FIX publishes ready pods only (the process that serves);
//   - no pod belongs to two workloads (their selectors do not overlap), and a StatefulSet's Service
//     selects its pods.
// Usage: node validate.mjs <repository root>
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { parseAllDocuments, parse } from "yaml";

const root = path.resolve(process.argv[2] ?? "../..");
const deploy = path.join(root, "deploy");
const here = path.dirname(new URL(import.meta.url).pathname);
const failures = [];
const fail = (where, message) => failures.push(`${where}: ${message}`);
let checked = 0;

// ----- the kustomization and the manifests it lists -----
const kustomization = parse(fs.readFileSync(path.join(deploy, "kustomization.yaml"), "utf8"));
const manifests = fs.readdirSync(path.join(deploy, "k8s")).filter((f) => f.endsWith(".yaml")).map((f) => `k8s/${f}`).sort();
const listed = [...kustomization.resources].sort();
if (JSON.stringify(listed) !== JSON.stringify(manifests)) {
  fail("deploy/kustomization.yaml", `resources ${listed.join(" ")} are not the manifests ${manifests.join(" ")}`);
}
for (const g of kustomization.configMapGenerator ?? []) {
  for (const f of g.files ?? []) {
    const file = f.includes("=") ? f.split("=")[1] : f;
    if (!fs.existsSync(path.join(deploy, file))) fail("deploy/kustomization.yaml", `${g.name} reads ${file}, which does not exist`);
  }
}
const generatedConfigMaps = new Set((kustomization.configMapGenerator ?? []).map((g) => g.name));

const objects = [];
for (const m of manifests) {
  const docs = parseAllDocuments(fs.readFileSync(path.join(deploy, m), "utf8"), { version: "1.1" });
  docs.forEach((d, i) => {
    if (d.errors.length > 0) fail(m, `YAML: ${d.errors[0].message}`);
    const o = d.toJS();
    if (o) objects.push({ file: m, index: i, o, where: `${m} ${o.kind}/${o.metadata?.name}` });
  });
}

// ----- JSON schema (kubernetes-models) -----
const group = (apiVersion) => (apiVersion.includes("/") ? apiVersion : `v1`);
for (const { o, where } of objects) {
  const modulePath = o.apiVersion.includes("/") ? `kubernetes-models/${o.apiVersion}/${o.kind}` : `kubernetes-models/v1/${o.kind}`;
  let Model;
  try {
    Model = (await import(modulePath))[o.kind];
  } catch (e) {
    fail(where, `no schema for ${o.apiVersion} ${o.kind} (${group(o.apiVersion)})`);
    continue;
  }
  try {
    new Model(o).validate();
    checked++;
  } catch (e) {
    fail(where, `schema: ${e.message}`);
  }
}

// ----- unknown fields (the API types' field lists) -----
const models = path.join(here, "node_modules/@kubernetes/client-node/dist/gen/models");
const typeCache = new Map();
async function fieldsOf(type) {
  if (!typeCache.has(type)) {
    const file = path.join(models, `${type}.js`);
    typeCache.set(type, fs.existsSync(file) ? (await import(file))[type].getAttributeTypeMap() : null);
  }
  return typeCache.get(type);
}
const TYPE_NAMES = { v1: "V1", "apps/v1": "V1", "policy/v1": "V1" };
async function strict(value, type, at, where) {
  if (value === null || value === undefined) return;
  let m;
  if ((m = /^Array<(.+)>$/.exec(type))) {
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) await strict(value[i], m[1], `${at}[${i}]`, where);
    return;
  }
  if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) {
    if (typeof value === "object") for (const [k, v] of Object.entries(value)) await strict(v, m[1], `${at}.${k}`, where);
    return;
  }
  const fields = await fieldsOf(type);
  if (!fields || typeof value !== "object" || Array.isArray(value)) return; // a primitive, IntOrString, Quantity...
  const known = new Map(fields.map((f) => [f.baseName, f.type]));
  for (const [k, v] of Object.entries(value)) {
    if (!known.has(k)) fail(where, `unknown field ${at ? at + "." : ""}${k} (${type} has ${[...known.keys()].join(", ")})`);
    else await strict(v, known.get(k), at ? `${at}.${k}` : k, where);
  }
}
for (const { o, where } of objects) {
  const prefix = TYPE_NAMES[o.apiVersion];
  if (!prefix) {
    fail(where, `apiVersion ${o.apiVersion} has no field list here`);
    continue;
  }
  await strict(o, `${prefix}${o.kind}`, "", where);
}

// ----- the objects against each other -----
const byKind = (kind) => objects.filter((x) => x.o.kind === kind);
const workloads = objects.filter((x) => ["Deployment", "StatefulSet"].includes(x.o.kind));
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
for (const x of objects) {
  if (x.o.metadata?.namespace && x.o.kind !== "Namespace") fail(x.where, "sets its namespace; the kustomization does");
}
for (const w of workloads) {
  const spec = w.o.spec;
  if (!matches(spec.selector?.matchLabels, spec.template?.metadata?.labels)) fail(w.where, "its selector does not match its pod labels");
  if (w.o.kind === "StatefulSet") {
    const svc = byKind("Service").find((s) => s.o.metadata.name === spec.serviceName);
    if (!svc) fail(w.where, `serviceName ${spec.serviceName} is no Service here`);
    else if (!matches(svc.o.spec.selector, spec.template?.metadata?.labels)) fail(w.where, `its Service ${spec.serviceName} does not select its pods (no DNS names for them)`);
  }
  for (const v of workloads) {
    if (v !== w && matches(spec.selector?.matchLabels, v.o.spec.template?.metadata?.labels)) {
      fail(w.where, `its selector also matches ${v.where}'s pods: the two controllers would fight over them`);
    }
  }
}
const podsOf = (selector) => workloads.filter((w) => matches(selector, w.o.spec.template.metadata.labels));
const portNames = (w) => new Set(w.o.spec.template.spec.containers.flatMap((c) => (c.ports ?? []).flatMap((p) => [p.name, p.containerPort])));
for (const s of byKind("Service")) {
  const pods = podsOf(s.o.spec.selector);
  if (pods.length === 0) fail(s.where, "selects no pods");
  for (const p of s.o.spec.ports) {
    for (const w of pods) {
      if (!portNames(w).has(p.targetPort ?? p.port)) fail(s.where, `port ${p.name} targets ${p.targetPort}, which ${w.where} does not have`);
    }
  }
}
for (const b of byKind("PodDisruptionBudget")) {
  if (podsOf(b.o.spec.selector.matchLabels).length === 0) fail(b.where, "selects no pods");
}
// ----- the Secrets: as deploy/k8s/README.md's commands create them -----
const readmeFile = "deploy/k8s/README.md";
// Its shell lines, continuations joined, comments dropped.
const commands = fs.readFileSync(path.join(root, readmeFile), "utf8").replace(/\\\n\s*/g, " ").split("\n")
  .map((l) => l.replace(/(^|\s+)#.*$/, "").trim()).filter((l) => l.length > 0);
// scripts/compose-secrets.sh's .env keys (--from-env-file=.env)
const envKeys = fs.readFileSync(path.join(deploy, "compose.env.example"), "utf8").split("\n")
  .filter((l) => /^OPENTRADE_COMPOSE_(REDIS_PASSWORD|ADMIN_TOKEN|INFLUX_PASSWORD|CLUSTER_NAME)=/.test(l)).map((l) => l.split("=")[0]);
// The key files scripts/compose-secrets.sh makes: docker-compose.yml's secrets.
const composeSecretFiles = new Set(Object.values(parse(fs.readFileSync(path.join(root, "docker-compose.yml"), "utf8")).secrets)
  .map((x) => path.normalize(x.file)));
// The event bus's key stores: scripts/cluster-pki.sh [--mode m] <dir> <member>...
const pkiCommands = commands.map((c) => /^scripts\/cluster-pki\.sh\s+(?:--mode[= ]\S+\s+)?(\S+)\s+(.+)$/.exec(c)).filter((m) => m);
if (pkiCommands.length !== 1) fail(readmeFile, `has ${pkiCommands.length} scripts/cluster-pki.sh commands, not one`);
const pkiDir = pkiCommands[0] ? path.normalize(pkiCommands[0][1]) : "";
const pkiMembers = pkiCommands[0] ? pkiCommands[0][2].split(/\s+/) : [];
const ignored = (file) => {
  try {
    execFileSync("git", ["-C", root, "check-ignore", "-q", file]);
    return true;
  } catch {
    return false;
  }
};
const secretKeys = {};
for (const c of commands) {
  const m = /^kubectl\s.*\bcreate secret generic ([a-z0-9-]+)\s+(.*)$/.exec(c);
  if (!m) continue;
  const [, name, args] = m;
  const where = `${readmeFile} (secret ${name})`;
  const keys = (secretKeys[name] = new Set());
  for (const [, arg] of args.matchAll(/--from-env-file=(\S+)/g)) {
    if (arg !== ".env") fail(where, `--from-env-file=${arg}: scripts/compose-secrets.sh writes .env`);
    envKeys.forEach((k) => keys.add(k));
  }
  for (const [, arg] of args.matchAll(/--from-file=(\S+)/g)) {
    const [key, file] = arg.includes("=") ? arg.split("=") : [path.basename(arg), arg];
    keys.add(key);
    const f = path.normalize(file);
    const fromPki = path.dirname(f) === pkiDir
      && (["ca.crt", "password"].includes(path.basename(f)) || pkiMembers.includes(path.basename(f, ".p12")) && f.endsWith(".p12"));
    if (!composeSecretFiles.has(f) && !fromPki) {
      fail(where, `${file} is made neither by scripts/compose-secrets.sh (docker-compose.yml's secrets) nor by its cluster-pki.sh command`
        + " (ca.crt, password, <member>.p12; never ca.key)");
    }
    if (!ignored(f)) fail(where, `${file} is not ignored by git`);
  }
  if (!/--from-(env-)?file=/.test(args)) fail(where, "creates no key");
}
if (pkiDir) {
  const tls = secretKeys["cluster-tls"];
  const wanted = ["ca.crt", "password", ...pkiMembers.map((m) => `${m}.p12`)];
  if (!tls) fail(readmeFile, "creates no cluster-tls Secret");
  else if (JSON.stringify([...tls].sort()) !== JSON.stringify(wanted.sort())) {
    fail(readmeFile, `the cluster-tls Secret has keys ${[...tls].sort().join(" ")}; cluster-pki.sh makes ${wanted.join(" ")}`);
  }
}
for (const w of workloads) {
  const pod = w.o.spec.template.spec;
  const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
  const claims = new Set((w.o.spec.volumeClaimTemplates ?? []).map((c) => c.metadata.name));
  for (const v of pod.volumes ?? []) {
    if (v.secret) {
      const keys = secretKeys[v.secret.secretName];
      if (!keys) fail(w.where, `volume ${v.name} mounts Secret ${v.secret.secretName}, which deploy/k8s/README.md does not create`);
      for (const item of v.secret.items ?? []) if (keys && !keys.has(item.key)) fail(w.where, `Secret ${v.secret.secretName} has no key ${item.key}`);
    }
    if (v.configMap && !generatedConfigMaps.has(v.configMap.name)) fail(w.where, `ConfigMap ${v.configMap.name} is not generated`);
  }
  for (const c of pod.containers) {
    const defined = new Set();
    for (const e of c.env ?? []) {
      for (const [, ref] of (e.value ?? "").matchAll(/\$\(([A-Za-z0-9_]+)\)/g)) {
        if (!defined.has(ref)) fail(w.where, `${e.name} uses $(${ref}), which is not defined before it`);
      }
      const sk = e.valueFrom?.secretKeyRef;
      if (sk && !secretKeys[sk.name]?.has(sk.key)) fail(w.where, `${e.name} reads key ${sk.key} of Secret ${sk.name}, which it does not have`);
      defined.add(e.name);
    }
    for (const vm of c.volumeMounts ?? []) {
      if (!volumes.has(vm.name) && !claims.has(vm.name)) fail(w.where, `mounts ${vm.name}, which is no volume of it`);
    }
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      const port = c[probe]?.httpGet?.port;
      if (port !== undefined && !portNames(w).has(port)) fail(w.where, `${probe} probes port ${port}, which it does not have`);
    }
  }
}

// ----- against the repository: the services' configuration -----
const version = /<version>([^<]+)<\/version>/.exec(fs.readFileSync(path.join(root, "pom.xml"), "utf8").split("<version>").slice(0, 2).join("<version>"))[1];
function walk(dir, ext) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name), ext) : e.name.endsWith(ext) ? [path.join(dir, e.name)] : []);
}
function reads(module) {
  const names = new Set();
  for (const f of walk(path.join(root, module, "src/main/resources"), ".yaml")) {
    for (const [, n] of fs.readFileSync(f, "utf8").matchAll(/\$\{(OPENTRADE_[A-Z0-9_]+)/g)) names.add(n);
  }
  for (const f of [...walk(path.join(root, module, "src/main/java"), ".java"), ...walk(path.join(root, "common/src/main/java"), ".java")]) {
    for (const [, n] of fs.readFileSync(f, "utf8").matchAll(/"(OPENTRADE_[A-Z0-9_]+)"/g)) names.add(n);
  }
  return names;
}
const HTTP_PORT_VAR = { "sandbox-exchange": "OPENTRADE_EXCHANGE_OPERATIONS_PORT", "market-api": "OPENTRADE_MARKET_PORT",
  "trade-api": "OPENTRADE_TRADE_PORT", "api-gateway": "OPENTRADE_GATEWAY_PORT" };
const seen = new Set();
for (const w of workloads) {
  for (const c of w.o.spec.template.spec.containers) {
    const m = /^opentrade\/([a-z-]+):(.+)$/.exec(c.image);
    if (!m) continue;
    const [, module, tag] = m;
    seen.add(module);
    if (!fs.existsSync(path.join(root, module, "src/main/java"))) {
      fail(w.where, `image ${c.image} names no module`);
      continue;
    }
    if (tag !== version) fail(w.where, `image tag ${tag}, the project version is ${version}`);
    const known = reads(module);
    const env = new Map((c.env ?? []).map((e) => [e.name, e]));
    for (const name of env.keys()) {
      if (name.startsWith("OPENTRADE_") && !known.has(name)) fail(w.where, `${module} reads no ${name}`);
    }
    const port = env.get(HTTP_PORT_VAR[module])?.value;
    const http = (c.ports ?? []).find((p) => p.name === "http")?.containerPort;
    if (port === undefined || String(http) !== port) fail(w.where, `its http port ${http} is not ${HTTP_PORT_VAR[module]} (${port})`);
    if (module === "api-gateway" && env.get("OPENTRADE_GATEWAYS")?.value !== String(w.o.spec.replicas)) {
      fail(w.where, `OPENTRADE_GATEWAYS ${env.get("OPENTRADE_GATEWAYS")?.value} is not its ${w.o.spec.replicas} replicas`);
    }
    for (const member of (env.get("OPENTRADE_CLUSTER_MEMBERS")?.value ?? "").split(",")) {
      const mm = /^([a-z0-9-]+)-0\.([a-z0-9-]+):(\d+)$/.exec(member);
      const sts = mm && byKind("StatefulSet").find((s) => s.o.metadata.name === mm[1] && s.o.spec.serviceName === mm[2]);
      const svc = mm && byKind("Service").find((s) => s.o.metadata.name === mm[2]);
      if (!sts || !svc || svc.o.spec.clusterIP !== "None" || !svc.o.spec.publishNotReadyAddresses
          || !svc.o.spec.ports.some((p) => String(p.port) === mm[3])) {
        fail(w.where, `cluster member ${member} is not the first pod of a StatefulSet with a headless Service publishing not-ready pods on that port`);
      }
    }
    const sc = c.securityContext ?? {};
    const podSc = w.o.spec.template.spec.securityContext ?? {};
    if (!podSc.runAsNonRoot || podSc.runAsUser !== 10001 || !sc.readOnlyRootFilesystem || sc.allowPrivilegeEscalation !== false) {
      fail(w.where, "must run as the images' user 10001, non-root, read-only root, no privilege escalation");
    }
  }
}
for (const m of Object.keys(HTTP_PORT_VAR)) if (!seen.has(m)) fail("deploy/k8s", `no workload runs the ${m} image`);

// ----- the event bus's mutual TLS: every Java workload, its own key store -----
const TLS_FILES = { OPENTRADE_CLUSTER_TLS_KEY_STORE: (w) => `${w}.p12`, OPENTRADE_CLUSTER_TLS_KEY_STORE_PASSWORD_FILE: () => "password",
  OPENTRADE_CLUSTER_TLS_TRUST_STORE: () => "ca.crt" };
const javaWorkloads = workloads.filter((w) => w.o.spec.template.spec.containers.some((c) => /^opentrade\//.test(c.image)));
for (const w of javaWorkloads) {
  const name = w.o.metadata.name;
  const pod = w.o.spec.template.spec;
  const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
  for (const v of pod.volumes ?? []) {
    if (v.secret?.secretName !== "cluster-tls") continue;
    const keys = (v.secret.items ?? []).map((i) => i.key);
    if (!v.secret.items) fail(w.where, `volume ${v.name} mounts the whole cluster-tls Secret, every member's key store: list its own in items`);
    const others = keys.filter((k) => k.endsWith(".p12") && k !== `${name}.p12`);
    if (others.length > 0) fail(w.where, `volume ${v.name} holds ${others.join(" ")}, another member's key store`);
  }
  for (const c of pod.containers.filter((x) => /^opentrade\//.test(x.image))) {
    const env = new Map((c.env ?? []).map((e) => [e.name, e.value]));
    const tlsMounts = new Set();
    if (env.get("OPENTRADE_CLUSTER_TLS") !== "true") fail(w.where, `OPENTRADE_CLUSTER_TLS is ${env.get("OPENTRADE_CLUSTER_TLS")}, not "true"`);
    for (const [variable, want] of Object.entries(TLS_FILES)) {
      const file = env.get(variable);
      if (!file) {
        fail(w.where, `no ${variable}`);
        continue;
      }
      // The mount the file is in, the volume, the Secret's key behind its path.
      const mount = (c.volumeMounts ?? []).find((vm) => file.startsWith(vm.mountPath.replace(/\/?$/, "/")));
      const volume = mount && volumes.get(mount.name);
      const rel = mount && file.slice(mount.mountPath.replace(/\/?$/, "/").length);
      const item = volume?.secret?.items?.find((i) => i.path === rel);
      if (!volume?.secret) fail(w.where, `${variable} ${file} is in no Secret volume`);
      else if (volume.secret.secretName !== "cluster-tls") fail(w.where, `${variable} ${file} is from Secret ${volume.secret.secretName}, not cluster-tls`);
      else if (!item) fail(w.where, `${variable} ${file}: volume ${volume.name} has no item at ${rel}`);
      else if (item.key !== want(name)) fail(w.where, `${variable} ${file} is the Secret's ${item.key}, not ${want(name)}`);
      if (mount) tlsMounts.add(mount);
    }
    for (const mount of tlsMounts) if (!mount.readOnly) fail(w.where, `${mount.name} at ${mount.mountPath} is not mounted readOnly`);
  }
}
const javaNames = javaWorkloads.map((w) => w.o.metadata.name).sort();
if (pkiDir && JSON.stringify([...pkiMembers].sort()) !== JSON.stringify(javaNames)) {
  fail(readmeFile, `its cluster-pki.sh command issues ${pkiMembers.join(" ")}, the Java workloads are ${javaNames.join(" ")}`);
}

// ----- market-api's durable feed consumer: one name per replica, the same after a restart -----
const MARKET_IMAGE = /^opentrade\/market-api:/;
const marketNames = [];
for (const w of workloads) {
  for (const c of w.o.spec.template.spec.containers.filter((x) => MARKET_IMAGE.test(x.image))) {
    const e = (c.env ?? []).find((x) => x.name === "OPENTRADE_MARKET_FEED_CONSUMER");
    const fromPodName = e?.valueFrom?.fieldRef?.fieldPath === "metadata.name";
    if (!fromPodName) {
      const what = !e ? "not set (every replica takes market-api.yaml's default)"
        : e.value !== undefined ? `the fixed "${e.value}"` : "not the pod's name (fieldRef metadata.name)";
      fail(w.where, `OPENTRADE_MARKET_FEED_CONSUMER is ${what}: each replica needs a durable feed consumer name`
        + " of its own, or they overwrite each other's checkpoints and the exchange may drop events one still needs");
    } else if (w.o.kind !== "StatefulSet") {
      fail(w.where, `OPENTRADE_MARKET_FEED_CONSUMER is the pod's name, which a ${w.o.kind} makes anew on every restart:`
        + " each would leave a stale durable consumer at the exchange; make it a StatefulSet (stable pod names)");
    } else {
      for (let i = 0; i < (w.o.spec.replicas ?? 1); i++) marketNames.push(`${w.o.metadata.name}-${i}`);
    }
  }
}

// ----- trade-api: a standby per instance -----
const TRADE_IMAGE = /^opentrade\/trade-api:/;
const POD_INDEX = "metadata.labels['apps.kubernetes.io/pod-index']";
const tradeSets = workloads.filter((w) => w.o.spec.template.spec.containers.some((c) => TRADE_IMAGE.test(c.image)));
const tradeEnv = (w) => new Map((w.o.spec.template.spec.containers.find((c) => TRADE_IMAGE.test(c.image)).env ?? []).map((e) => [e.name, e]));
const show = (e) => (e === undefined ? "not set" : e.value !== undefined ? `"${e.value}"` : JSON.stringify(e.valueFrom));
// The first path at which two values differ (object keys in any order), or null.
function differs(a, b, at) {
  if (a === b) return null;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return at;
  if (Array.isArray(a) && a.length !== b.length) return `${at} (${a.length} and ${b.length} entries)`;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = differs(a[k], b[k], Array.isArray(a) ? `${at}[${k}]${a[k]?.name ? `(${a[k].name})` : ""}` : `${at}.${k}`);
    if (d) return d;
  }
  return null;
}
// A pod spec without what differs by design: the anti-affinity towards the other StatefulSet and the
// workload's own key store.
function podSpecOf(w) {
  const pod = structuredClone(w.o.spec.template.spec);
  delete pod.affinity;
  for (const v of pod.volumes ?? []) {
    if (v.secret?.secretName !== "cluster-tls") continue;
    for (const i of v.secret.items ?? []) if (i.key === `${w.o.metadata.name}.p12`) i.key = "<its own>.p12";
  }
  return pod;
}
const tradeInstances = [];
for (const w of tradeSets) {
  const env = tradeEnv(w);
  const others = tradeSets.filter((v) => v !== w).map((v) => v.o.metadata.name);
  if (w.o.kind !== "StatefulSet") {
    fail(w.where, "runs trade-api as a " + w.o.kind + ": a StatefulSet gives each pod its instance id (the pod's index) and its own volume");
    continue;
  }
  if (env.get("OPENTRADE_TRADE_INSTANCE_ID")?.valueFrom?.fieldRef?.fieldPath !== POD_INDEX) {
    fail(w.where, `OPENTRADE_TRADE_INSTANCE_ID is ${show(env.get("OPENTRADE_TRADE_INSTANCE_ID"))}, not the pod's index (fieldRef ${POD_INDEX}):`
      + " every replica would claim one instance");
  }
  for (let i = 0; i < (w.o.spec.replicas ?? 1); i++) tradeInstances.push([i, `${w.o.metadata.name}-${i}`]);
  const pod = w.o.spec.template.spec;
  const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
  for (const c of pod.containers.filter((x) => TRADE_IMAGE.test(x.image))) {
    if (c.readinessProbe?.httpGet?.path !== "/ready") fail(w.where, `its readiness probe is ${c.readinessProbe?.httpGet?.path ?? "missing"}, not /ready: a process standing by would take traffic`);
    for (const probe of ["startupProbe", "livenessProbe"]) {
      if (c[probe]?.httpGet?.path === "/ready") fail(w.where, `its ${probe} is /ready, which a process standing by answers with 503 by design: it would be restarted forever`);
    }
    for (const vm of c.volumeMounts ?? []) {
      const claim = volumes.get(vm.name)?.persistentVolumeClaim;
      if (claim && !vm.readOnly) fail(w.where, `mounts claim ${claim.claimName} for every pod: each process of an instance needs its own volume (volumeClaimTemplates; ReadWriteOnce)`);
    }
  }
  if (others.length === 0) continue;
  if (env.get("OPENTRADE_TRADE_STANDBY")?.value !== "true") {
    fail(w.where, `OPENTRADE_TRADE_STANDBY is ${show(env.get("OPENTRADE_TRADE_STANDBY"))}, not "true", and ${others.join(", ")} run(s) the same`
      + " instances: a process started while another holds its instance is refused (it would crash-loop after a takeover)");
  }
  if (env.get("OPENTRADE_TRADE_STORE")?.value !== "redis") fail(w.where, `OPENTRADE_TRADE_STORE is ${show(env.get("OPENTRADE_TRADE_STORE"))}: a standby needs redis`);
  if (w.o.spec.podManagementPolicy !== "Parallel") {
    fail(w.where, `podManagementPolicy is ${w.o.spec.podManagementPolicy ?? "OrderedReady"}, not Parallel: a pod standing by is never Ready, and the next pod would wait for it`);
  }
}
if (tradeSets.length > 1) {
  const [first, ...rest] = tradeSets;
  const firstEnv = tradeEnv(first);
  for (const w of rest) {
    if ((w.o.spec.replicas ?? 1) !== (first.o.spec.replicas ?? 1)) {
      fail(w.where, `${w.o.spec.replicas ?? 1} replicas, ${first.where} has ${first.o.spec.replicas ?? 1}: an instance without its standby, or a standby for no instance`);
    }
    const env = tradeEnv(w);
    for (const name of ["OPENTRADE_TRADE_INSTANCE_ID", "OPENTRADE_TRADE_STORE", "OPENTRADE_TRADE_REDIS_URI", "REDIS_PASSWORD", "OPENTRADE_TRADE_PARTITIONS", "OPENTRADE_CLUSTER_NAME"]) {
      if (differs(firstEnv.get(name), env.get(name), name)) {
        fail(w.where, `${name} is ${show(env.get(name))}, ${first.where} has ${show(firstEnv.get(name))}: the processes of an instance share its id and its Redis`);
      }
    }
    const d = differs(podSpecOf(first), podSpecOf(w), "spec.template.spec");
    if (d) fail(w.where, `its pod spec differs from ${first.where}'s at ${d}: the processes of an instance run the same (but their labels, anti-affinity and own key store)`);
  }
}
for (const s of byKind("Service")) {
  const selected = podsOf(s.o.spec.selector).filter((w) => tradeSets.includes(w));
  if (selected.length === 0) continue;
  const missing = tradeSets.filter((w) => !selected.includes(w)).map((w) => w.o.metadata.name);
  if (missing.length > 0) fail(s.where, `selects ${selected.map((w) => w.o.metadata.name).join(", ")} but not ${missing.join(", ")}: whichever process of an instance serves must be reached`);
  const fixPorts = new Set(selected.flatMap((w) => w.o.spec.template.spec.containers.flatMap((c) => (c.ports ?? []).filter((p) => p.name === "fix").flatMap((p) => [p.name, p.containerPort]))));
  if (s.o.spec.publishNotReadyAddresses && s.o.spec.ports.some((p) => fixPorts.has(p.targetPort ?? p.port))) {
    fail(s.where, "routes FIX with publishNotReadyAddresses: clients would reach a process standing by, which binds no FIX port");
  }
}

for (const f of failures) console.error(`test-k8s: FAIL: ${f}`);
console.log(`test-k8s: ${objects.length} objects in ${manifests.length} manifests, ${checked} valid against the Kubernetes schema;`
  + ` Secrets ${Object.keys(secretKeys).sort().join(", ")} as ${readmeFile} creates them; event-bus TLS checked on ${javaNames.join(", ")};`
  + ` market-api feed consumers ${marketNames.join(", ")};`
  + ` trade-api instances ${[...new Set(tradeInstances.map(([i]) => i))].map((i) => `${i} (${tradeInstances.filter(([j]) => j === i).map(([, p]) => p).join(", ")})`).join(", ")}`);
if (failures.length > 0) {
  console.error(`test-k8s: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log("test-k8s: all checks passed");
