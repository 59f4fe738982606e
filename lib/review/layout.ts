/**
 * Lays a topology out with elkjs (the Eclipse Layout Kernel, layered algorithm) and draws it as SVG.
 * Layout runs when the page is generated, so the page ships a finished picture: no layout code to
 * download or run in the browser, and the picture is there without JavaScript.
 */
import { deepFreeze } from '../audit/frozen';
import { EdgeKind, Topology } from './topology';

/**
 * The elkjs constructor, loaded on first use: elkjs is an optional peer dependency that only the review
 * page needs. elk.bundled.js carries its own worker code, so it runs in Node without a Worker.
 */
function loadElk(): new () => { layout(graph: unknown): Promise<any> } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('elkjs/lib/elk.bundled.js');
  } catch {
    throw new Error('the review page lays out its pictures with the elkjs package, which is not installed: '
      + 'npm install --save-dev elkjs@^0.12 (an optional peer dependency of cdk8s-noops, needed by cdk8s-noops/review and the review command only)');
  }
}

const CHAR = 6.6;
const FONT = 12;
const LABEL_MAX = 46;

/** The colour and dash of each kind of edge (also explained in the page's legend). */
export const EDGE_STYLE: Readonly<Record<EdgeKind, Readonly<{ color: string; dash?: string; name: string }>>> = deepFreeze({
  route: { color: '#1f5fbf', name: 'traffic route (match · weight)' },
  serve: { color: '#1f5fbf', name: 'ingress rule' },
  select: { color: '#5a5a5a', name: 'selects pods' },
  network: { color: '#137a3a', dash: '6 4', name: 'NetworkPolicy allows' },
  secret: { color: '#a84f00', dash: '2 3', name: 'feeds env vars' },
  binding: { color: '#7a3fa8', dash: '8 3 2 3', name: 'binding / secret' },
});

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Lays out `topo` and returns an SVG element (as text) whose boxes are focusable; boxes in `faulty` (node ids) are marked as having errors. */
export async function renderTopologySvg(topo: Topology, title: string, idPrefix: string, faulty: ReadonlySet<string> = new Set()): Promise<string> {
  if (topo.nodes.length === 0) return '';
  const ELK = loadElk();
  const elk = new ELK();
  const size = (n: Topology['nodes'][number]) => ({
    width: Math.max(110, Math.ceil(Math.max(n.label.length + n.kind.length + 1, clip(n.detail ?? '', LABEL_MAX).length) * CHAR) + 20),
    height: n.detail ? 44 : 30,
  });
  const graph = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '22',
      'elk.layered.spacing.nodeNodeBetweenLayers': '40',
      'elk.spacing.edgeLabel': '4',
      'elk.layered.spacing.edgeNodeBetweenLayers': '16',
      'elk.edgeRouting': 'POLYLINE',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    },
    children: topo.nodes.map((n) => ({ id: n.id, ...size(n) })),
    edges: topo.edges.map((e, i) => ({
      id: `e${i}`, sources: [e.from], targets: [e.to],
      labels: [{ text: clip(e.label, LABEL_MAX), width: Math.ceil(clip(e.label, LABEL_MAX).length * CHAR * 0.92) + 6, height: 14 }],
    })),
  };
  const laid = await elk.layout(graph);
  const W = Math.ceil(laid.width) + 8;
  const H = Math.ceil(laid.height) + 8;
  const parts: string[] = [];
  parts.push(`<svg class="topology" viewBox="-4 -4 ${W} ${H}" width="${W}" height="${H}" style="width:min(${W}px, max(100%, ${Math.round(W * 0.8)}px))" role="group" aria-labelledby="${idPrefix}-title" font-size="${FONT}" font-family="system-ui, sans-serif">`);
  parts.push(`<title id="${idPrefix}-title">${esc(title)}</title>`);
  parts.push('<defs>');
  for (const [kind, st] of Object.entries(EDGE_STYLE)) {
    parts.push(`<marker id="${idPrefix}-arrow-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${st.color}"/></marker>`);
  }
  parts.push('</defs>');
  const byId = new Map(topo.nodes.map((n) => [n.id, n]));
  laid.edges.forEach((le: any, i: number) => {
    const e = topo.edges[i];
    const st = EDGE_STYLE[e.kind];
    const pts: string[] = [];
    for (const s of le.sections ?? []) {
      pts.push(`${s.startPoint.x},${s.startPoint.y}`);
      for (const b of s.bendPoints ?? []) pts.push(`${b.x},${b.y}`);
      pts.push(`${s.endPoint.x},${s.endPoint.y}`);
    }
    const from = byId.get(e.from)!;
    const to = byId.get(e.to)!;
    const text = `${from.kind} ${from.label} → ${to.kind} ${to.label}: ${e.label}`;
    parts.push(`<g class="edge edge-${e.kind}" data-from="${esc(e.from)}" data-to="${esc(e.to)}" data-label="${esc(e.label)}"><title>${esc(text)}</title>`);
    parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${st.color}" stroke-width="1.6"${st.dash ? ` stroke-dasharray="${st.dash}"` : ''} marker-end="url(#${idPrefix}-arrow-${e.kind})"/>`);
    const l = le.labels?.[0];
    if (l) parts.push(`<text class="edge-label" x="${l.x + 3}" y="${l.y + 11}" fill="${st.color}">${esc(l.text)}</text>`);
    parts.push('</g>');
  });
  for (const ln of laid.children) {
    const n = byId.get(ln.id)!;
    const detail = n.detail ? clip(n.detail, LABEL_MAX) : '';
    const bad = faulty.has(n.id);
    parts.push(`<g class="node node-${esc(n.kind.toLowerCase())}${bad ? ' faulty' : ''}" tabindex="0" role="img" data-node="${esc(n.id)}" aria-label="${esc(`${n.kind} ${n.label}${n.detail ? `, ${n.detail}` : ''}${bad ? ', has errors' : ''}`)}" transform="translate(${ln.x},${ln.y})">`);
    parts.push(`<rect width="${ln.width}" height="${ln.height}" rx="6"/>`);
    parts.push(`<text x="10" y="19"><tspan class="kind">${esc(n.kind)}</tspan> <tspan class="name">${esc(n.label)}</tspan></text>`);
    if (detail) parts.push(`<text class="detail" x="10" y="35">${esc(detail)}</text>`);
    if (bad) parts.push(`<text class="fault" x="${ln.width - 8}" y="14" text-anchor="end" aria-hidden="true">⚠</text>`);
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('');
}
