// The port a service listens on, read from its own environment when its Compose file declares none
// (`PORT=3000`, `ADDRESS=0.0.0.0:8000`): without it, a service others reach through a proxy config or
// client code (react-rust-postgres' frontend proxies to http://backend:8000) would get no Service.
import { Protocol } from '../web-app';
import { ComposeConversion } from './context';
import { EnvEntry } from './env';
import { ServicePort } from './model';

/** Variables whose value is the port the service itself serves (not a port of another service, like `DB_PORT`). */
const OWN_PORT_KEY = /^(PORT|HTTP_PORT|SERVER_PORT|LISTEN_PORT|APP_PORT)$/i;
/** An address on every interface: `0.0.0.0:8000`, `[::]:8000`, `*:8000`, `:8000`. */
const WILDCARD_ADDRESS = /^(?:0\.0\.0\.0|\[::\]|::|\*)?:(\d{1,5})$/;

/** The ports service `n` listens on according to its environment `env`, noted; empty when it names none. */
export function listenPortsFromEnv(ctx: ComposeConversion, n: string, env: readonly EnvEntry[]): ServicePort[] {
  const ports = new Map<number, string>();
  for (const e of env) {
    if (e.value === null) continue;
    const v = e.value.trim();
    const port = OWN_PORT_KEY.test(e.key) && /^\d{1,5}$/.test(v) ? Number(v) : Number(WILDCARD_ADDRESS.exec(v)?.[1] ?? NaN);
    if (port >= 1 && port <= 65535 && !ports.has(port)) ports.set(port, e.label);
  }
  for (const [port, label] of ports) {
    ctx.note(`service ${n} declares no port; it listens on ${port} by its ${label}, so its Service serves ${port} (${ctx.portAdvice(n, false)} if not)`);
  }
  return [...ports.keys()].sort((a, b) => a - b).map((containerPort) => ({ containerPort, protocol: Protocol.TCP, source: 'environment' as const }));
}
