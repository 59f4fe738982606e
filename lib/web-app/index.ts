// The WebApp family: the names it has always exported, plus the workload
// types (WorkloadKind, UpdateStrategy, VolumeClaimTemplate, VolumeAccessMode). The Kubernetes-level ones
// (enums, SeccompProfile, resources, security context) are defined in lib/k8s.
export {
  type Capability, DEFAULT_UID, ExternalTrafficPolicy, ImagePullPolicy, PathType, Protocol, type ResourceRange, type Resources, SeccompProfile,
  type SecurityOptions, ServiceType, VolumeAccessMode, WorkloadKind, renderResources, restrictedSecurityContext,
} from '../k8s';
export { BUSYBOX_IMAGE, DEFAULT_EMPTY_DIR_SIZE_LIMIT, DEFAULT_RESOURCES, HELPER_RESOURCES, WebAppDefaults, type WebAppDefaultsProps } from './defaults';
export { DisruptionBudget } from './disruption-budget';
export { EnvFrom, EnvValue, type KeyRefOptions } from './env';
export { type GatewayExposureOptions, RoutePlacement } from './gateway-exposure';
export { NetworkPeer } from './network-peer';
export { type NetworkProbeOptions, Probe, type ProbeOptions } from './probe';
export {
  type AutoscalingOptions, type IngressOptions, type InitContainerOptions, type IsolateOptions, MetricsExporter, type PodsMetric,
  type PortOptions, type ResolvedPort, UpdateStrategy, type VolumeClaimTemplate, type WebAppProps,
} from './types';
export { HOSTNAME_TOPOLOGY_KEY, TopologySpread, type TopologySpreadConstraint, ZONE_TOPOLOGY_KEY } from './topology-spread';
export { type WhenUnsatisfiable } from '../k8s';
export { WebApp } from './webapp';
