import type { ServiceEntry } from '@mesh/catalogue';

export interface ServiceManifestOptions {
  /** Secrets the service reads besides mesh-secrets (ingestion's Telegram credentials). */
  secrets: readonly string[];
}

const labels = (name: string, indent: string) =>
  [
    `app.kubernetes.io/name: ${name}`,
    'app.kubernetes.io/part-of: mesh',
    'app.kubernetes.io/component: service',
  ]
    .map((line) => `${indent}${line}`)
    .join('\n');

const selector = (name: string, indent: string) =>
  [`app.kubernetes.io/name: ${name}`, 'app.kubernetes.io/part-of: mesh']
    .map((line) => `${indent}${line}`)
    .join('\n');

/**
 * A service's Deployment and everything around it (ServiceAccount, Service, HPA, PDB,
 * NetworkPolicy), from its catalogue entry: the same shape for every service, so the
 * differences between two services' manifests are only their names, ports and secrets.
 */
export function serviceManifest(entry: ServiceEntry, { secrets }: ServiceManifestOptions): string {
  const { name, httpPort, grpcPort } = entry;
  const secretRefs = ['mesh-secrets', ...secrets]
    .map((secret) => `            - secretRef:\n                name: ${secret}`)
    .join('\n');
  return `# ${name}: the Deployment and everything around it. Settings come from mesh-config (shared)
# and ${name}-config; secrets from ${['mesh-secrets', ...secrets].join(' and ')}. See docs/deploy.md.
# Generated from @mesh/catalogue by deploy/k8s/generate/main.ts: edit that, not this file.
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  labels:
${labels(name, '    ')}
# The services never call the Kubernetes API.
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
${labels(name, '    ')}
spec:
  replicas: 2
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    # A new pod must be ready before an old one goes: capacity never drops during a rollout.
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
${selector(name, '      ')}
  template:
    metadata:
      labels:
${labels(name, '        ')}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "${httpPort}"
        prometheus.io/path: /metrics
    spec:
      serviceAccountName: ${name}
      automountServiceAccountToken: false
      # preStop (5 s) + the kit's drain (SHUTDOWN_TIMEOUT_MS, 10 s) + margin. The kubelet
      # counts preStop inside this budget and kills at its end.
      terminationGracePeriodSeconds: 30
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        seccompProfile:
          type: RuntimeDefault
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
${selector(name, '              ')}
      containers:
        - name: ${name}
          image: ${entry.image}:0.0.0
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: ${httpPort}
              protocol: TCP
            # gRPC, gRPC-Web and Connect over h2c: the same procedures as tRPC on http.
            - name: grpc
              containerPort: ${grpcPort}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: mesh-config
            - configMapRef:
                name: ${name}-config
${secretRefs}
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
            limits:
              cpu: "1"
              memory: 512Mi
          # Alive once the process answers; a slow Postgres at start must not get it killed.
          startupProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 2
            timeoutSeconds: 2
            failureThreshold: 30
          # /readyz checks Postgres and Redis (each within 2 s) and answers 503 once draining.
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          lifecycle:
            # Endpoints and kube-proxy rules take a few seconds to drop a terminating pod;
            # until then new requests still arrive, so SIGTERM (the drain) waits.
            preStop:
              exec:
                command: ["sleep", "5"]
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            privileged: false
            capabilities:
              drop: ["ALL"]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  labels:
${labels(name, '    ')}
spec:
  type: ClusterIP
  selector:
${selector(name, '    ')}
  ports:
    - name: http
      port: ${httpPort}
      targetPort: http
      protocol: TCP
      appProtocol: http
    - name: grpc
      port: ${grpcPort}
      targetPort: grpc
      protocol: TCP
      appProtocol: kubernetes.io/h2c
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
  labels:
${labels(name, '    ')}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${name}
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
  behavior:
    scaleDown:
      # Traffic dips between bursts; scale in only after five quiet minutes.
      stabilizationWindowSeconds: 300
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${name}
  labels:
${labels(name, '    ')}
spec:
  # One pod at a time, whatever the replica count (a one-replica dev deployment can still drain).
  maxUnavailable: 1
  selector:
    matchLabels:
${selector(name, '      ')}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  labels:
${labels(name, '    ')}
spec:
  podSelector:
    matchLabels:
${selector(name, '      ')}
  policyTypes: ["Ingress"]
  ingress:
    # Mesh pods (peer services, the trace explorer) in this namespace, over tRPC and gRPC.
    - from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/part-of: mesh
      ports:
        - port: http
        - port: grpc
    # The ingress controller, for outside callers of either face.
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
      ports:
        - port: http
        - port: grpc
    # Prometheus, scraping /metrics.
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: monitoring
      ports:
        - port: http
`;
}
