// Renders a WebApp's objects from its model and state, through the renderers of lib/k8s. Called at synth
// (from Lazy values), so everything the WebApp's methods added by then is included.
import { Json } from '../core';
import {
  renderClaimTemplate, renderContainer, renderHpaSpec, renderIngressSpec, renderPdbSpec, renderPodSecurityContext, renderServiceSpec, type ServiceModel,
  renderPreferredHostAntiAffinity, renderTopologySpread, renderWorkloadSpec, restrictedSecurityContext,
} from '../k8s';
import { WebAppModel, WebAppState } from './model';
import { UpdateStrategy } from './types';

/** The app container (the first of the pod). */
export function mainContainer(m: WebAppModel, s: WebAppState): Json {
  return renderContainer({
    name: m.name,
    image: m.image,
    imagePullPolicy: m.imagePullPolicy,
    command: m.command,
    args: m.args,
    workingDir: m.workingDir,
    ports: m.ports.map((p) => ({ containerPort: p.containerPort, name: p.name, protocol: p.protocol })),
    env: s.env,
    envFrom: s.envFrom,
    resources: m.resources,
    readinessProbe: m.readiness,
    livenessProbe: m.liveness,
    startupProbe: m.startup,
    securityContext: restrictedSecurityContext(m.security),
    volumeMounts: s.mounts,
    preStopSleepSeconds: m.preStopSeconds,
  });
}

/**
 * The workload's `spec`: zero-downtime rolling updates (maxUnavailable 0) unless Recreate is asked, five
 * old revisions kept; a StatefulSet's governing Service is its `serviceName`.
 */
export function workloadSpec(m: WebAppModel, s: WebAppState, serviceName?: string): Json {
  return renderWorkloadSpec({
    kind: m.workloadKind,
    replicas: m.replicas,
    minReadySeconds: m.minReadySeconds,
    revisionHistoryLimit: 5,
    selector: m.selectorLabels,
    strategy: m.updateStrategy === UpdateStrategy.RECREATE ? { type: 'Recreate' } : { type: 'RollingUpdate', maxSurge: m.maxSurge, maxUnavailable: 0 },
    serviceName,
    volumeClaimTemplates: m.volumeClaimTemplates.map(renderClaimTemplate),
    template: {
      labels: m.podLabels,
      annotations: s.podAnnotations,
      automountServiceAccountToken: m.automountServiceAccountToken,
      serviceAccountName: m.serviceAccountName,
      hostname: m.hostname,
      nodeSelector: m.nodeSelector,
      topologySpreadConstraints: m.topologySpread.map(renderTopologySpread),
      affinity: m.hostAntiAffinity ? renderPreferredHostAntiAffinity(m.selectorLabels) : undefined,
      securityContext: renderPodSecurityContext(m.podSecurity),
      terminationGracePeriodSeconds: m.terminationGracePeriodSeconds,
      initContainers: s.initContainers,
      containers: [mainContainer(m, s), ...s.sidecars],
      volumes: s.volumes,
    },
  });
}

/** The Service's `spec`: every container port, targeted by name. */
export function serviceSpec(m: WebAppModel, s: WebAppState): Json {
  return renderServiceSpec(serviceModel(m, s));
}

/** The Service as data: what {@link serviceSpec} renders. */
export function serviceModel(m: WebAppModel, s: WebAppState): ServiceModel {
  return {
    type: m.serviceType,
    selector: m.selectorLabels,
    ports: m.ports.map((p) => ({
      name: p.name, port: p.servicePort, targetPort: p.name, protocol: p.protocol, appProtocol: p.appProtocol, nodePort: p.nodePort,
    })),
    externalTrafficPolicy: s.externalTrafficPolicy,
    sessionAffinityTimeoutSeconds: s.sessionAffinityTimeoutSeconds,
    loadBalancerSourceRanges: m.service?.loadBalancerSourceRanges,
  };
}

/** The HorizontalPodAutoscaler's `spec` (the model has `autoscaling`). */
export function hpaSpec(m: WebAppModel): Json {
  const as = m.autoscaling!;
  return renderHpaSpec({
    target: { kind: m.workloadKind, name: m.name },
    minReplicas: m.minReplicas,
    maxReplicas: m.maxReplicas,
    cpuUtilization: as.cpuUtilization,
    podsMetric: as.podsMetric,
    scaleDownStabilizationSeconds: as.scaleDownStabilizationSeconds,
  });
}

/** The PodDisruptionBudget's `spec` (the model's budget is not `none`). */
export function pdbSpec(m: WebAppModel): Json {
  const budget = m.disruptionBudget;
  return renderPdbSpec({
    field: budget.field as 'maxUnavailable' | 'minAvailable', value: budget.value, selector: m.selectorLabels, unhealthyPodEvictionPolicy: m.unhealthyPodEvictionPolicy,
  });
}

/** The Ingress's `spec`. */
export function ingressSpec(s: WebAppState): Json {
  return renderIngressSpec({ className: s.ingressClassName, rules: s.ingressRules, tls: s.ingressTls });
}
