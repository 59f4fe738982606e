// The public API of cdk8s-noops: constructs, their props and the value types they take. Helpers stay
// internal. The tools are on their own entry points, so apps that only synthesize never load them:
// `cdk8s-noops/audit` (audit(), the engine of `cdk8s-noops check`) and `cdk8s-noops/review`.

export {
  BindMountPolicy, ComposeApp, type ComposeAppOptions, type ComposeAppProps, type ComposeFix, ComposeProblems, type ComposeSecretSource,
  type ComposeServiceOptions, type ComposeServiceResult, type ComposeVolumeOptions,
  type ComposePort, ComposeSource,
} from './compose';
export {
  type ArgoRolloutsDeliveryOptions, type BlueGreenPlanOptions, CanaryGateway, type CanaryGatewayOptions, type CanaryMirror, CanaryMode, CanaryPlan,
  CanaryRelease, type CanaryReleaseProps, type CanaryRoute, type CanaryStage, type CanaryStickyOptions,
  type CanaryVersion, Delivery, DeliveryKind, type FlaggerDeliveryOptions, type FlaggerLoadTestOptions, type GatewayApiOptions, IstioApiVersion,
  type PrometheusMetricOptions, type ProgressivePlanOptions, RouteMatch, StringMatch, TrafficApi,
} from './canary';
export {
  type CertificateRef, Gateway, type GatewayListener, type GatewayProps, type IGateway, ListenerProtocol, RouteNamespaces,
} from './gateway';
export {
  AsoMySqlApiVersion, type AzureServiceOperatorMySqlOptions, BackupRedundancy, type CredentialKeys,
  DEFAULT_MYSQL_ENV, type ExternalMySqlOptions, type FirewallRule, FlexibleServerTier, FlexibleServerVersion,
  type InClusterCredentialKeys, type InClusterMySqlOptions, type IOsbaMySqlServer, type MySqlBindOptions,
  MySqlBinding, type MySqlBindingProps, type MySqlConnection, type MySqlEnvNames, MySqlProvider, MySqlSetting,
  type MySqlValueSource, OSBA_MYSQL_SECRET_KEYS, type OsbaMySqlDatabaseOptions, type OsbaMySqlOptions,
  OsbaMySqlServer, type OsbaMySqlServerOptions, type OsbaMySqlServerProps, type OsbaObjectNames,
  type ParametersFromSource, type SecretKeyReference, type SecretTransform, type ServiceBindingSpec,
  type ServiceInstanceSpec, SslEnforcement,
} from './mysql';
export {
  MeshDataplane, MeshNamespace, type MeshNamespaceProps, Namespace, type NamespaceProps, PodSecurityLevel,
} from './namespace';
export {
  type ChartManifests, NoopsApp,
} from './synth';
export {
  AffinityMode, type ClientIpOptions, CookieSameSite, DefaultBackend, type GatewayApiCookieOptions, GatewayImplementation, type IServiceBackend,
  type IstioConsistentHashOptions, type IstioHashCookie, type NginxCookieOptions, type NotFoundBackendOptions,
  StickyIngress, type StickyIngressProps, type StickyPathOptions, StickyStrategy, StickyStrategyKind,
} from './sticky';
export {
  type AutoscalingOptions, type Capability, DisruptionBudget, EnvFrom, EnvValue, ExternalTrafficPolicy, type GatewayExposureOptions,
  ImagePullPolicy, type IngressOptions, type InitContainerOptions, type IsolateOptions, type KeyRefOptions,
  MetricsExporter, NetworkPeer, type NetworkProbeOptions, PathType, type PodsMetric, type PortOptions, Probe,
  type ProbeOptions, Protocol, type ResourceRange, type Resources, RoutePlacement, type SecurityOptions, SeccompProfile, ServiceType,
  TopologySpread, type TopologySpreadConstraint, type WhenUnsatisfiable, WebApp, WebAppDefaults, type WebAppDefaultsProps, type WebAppProps,
  type ResolvedPort, UpdateStrategy, VolumeAccessMode, type VolumeClaimTemplate, WorkloadKind,
} from './web-app';
export { ValidationError } from './core/errors';
export { type Json } from './core/json';
export { type MatchCondition, type StringMatchSpec } from './routing/model';
