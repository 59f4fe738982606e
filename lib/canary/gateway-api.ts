import { fail, show } from '../core';
import { IGateway, gatewayParent } from '../gateway/gateway';
import { GatewayApiSettings } from '../routing/gateway-api/api';
import { validateRouteHostnames } from '../routing/gateway-api/hostnames';
import { validateSectionName } from '../routing/gateway-api/parent-ref';
import { HostAttachment } from '../routing/model';
import { CanaryReleaseProps } from './props';
import { GatewayApiOptions } from './traffic-api';

/** CanaryRelease's `TrafficApi.gatewayApi(...)` options → the model's attachment and the renderer's settings. */

/** The routing model's attachment for the Gateway API: the Gateway by reference, the hostnames as gateway hosts. */
export function gatewayApiAttachment(owner: string, release: { readonly name: string }, props: CanaryReleaseProps, options: GatewayApiOptions): HostAttachment {
  if (props.gateway) {
    fail(owner, 'gateway (an Istio CanaryGateway) is set with TrafficApi.gatewayApi', 'attach to a Gateway API Gateway with TrafficApi.gatewayApi({ gateway, hostnames }), or render with TrafficApi.istio()', 'gateway');
  }
  if (props.apiVersion !== undefined) {
    fail(owner, `apiVersion ${show(props.apiVersion)} (the Istio API version) is set with TrafficApi.gatewayApi, which renders no Istio object`, 'drop apiVersion, or render with TrafficApi.istio()', 'apiVersion');
  }
  const gateway = options.gateway;
  if (gateway !== undefined && (typeof gateway !== 'object' || typeof gateway.gatewayName !== 'string')) {
    fail(owner, `trafficApi gateway ${show(String(gateway))} is not a Gateway`, 'pass a Gateway of this app or Gateway.fromGatewayName(name, namespace)', 'trafficApi');
  }
  const given = options.hostnames ?? [];
  if (Array.isArray(given) && given.length && !gateway) fail(owner, `trafficApi hostnames ${show(given[0])} are set without a gateway`, 'set gateway (the Gateway that serves these hostnames)', 'trafficApi');
  const hostnames = validateRouteHostnames(owner, 'trafficApi hostnames', given, 'trafficApi');
  if (props.plan?.hosts.length && !gateway) {
    fail(owner, `the plan's preview host ${show(props.plan.hosts[0])} is served through a Gateway (an HTTPRoute of its own), but TrafficApi.gatewayApi has no gateway`,
      'set TrafficApi.gatewayApi({ gateway }), or use CanaryPlan.blueGreen\'s previewHeader instead of previewHost', 'plan');
  }
  (props.plan?.hosts ?? []).forEach((h) => {
    if (hostnames.includes(h)) {
      fail(owner, `the plan's preview host ${show(h)} is also in trafficApi hostnames, so the release's route and its preview route would serve the same hostname`, `drop ${show(h)} from hostnames (the preview route serves it)`, 'trafficApi');
    }
  });
  return {
    meshHost: release.name,
    gatewayHosts: [...hostnames],
    gateway: gateway ? { kind: 'existing', ref: gateway.gatewayNamespace !== undefined ? `${gateway.gatewayNamespace}/${gateway.gatewayName}` : gateway.gatewayName } : undefined,
  };
}

/** The Gateway API renderer's settings (`previewHosts`: the plan's preview hosts, each served by an HTTPRoute of its own). */
export function gatewayApiSettings(owner: string, options: GatewayApiOptions, previewHosts: readonly string[] = []): GatewayApiSettings {
  for (const key of ['mesh', 'experimental'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') fail(owner, `trafficApi ${key} ${show(options[key])} is not a boolean`, `set ${key} to true or false`, 'trafficApi');
  }
  const sectionName = validateSectionName(owner, 'trafficApi sectionName', options.sectionName, 'trafficApi');
  if (sectionName !== undefined && !options.gateway) fail(owner, `trafficApi sectionName ${show(sectionName)} is set without a gateway`, 'set gateway (the Gateway whose listener it names)', 'trafficApi');
  return {
    gateway: options.gateway ? gatewayParent(options.gateway as IGateway, sectionName) : undefined,
    mesh: options.mesh ?? true,
    experimental: options.experimental ?? false,
    ...(previewHosts.length ? { hostRoutes: [...previewHosts] } : {}),
  };
}
