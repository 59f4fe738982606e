// The typed facts constructs register in their app's registry, one kind per app-wide rule's input.
// Each fact is fixed when it is registered (the values come from validated props, set at construction).
import { FactKind } from './fact-kind';

/**
 * The construct renders API objects and asks for the app-wide rule that no two objects share API group,
 * kind, namespace and name (see rules/unique-objects.ts). The rule itself reads every API object of the
 * tree at validation time, hand-written ones included; the first construct to register carries it.
 */
export const RENDERS_OBJECTS = new FactKind<undefined>('renders API objects');

/** A Service's fixed `nodePort` (allocated cluster-wide), one fact per distinct port of a Service. */
export interface NodePortFact {
  /** The port. */
  readonly nodePort: number;
  /** Who asks for it, as errors name it (`WebApp 'web'`). */
  readonly owner: string;
}
/** See {@link NodePortFact}. */
export const NODE_PORTS = new FactKind<NodePortFact>('fixed nodePort');

/**
 * A workload's selector in a namespace (its Deployment's, and its Service's if any) and the labels of
 * its pods. Every selector includes `app`.
 */
export interface PodSelectorFact {
  /** The namespace (`undefined`: the kubectl context's). */
  readonly namespace: string | undefined;
  /** The selector. */
  readonly selector: Readonly<Record<string, string>>;
  /** The labels of the pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Who selects, as errors name it (`WebApp 'web'`). */
  readonly owner: string;
}
/** See {@link PodSelectorFact}. */
export const POD_SELECTORS = new FactKind<PodSelectorFact>('pod selector in a namespace');

/** The Secret an OSBA ServiceBinding writes (Service Catalog's binding owns it). */
export interface OsbaSecretFact {
  /** The namespace (`undefined`: the kubectl context's). */
  readonly namespace: string | undefined;
  /** The Secret's name. */
  readonly secretName: string;
  /** The binding's name (`MySqlBinding '<name>'`). */
  readonly name: string;
}
/** See {@link OsbaSecretFact}. */
export const OSBA_SECRETS = new FactKind<OsbaSecretFact>('OSBA binding Secret in a namespace');

/** The alias of a DBMS provisioned through OSBA (broker-wide). */
export interface OsbaServerAliasFact {
  /** The alias. */
  readonly alias: string;
  /** The server's name (`OsbaMySqlServer '<name>'`). */
  readonly name: string;
}
/** See {@link OsbaServerAliasFact}. */
export const OSBA_SERVER_ALIASES = new FactKind<OsbaServerAliasFact>('OSBA server alias');
