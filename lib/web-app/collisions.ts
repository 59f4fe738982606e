// Synth-time checks across the WebApps of one construct tree: a fixed node port used twice, and
// selectors of two apps in one namespace that match each other's pods.
import { IConstruct } from 'constructs';
import type { WebApp } from './webapp';

/** The WebApps of one construct tree, indexed for the collision checks (built once per tree, not once per app). */
interface CollisionIndex {
  /** How many WebApps the tree had when the index was built: a WebApp created since makes it stale. */
  readonly stamp: number;
  /** Each WebApp's position in tree order (the later of two colliding apps reports). */
  readonly order: Map<WebApp, number>;
  /** WebApps with a Service, by fixed node port. */
  readonly byNodePort: Map<number, WebApp[]>;
  /** WebApps by namespace and `app` label (every selector includes `app`). */
  readonly byApp: Map<string, WebApp[]>;
}

/** The WebApps created in one tree, and the index last built from them. */
interface TreeApps {
  /** Every WebApp created in the tree (also those whose constructor threw and that a caller caught). */
  readonly apps: Set<WebApp>;
  /** The index, once built. */
  index?: CollisionIndex;
}

/**
 * The key under which a tree's {@link TreeApps} is kept on its root construct (a non-enumerable
 * property, as aws-cdk's `Aspects.of` keeps a scope's aspects), so that no module-level state holds it.
 */
const TREE_APPS = Symbol('WebApp collisions');

function treeApps(root: IConstruct): TreeApps {
  const holder = root as { [TREE_APPS]?: TreeApps };
  let tree = holder[TREE_APPS];
  if (!tree) {
    tree = { apps: new Set() };
    Object.defineProperty(root, TREE_APPS, { value: tree, configurable: true, enumerable: false, writable: false });
  }
  return tree;
}

function appKey(app: WebApp): string {
  return `${app.namespace ?? ''}\u0000${app.selectorLabels.app}`;
}

function collisionIndex(root: IConstruct): CollisionIndex {
  const tree = treeApps(root);
  const cached = tree.index;
  if (cached && cached.stamp === tree.apps.size) return cached;
  const index: CollisionIndex = { stamp: tree.apps.size, order: new Map(), byNodePort: new Map(), byApp: new Map() };
  const push = <K>(map: Map<K, WebApp[]>, key: K, app: WebApp) => {
    const list = map.get(key);
    if (list) list.push(app);
    else map.set(key, [app]);
  };
  for (const node of root.node.findAll()) {
    const c = node as WebApp;
    // (A WebApp whose constructor threw, and that a caller caught, stays in the tree half-built: skip it.)
    if (!tree.apps.has(c) || !c.ports || !c.selectorLabels) continue;
    index.order.set(c, index.order.size);
    if (c.service) new Set(c.ports.map((p) => p.nodePort).filter((n): n is number => n !== undefined)).forEach((n) => push(index.byNodePort, n, c));
    push(index.byApp, appKey(c), c);
  }
  tree.index = index;
  return index;
}

/** The collision checks of one WebApp against the WebApps created before it in tree order. */
export class CollisionCheck {
  private cache?: { readonly index: CollisionIndex; readonly errors: string[] };

  /** Registers `app`, being constructed, with its tree's checks. */
  public constructor(private readonly app: WebApp) {
    treeApps(app.node.root).apps.add(app);
  }

  /**
   * Synth-time check against the WebApps created before this one in the same cdk8s App: a node port
   * is allocated cluster-wide, so a second Service asking for it is rejected; and overlapping selectors
   * in one namespace make each Service route to the other app's pods and the Deployments fight over them.
   */
  public errors(): string[] {
    const app = this.app;
    const owner = `WebApp '${app.name}'`;
    const index = collisionIndex(app.node.root);
    // cdk8s's App.synth() validates the whole app once per chart: while no WebApp joins the tree, the
    // answer cannot change (it depends only on the apps' ports and labels, fixed at construction).
    if (this.cache?.index === index) return this.cache.errors;
    const errors: string[] = [];
    const mine = index.order.get(app) ?? Infinity;
    const earlier = (apps: WebApp[] | undefined) => (apps ?? []).filter((a) => (index.order.get(a) ?? Infinity) < mine);
    if (app.service) {
      for (const nodePort of new Set(app.ports.map((p) => p.nodePort).filter((n): n is number => n !== undefined))) {
        for (const other of earlier(index.byNodePort.get(nodePort))) {
          errors.push(`${owner}: nodePort ${nodePort} is also used by WebApp '${other.name}', and node ports are allocated cluster-wide, so the apiserver would reject the second Service; `
            + 'give each Service its own nodePort, or leave nodePort out to let Kubernetes pick one');
        }
      }
    }
    const matches = (selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>) =>
      Object.entries(selector).every(([k, v]) => labels[k] === v);
    for (const other of earlier(index.byApp.get(appKey(app)))) {
      if (matches(app.selectorLabels, other.podLabels) || matches(other.selectorLabels, app.podLabels)) {
        errors.push(`${owner}: selector ${JSON.stringify(app.selectorLabels)} overlaps the selector ${JSON.stringify(other.selectorLabels)} of WebApp '${other.name}' in the same namespace (one matches the other's pods), so a Service would route to both apps and the Deployments would fight over the pods; `
          + 'give each app its own appLabel, or set selectVersion on both with different versions');
      }
    }
    this.cache = { index, errors };
    return errors;
  }
}
