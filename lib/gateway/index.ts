/** The Gateway API Gateway construct and its value types (the renderer lives in lib/routing/gateway-api/). */
export { Gateway, type IGateway } from './gateway';
export { type CertificateRef, type GatewayListener, type GatewayProps, ListenerProtocol, RouteNamespaces } from './props';
