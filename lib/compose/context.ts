// The state one ComposeApp conversion shares between its steps, and the helpers every step uses.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { recommendedLabels } from '../core';
import { Json } from '../k8s-object';
import { fail, show } from '../core';
import { ComposeSource } from './parse';
import { ComposeProblems } from './problems';
import { ComposeAppProps, ComposeFix, ComposeServiceOptions } from './props';

/** Environment variable names that count as credentials unless `secretEnvPattern` says otherwise. */
export const DEFAULT_SECRET_ENV = /PASS|PWD|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE|PEM|SALT/i;
/** On a service's Service and its extra-name Services: the Compose service name (`DB` for the Service `db`). */
export const COMPOSE_NAME_ANNOTATION = 'cdk8s-noops.io/compose-service';

/**
 * Runs `f`; an error it throws is thrown again as `<owner>: <where>: <message>` (`<owner>: <message>`
 * without `where`), unless its message already starts with `owner`.
 */
export function prefixErrors<T>(owner: string, f: () => T, where?: () => string): T {
  try {
    return f();
  } catch (e) {
    const msg = (e as Error).message;
    throw new Error(msg.startsWith(owner) ? msg : `${owner}: ${where ? `${where()}: ` : ''}${msg}`);
  }
}

/** A key path into the Compose document: `['services', 'DB', 'ports', 0]`. */
export type KeyPath = Array<string | number>;

/**
 * One conversion of a Compose document: the parsed source, the options, where objects go, the notes
 * gathered so far, and the helpers that turn a problem at a key path into a `file:line key` message.
 * Every step of {@link ComposeApp} (names, services, volumes, environment, networks) works on it; it
 * lives as long as the conversion (nothing is kept between ComposeApps).
 */
export class ComposeConversion {
  /** What the conversion decided that a reader should know, in order (becomes `ComposeApp.notes`). */
  public readonly notes: string[] = [];
  /** Rendered PersistentVolumeClaims, by Compose volume name (becomes `ComposeApp.persistentVolumeClaims`). */
  public readonly persistentVolumeClaims: Record<string, ApiObject> = {};
  /** Services whose file sets no resources (they get the WebApp defaults; noted once). */
  public readonly unsized: string[] = [];
  /** Rendered ConfigMaps, by name (becomes `ComposeApp.configMaps`). */
  public readonly configMaps: Record<string, ApiObject> = {};
  /** Existing Secrets the pods read → the keys they read, in the order first asked for. */
  private readonly requiredKeys: Record<string, Set<string>> = {};
  /** ConfigMap name → what renders it (a Compose config or a bind mount), to refuse two origins of one name. */
  private readonly configMapOrigins = new Map<string, string>();
  /** The problems found so far, in order: all of them are thrown together by {@link throwProblems}. */
  private readonly problems: Error[] = [];
  /** Services with a problem: the later steps skip them (their problems are already reported). */
  private readonly broken = new Set<string>();

  /** A conversion for the ComposeApp `scope`, of the parsed document `source`. */
  public constructor(
    /** The ComposeApp: the parent of every object not rendered by a WebApp. */
    public readonly scope: Construct,
    /** `ComposeApp '<id>'`, the start of every message. */
    public readonly owner: string,
    /** The ComposeApp's props. */
    public readonly props: ComposeAppProps,
    /** The parsed, interpolated and validated Compose document. */
    public readonly source: ComposeSource,
    /** Directory relative paths (env_file, configs, bind mounts) resolve against. */
    public readonly baseDir: string,
    /** `app.kubernetes.io/part-of` of every object. */
    public readonly partOf: string,
    /** The namespace of the ComposeApp's chart, if any. */
    public readonly namespace: string | undefined,
  ) {}

  /**
   * The labels of an object the conversion renders itself (not a WebApp's): `app.kubernetes.io/part-of`
   * and `managed-by`, with `name` and `component` when given.
   */
  public objectLabels(name?: string, component?: string): Record<string, string> {
    return recommendedLabels({ name, component, partOf: this.partOf });
  }

  /** The Compose service `n` as written (after interpolation). */
  public service(n: string): Json {
    return this.source.data.services[n];
  }

  /** The options of service `n`: the per-service ones over the defaults. */
  public opts(n: string): ComposeServiceOptions {
    return { ...this.props.defaults, ...this.props.services?.[n] };
  }

  /** The advice that gives service `n` a port (the `portAdvice` option); `orPorts` mentions the list form. */
  public portAdvice(n: string, orPorts: boolean): string {
    return this.props.portAdvice?.(n) ?? this.props.fixAdvice?.({ option: 'port', service: n })
      ?? `set options.services.${n}.port${orPorts ? ' (or ports)' : ''}`;
  }

  /**
   * How a message tells the user to set the option `fix`: the caller's `fixAdvice` (the command line
   * names its flag), else `library`, the advice in terms of {@link ComposeAppOptions}.
   */
  public advise(fix: ComposeFix, library: string): string {
    return this.props.fixAdvice?.(fix) ?? library;
  }

  /** Records `<owner>: <file>:<line> <key path> <problem>; <fix>` about service `service` (if given) and goes on. */
  public report(at: KeyPath, problem: string, fix: string): void {
    this.attempt(at[0] === 'services' && typeof at[1] === 'string' ? at[1] : undefined, () => this.err(at, problem, fix));
  }

  /**
   * Runs one step of the conversion; a problem it throws is recorded (about service `service`, which
   * the later steps then skip) and `undefined` returned, so that the next steps still find theirs.
   * Errors that are not about the input (a `TypeError` is a bug) are thrown on.
   */
  public attempt<T>(service: string | undefined, f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) throw e;
      this.record(e instanceof ComposeProblems ? e.problems : [e]);
      if (service !== undefined) this.broken.add(service);
      return undefined;
    }
  }

  /** Records problems found before the conversion started (interpolation). */
  public record(problems: readonly Error[]): void {
    // A problem found again by a later step (a key two steps read) is reported once.
    for (const p of problems) if (!this.problems.some((q) => q.message === p.message)) this.problems.push(p);
  }

  /** True when a problem about service `n` was recorded. */
  public isBroken(n: string): boolean {
    return this.broken.has(n);
  }

  /** Throws every problem recorded so far in one {@link ComposeProblems} (or the one problem as it is). */
  public throwProblems(): void {
    if (this.problems.length) throw this.problemsError();
  }

  /** The problems recorded so far as one error: the problem itself when there is one, else {@link ComposeProblems}. */
  public problemsError(): Error {
    return this.problems.length === 1 ? this.problems[0] : new ComposeProblems(this.owner, this.source.file ?? 'the Compose document', this.problems);
  }

  /** The image of service `n` (options first), if any. */
  public imageOf(n: string): string | undefined {
    return this.opts(n).image ?? this.service(n).image;
  }

  /** The pattern that marks an environment variable name as a credential. */
  public get secretEnvPattern(): RegExp {
    return this.props.secretEnvPattern ?? DEFAULT_SECRET_ENV;
  }

  /** Adds a note. */
  public note(message: string): void {
    this.notes.push(message);
  }

  /** Throws `<owner>: <file>:<line> <key path> <problem>; <fix>`. */
  public err(at: KeyPath, problem: string, fix: string): never {
    return fail(this.owner, `${this.source.where(at)} ${problem}`, fix);
  }

  /** Runs `f` (a WebApp call), prefixing its error with the file, line and key it comes from. */
  public at<T>(keyPath: KeyPath, f: () => T): T {
    return prefixErrors(this.owner, f, () => this.source.where(keyPath));
  }

  /** Records that the pods read `key` of the existing Secret `secret`. */
  public requireSecretKey(secret: string, key: string): void {
    (this.requiredKeys[secret] ??= new Set()).add(key);
  }

  /** The existing Secrets the pods read, with their keys sorted (becomes `ComposeApp.requiredSecretKeys`). */
  public requiredSecretKeys(): Record<string, string[]> {
    return Object.fromEntries(Object.entries(this.requiredKeys).map(([k, v]) => [k, [...v].sort()]));
  }

  /** Records that `origin` renders ConfigMap `name`; fails when another origin already renders it. */
  public claimConfigMap(name: string, origin: string, keyPath: KeyPath): void {
    const other = this.configMapOrigins.get(name);
    if (other !== undefined && other !== origin) {
      this.err(keyPath, `${origin} and ${other} both give the ConfigMap name ${show(name)}`, 'rename one of them so their DNS-safe names differ');
    }
    this.configMapOrigins.set(name, origin);
  }
}
