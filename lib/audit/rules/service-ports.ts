/**
 * A Service port that differs from the container port it targets by name, without saying it is meant:
 * clients that call the Service on the app's own port (`redis-master:6379`) are refused when the Service
 * serves it on another (`80 → tcp-redis`). Meant is: the port is listed in the Service's
 * `cdk8s-noops.io/intended-service-ports` annotation (WebApp writes it when `servicePort` is set to
 * another number), or it is 80 (443) in front of an `http...` (`https...`) port, the HTTP convention.
 */
import { INTENDED_SERVICE_PORTS_ANNOTATION, intendedServicePorts, isConventionalHttpPort } from '../../core/service-ports';
import { Bundle, containersOf, isObj, Obj, SourceDoc } from '../bundle';
import { Level } from '../findings';
import { selectedBy } from './references';
import { Report } from './report';

/** Warns about each named-target port of the Service `d` served on another number than its container port, unless meant. */
export function checkServicePortIntent(bundle: Bundle, d: SourceDoc, report: Report): void {
  const svc = d.doc;
  if (svc.kind !== 'Service' || svc.spec?.type === 'ExternalName') return;
  const pods = selectedBy(bundle, svc);
  if (pods.length === 0) return; // service-selector reports it
  const intended = new Set(intendedServicePorts(svc.metadata?.annotations));
  (Array.isArray(svc.spec?.ports) ? svc.spec.ports : []).forEach((p: Obj, i: number) => {
    if (!isObj(p) || typeof p.targetPort !== 'string' || typeof p.port !== 'number') return;
    const target: string = p.targetPort;
    const numbers = [...new Set(pods.flatMap((t) => containersOf(t).filter((c) => !c.init)
      .flatMap(({ c }) => (Array.isArray(c.ports) ? c.ports : []))
      .filter((cp: Obj) => isObj(cp) && cp.name === target && typeof cp.containerPort === 'number')
      .map((cp: Obj) => cp.containerPort as number)))];
    if (numbers.length === 0 || numbers.includes(p.port)) return; // an unknown name is service-port's error
    const name: string = typeof p.name === 'string' ? p.name : target;
    if (intended.has(name) || isConventionalHttpPort(p.port, target)) return;
    const own = numbers.join(' or ');
    report(d, Level.WARNING, 'service-port-intent', `/spec/ports/${i}/port`,
      `port ${JSON.stringify(name)} is served on ${p.port}, but its container port ${JSON.stringify(target)} is ${own}: clients calling `
      + `${svc.metadata?.name}:${numbers[0]} are refused; serve it on ${numbers[0]} (WebApp: leave servicePort out, the default is the container port), `
      + `or, if ${p.port} is meant, say so: set servicePort: ${p.port} on the WebApp port, or annotate the Service ${INTENDED_SERVICE_PORTS_ANNOTATION}: ${name}`);
  });
}
