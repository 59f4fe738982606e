import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { compact, manifest } from '../../k8s-object';
import { ReleaseRouting } from '../model';

/** The Istio Gateway a release creates (if any), and the gateways its routes are bound to. */
export interface IstioGatewayBinding {
  /** The created Gateway. */
  readonly gateway?: ApiObject;
  /** The gateway references the routes are bound to: the gateway and `mesh` (empty: mesh only). */
  readonly gateways: string[];
}

/** Renders the created gateway (HTTP on 80, HTTPS on 443 with a credential) and names the gateways the routes bind to. */
export function renderGateway(scope: Construct, model: ReleaseRouting): IstioGatewayBinding {
  const gw = model.attachment.gateway;
  if (gw?.kind === 'created') {
    const hosts = model.attachment.gatewayHosts;
    const gateway = manifest(scope, 'Gateway', model.istio.apiVersion, 'Gateway', {
      labels: model.app.labels,
      name: gw.name,
      body: {
        spec: {
          selector: { ...gw.selector },
          servers: [
            compact({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [...hosts], tls: gw.redirectHttpToHttps ? { httpsRedirect: true } : undefined }),
            ...(gw.httpsCredentialName ? [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: [...hosts], tls: { mode: 'SIMPLE', credentialName: gw.httpsCredentialName } }] : []),
          ],
        },
      },
    });
    return { gateway, gateways: [gw.name, 'mesh'] };
  }
  if (gw) return { gateways: [gw.ref, 'mesh'] };
  return { gateways: [] };
}
