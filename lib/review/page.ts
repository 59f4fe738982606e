/**
 * The review page: one self-contained HTML file (styles, script and pictures inline; no network) with,
 * per chart, the findings of the audit, a topology picture with a text alternative, and an inventory;
 * canary stages side by side; the plan each Flagger Canary / Argo Rollout will step through, stage by
 * stage; and, with a previous synth, a per-object diff.
 */
import * as path from 'path';
import { audit, AuditReport, PolicyMode } from '../audit/audit';
import { Bundle, isObj, Obj, SourceDoc } from '../audit/bundle';
import { Finding } from '../audit/findings';
import { SchemaCatalog } from '../audit/schema';
import { TrafficState, argoPlan, flaggerPlan } from './delivery-plan';
import { Change, diffSynths } from './diff';
import { EDGE_STYLE, renderTopologySvg } from './layout';
import { describeMatch, topology } from './topology';

/** Options for {@link renderReview}. */
export interface ReviewOptions {
  /** Page title. @default 'Infrastructure review' */
  readonly title?: string;
  /** The previous synth to diff against. @default - no diff section */
  readonly against?: SourceDoc[];
  /** What `against` is, for the heading (a folder or git ref). @default 'the previous synth' */
  readonly againstLabel?: string;
  /** How hardening findings count. @default PolicyMode.WARN */
  readonly policy?: PolicyMode;
  /** The schemas the page's audit validates against (see `AuditOptions.schemas`). @default - the shared default catalog */
  readonly schemas?: SchemaCatalog;
}

const esc = (s: unknown) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** The chart name of a manifest file (`dist/guestbook.k8s.yaml` → `guestbook`). */
export function chartName(file: string): string {
  return path.basename(file).replace(/\.k8s\.ya?ml$|\.ya?ml$/, '');
}

function findingList(findings: Finding[]): string {
  if (findings.length === 0) return '<p class="ok">No findings.</p>';
  return `<ul class="findings">${findings.map((f) => `<li class="finding level-${f.level}"><span class="badge">${f.level.toUpperCase()}</span> <code>${esc(f.kind)}/${esc(f.name)}</code> <span class="where">document #${f.doc} <code>${esc(f.path)}</code></span> <span class="msg">${esc(f.message)}</span> <span class="rule">(${esc(f.rule)})</span></li>`).join('')}</ul>`;
}

function inventory(docs: SourceDoc[]): string {
  const rows = docs.filter((d) => isObj(d.doc)).map((d) => {
    const doc = d.doc;
    const spec: Obj = doc.spec ?? {};
    const notes: string[] = [];
    if (spec.replicas !== undefined) notes.push(`${spec.replicas} replica${spec.replicas === 1 ? '' : 's'}`);
    const containers: Obj[] = spec.template?.spec?.containers ?? [];
    if (containers.length) notes.push(containers.map((c) => c.image).join(', '));
    if (doc.kind === 'Service') notes.push(`${spec.type ?? 'ClusterIP'} ${(spec.ports ?? []).map((p: Obj) => p.port).join(', ')}`);
    if (doc.kind === 'HorizontalPodAutoscaler') notes.push(`${spec.minReplicas ?? 1}–${spec.maxReplicas} replicas`);
    if (doc.kind === 'VirtualService') notes.push(`hosts ${(spec.hosts ?? []).join(', ')}`);
    return `<tr><td>${d.index}</td><td>${esc(doc.kind ?? '?')}</td><td>${esc(doc.metadata?.name ?? '<unnamed>')}</td><td>${esc(doc.metadata?.namespace ?? '')}</td><td>${esc(notes.join(' · '))}</td></tr>`;
  });
  return `<div class="scroll"><table class="inventory"><caption>Objects (${rows.length})</caption><thead><tr><th scope="col">#</th><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Namespace</th><th scope="col">Notes</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** Canary stages: VirtualServices of the same name and app rendered in several charts. */
function canaryStages(files: Map<string, SourceDoc[]>): string {
  const groups = new Map<string, Array<{ file: string; vs: Obj }>>();
  for (const [file, docs] of files) {
    for (const d of docs) {
      if (!isObj(d.doc) || d.doc.kind !== 'VirtualService') continue;
      const key = `${d.doc.metadata?.labels?.['app.kubernetes.io/name'] ?? ''}/${d.doc.metadata?.name}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push({ file, vs: d.doc });
    }
  }
  const blocks: string[] = [];
  for (const [key, stages] of groups) {
    if (stages.length < 2) continue;
    const cards = stages.map(({ file, vs }) => {
      const routes = (vs.spec?.http ?? []).map((r: Obj) => {
        const dests: Obj[] = r.route ?? [];
        const bars = dests.map((rt) => {
          const w = dests.length === 1 ? rt.weight ?? 100 : rt.weight ?? 0;
          const to = rt.destination?.subset ?? rt.destination?.host;
          return `<li class="split" data-to="${esc(to)}" data-weight="${w}"><span class="to">${esc(to)}</span> <span class="pct">${w}%</span><span class="bar" style="width:${w}%" aria-hidden="true"></span></li>`;
        }).join('');
        return `<div class="rule"><div class="match">${esc(r.name ? `${r.name}: ` : '')}${esc(describeMatch(r.match) || 'everyone else')}</div><ul class="splits">${bars}</ul></div>`;
      }).join('');
      const name = chartName(file);
      return `<article class="stage" data-chart="${esc(name)}"><h3><a href="#chart-${slug(name)}">${esc(name)}</a></h3>${routes}</article>`;
    }).join('');
    blocks.push(`<div class="stages-group"><h3 class="group-title">VirtualService ${esc(key.split('/').pop())}: ${stages.length} stages</h3><div class="stages">${cards}</div></div>`);
  }
  return blocks.length ? `<section id="canary" aria-labelledby="canary-h"><h2 id="canary-h">Canary stages side by side</h2>${blocks.join('')}</section>` : '';
}

/** One traffic state as the split bars of the canary section, then its match routes and mirror. */
function stateCard(s: TrafficState, index: number, total: number): string {
  const bars = Object.entries(s.weights).map(([to, w]) => `<li class="split" data-to="${esc(to)}" data-weight="${w}"><span class="to">${esc(to)}</span> <span class="pct">${w}%</span><span class="bar" style="width:${w}%" aria-hidden="true"></span></li>`).join('');
  const routes = s.routes.map((r) => `<li class="route">${esc(r.match.map((c) => c.replace(/:/g, ' ')).join(' and '))} → ${esc(r.version)}</li>`).join('');
  const mirror = s.mirror ? `<p class="mirror">mirror ${s.mirror.percentage}% → ${esc(s.mirror.version)}</p>` : '';
  const title = index === 0 ? 'start' : index === total - 1 ? 'promoted' : `step ${index}`;
  return `<li class="stage" data-step="${index}"><h4>${esc(title)}</h4>${routes ? `<ul class="routes">${routes}</ul>` : ''}<div class="rule"><div class="match">everyone else</div><ul class="splits">${bars}</ul></div>${mirror}</li>`;
}

/**
 * Delivery plans: what each Flagger Canary and Argo Rollout will step through, stage by stage, in plan
 * order, read from the rendered objects (lib/review/delivery-plan.ts). The running version is `stable`;
 * the new one is named by its workload's `version` label when it has one.
 */
function deliveryPlans(files: Map<string, SourceDoc[]>): string {
  const blocks: string[] = [];
  for (const [file, docs] of files) {
    const objs = docs.map((d) => d.doc).filter(isObj);
    for (const o of objs) {
      const flagger = o.kind === 'Canary' && String(o.apiVersion).startsWith('flagger.app/');
      const argo = o.kind === 'Rollout' && String(o.apiVersion).startsWith('argoproj.io/');
      if (!flagger && !argo) continue;
      const ref = flagger ? o.spec?.targetRef : o.spec?.workloadRef;
      const workload = objs.find((d) => d.kind === (ref?.kind ?? 'Deployment') && d.metadata?.name === ref?.name);
      const next = workload?.spec?.template?.metadata?.labels?.version ?? 'canary';
      const plan = flagger ? flaggerPlan(o, 'stable', next) : argoPlan(o, objs, 'stable', next);
      const what = flagger ? 'Flagger Canary' : `Argo Rollout (${o.spec?.strategy?.blueGreen ? 'blue/green' : 'canary'})`;
      const name = chartName(file);
      blocks.push(`<div class="stages-group" data-controller="${esc(o.kind)}/${esc(o.metadata?.name)}" data-chart="${esc(name)}"><h3 class="group-title">${esc(what)} ${esc(o.metadata?.name)} in <a href="#chart-${slug(name)}">${esc(name)}</a>: ${plan.length} stages</h3><ol class="stages plan">${plan.map((st, i) => stateCard(st, i, plan.length)).join('')}</ol></div>`);
    }
  }
  return blocks.length ? `<section id="delivery" aria-labelledby="delivery-h"><h2 id="delivery-h">Delivery plans, stage by stage</h2>${blocks.join('')}</section>` : '';
}

function diffSection(docs: SourceDoc[], against: SourceDoc[], label: string): string {
  const diffs = diffSynths(against, docs);
  const counts = Object.values(Change).map((c) => `${diffs.filter((d) => d.change === c).length} ${c}`).join(', ');
  const items = diffs.filter((d) => d.change !== Change.UNCHANGED).map((d) => `<details class="diff diff-${d.change}"${d.change === Change.CHANGED ? ' open' : ''}><summary><span class="badge">${d.change}</span> ${esc(d.title)} <span class="file">${esc(chartName(d.file))}</span></summary><pre>${d.lines.map((l) => `<span class="l${l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'ctx'}">${l.op} ${esc(l.text)}</span>`).join('\n')}</pre></details>`).join('');
  return `<section id="diff" aria-labelledby="diff-h"><h2 id="diff-h">Changes against ${esc(label)}</h2><p>${counts}. Changed objects first.</p>${items || '<p class="ok">No object changed.</p>'}</section>`;
}

const STYLE = `
:root{--fg:#1b1b1b;--muted:#5c5c5c;--bg:#fff;--panel:#f5f6f8;--line:#d6d9de;--err:#b00020;--pol:#8a5300;--warn:#6b5a00;--ok:#137a3a;--focus:#0b57d0}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
a{color:#0b57d0}.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:9}
header{padding:12px 20px;border-bottom:1px solid var(--line);background:var(--panel)}h1{font-size:20px;margin:0 0 4px}
.layout{display:grid;grid-template-columns:220px 1fr;min-height:100vh}nav{border-right:1px solid var(--line);padding:12px;position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto}
nav ul{list-style:none;margin:0;padding:0}nav li a{display:flex;justify-content:space-between;gap:6px;padding:4px 6px;border-radius:4px;text-decoration:none}nav li a:hover{background:var(--panel)}
main{padding:12px 20px;min-width:0}section{margin:0 0 28px}h2{font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px}
.count{font-size:12px;border-radius:9px;padding:0 7px;background:#e8eaed}.count.err{background:var(--err);color:#fff}.count.pol{background:#f6e3c6}
.findings{list-style:none;padding:0;margin:0 0 12px}.finding{padding:6px 8px;border-left:4px solid var(--line);margin:4px 0;background:var(--panel);overflow-wrap:anywhere}
.level-error{border-color:var(--err)}.level-policy{border-color:var(--pol)}.level-warning{border-color:var(--warn)}
.badge{font-size:11px;font-weight:700;padding:1px 5px;border-radius:3px;background:#e8eaed}.level-error .badge{background:var(--err);color:#fff}.level-policy .badge{background:#f6e3c6}
.where,.rule,.file{color:var(--muted)}.ok{color:var(--ok)}
.scroll{overflow:auto;max-width:100%;border:1px solid var(--line);border-radius:6px;background:#fcfcfd}
svg.topology .node rect{fill:#fff;stroke:#6b7280;stroke-width:1.2}svg.topology .node:focus{outline:none}svg.topology .node:focus rect,svg.topology .node.hl rect{stroke:var(--focus);stroke-width:3}
svg.topology .node-deployment rect,svg.topology .node-statefulset rect{fill:#eef4ff}svg.topology .node-virtualservice rect,svg.topology .node-gateway rect{fill:#f3ecfb}svg.topology .node-subset rect{fill:#eaf7ef}
svg.topology .node-secret rect,svg.topology .node-configmap rect{fill:#fff4e5}svg.topology .node-service rect{fill:#f2f2f2}svg.topology .node-ingress rect{fill:#e8f4f8}
svg.topology .node.faulty rect{stroke:var(--err);stroke-width:2.5}svg.topology .fault{fill:var(--err);font-weight:700}
svg.topology .kind{fill:var(--muted);font-size:11px}svg.topology .name{font-weight:600}svg.topology .detail{fill:var(--muted);font-size:11px}
svg.topology .edge-label{font-size:11px;paint-order:stroke;stroke:#fff;stroke-width:3px}svg.topology .edge.dim{opacity:.15}svg.topology .edge.hl polyline{stroke-width:3}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;padding:0;font-size:12px;color:var(--muted)}.legend svg{vertical-align:middle}
table{border-collapse:collapse;width:100%;font-size:13px}caption{text-align:left;font-weight:600;padding:6px 8px}th,td{text-align:left;padding:4px 8px;border-top:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
tr.hl td{background:#e8f0fe}
.plan{list-style:none;padding:0;margin:0}.stage h4{margin:0 0 6px;font-size:14px}.routes{margin:0 0 6px;padding-left:16px}
.stages{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:10px}.stage{border:1px solid var(--line);border-radius:6px;padding:8px 10px;background:var(--panel)}.stage h3{margin:0 0 6px;font-size:15px}
.rule{margin:6px 0}.match{font-size:12px;color:var(--muted)}.splits{list-style:none;padding:0;margin:2px 0}.split{position:relative;padding:1px 4px;margin:2px 0;background:#fff;border-radius:3px;overflow:hidden}.split .bar{position:absolute;left:0;top:0;bottom:0;background:#1f5fbf33}.split .to,.split .pct{position:relative}.split .pct{font-weight:700;float:right}
details.diff{border:1px solid var(--line);border-radius:6px;margin:6px 0}details.diff summary{padding:6px 8px;cursor:pointer}details.diff pre{margin:0;padding:8px;overflow:auto;font-size:12px;background:#fcfcfd}
.diff-changed .badge{background:#fde7b0}.diff-added .badge{background:#c9f0d3}.diff-removed .badge{background:#f8c9cf}.ladd{background:#e6ffec;display:block}.ldel{background:#ffebe9;display:block}.lctx{display:block;color:var(--muted)}
svg.topology{height:auto}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
@media (max-width:760px){.layout{display:block}nav{position:static;max-height:none;border-right:0;border-bottom:1px solid var(--line)}nav ul{display:flex;flex-wrap:wrap;gap:4px}main{padding:8px 10px}}
`;

// Keyboard and pointer: focusing a box highlights its arrows and their rows in the text table;
// `]`/`[` (or `n`/`p`) jump to the next/previous chart.
const SCRIPT = `
(function(){
  function clear(sec){sec.querySelectorAll('.hl').forEach(function(e){e.classList.remove('hl')});sec.querySelectorAll('.dim').forEach(function(e){e.classList.remove('dim')});}
  function show(node){var sec=node.closest('section');clear(sec);var id=node.getAttribute('data-node');node.classList.add('hl');
    sec.querySelectorAll('.edge').forEach(function(e){var on=e.getAttribute('data-from')===id||e.getAttribute('data-to')===id;e.classList.toggle('hl',on);e.classList.toggle('dim',!on);});
    sec.querySelectorAll('tr[data-from]').forEach(function(r){if(r.getAttribute('data-from')===id||r.getAttribute('data-to')===id)r.classList.add('hl');});}
  document.querySelectorAll('svg.topology .node').forEach(function(n){n.addEventListener('focus',function(){show(n)});n.addEventListener('mouseenter',function(){show(n)});n.addEventListener('blur',function(){clear(n.closest('section'))});
    n.addEventListener('keydown',function(ev){if(ev.key==='Escape'){n.blur();}});});
  var charts=[].slice.call(document.querySelectorAll('section.chart'));
  document.addEventListener('keydown',function(ev){if(ev.target&&/INPUT|TEXTAREA/.test(ev.target.tagName))return;var d=ev.key===']'||ev.key==='n'?1:ev.key==='['||ev.key==='p'?-1:0;if(!d||!charts.length)return;
    var y=window.scrollY+10,i=0;charts.forEach(function(c,k){if(c.offsetTop<=y)i=k;});var t=charts[Math.max(0,Math.min(charts.length-1,i+d))];var h=t.querySelector('h2');h.focus();h.scrollIntoView();ev.preventDefault();});
})();
`;

/**
 * Renders the review page for `docs` (every document of a synth, with their files) as one HTML string.
 *
 * @example
 * const html = await renderReview(loadManifests(['dist']), { against: loadManifests(['/tmp/main-dist']) });
 */
export async function renderReview(docs: SourceDoc[], options: ReviewOptions = {}): Promise<string> {
  const title = options.title ?? 'Infrastructure review';
  const report: AuditReport = audit(docs, { policy: options.policy ?? PolicyMode.WARN, schemas: options.schemas });
  const bundle = new Bundle(docs);
  const files = new Map<string, SourceDoc[]>();
  for (const d of docs) {
    if (!files.has(d.file)) files.set(d.file, []);
    files.get(d.file)!.push(d);
  }
  const navItems: string[] = [];
  const sections: string[] = [];
  for (const [file, fileDocs] of files) {
    const name = chartName(file);
    const id = `chart-${slug(name)}`;
    const findings = report.findings.filter((f) => f.file === file);
    const errors = findings.filter((f) => f.level === 'error').length;
    const policy = findings.filter((f) => f.level === 'policy').length;
    navItems.push(`<li><a href="#${id}"><span>${esc(name)}</span>${errors ? `<span class="count err" aria-label="${errors} errors">${errors}</span>` : policy ? `<span class="count pol" aria-label="${policy} policy findings">${policy}</span>` : ''}</a></li>`);
    const topo = topology(fileDocs, bundle);
    const nodeName = new Map(topo.nodes.map((n) => [n.id, `${n.kind} ${n.label}`]));
    const faulty = new Set(findings.filter((f) => f.level === 'error').map((f) => `${f.kind}/${f.namespace}/${f.name}`));
    const svg = await renderTopologySvg(topo, `Topology of chart ${name}: ${topo.nodes.length} objects, ${topo.edges.length} connections`, id, faulty);
    const edgeRows = topo.edges.map((e) => `<tr data-from="${esc(e.from)}" data-to="${esc(e.to)}" data-kind="${e.kind}"><td>${esc(nodeName.get(e.from))}</td><td>${esc(EDGE_STYLE[e.kind].name)}</td><td>${esc(nodeName.get(e.to))}</td><td>${esc(e.label)}</td></tr>`).join('');
    const ns = [...new Set(fileDocs.filter((d) => isObj(d.doc) && d.doc.metadata?.namespace).map((d) => d.doc.metadata.namespace))].join(', ');
    sections.push(`<section class="chart" id="${id}" aria-labelledby="${id}-h" data-chart="${esc(name)}">
<h2 id="${id}-h" tabindex="-1">${esc(name)} <span class="file">${esc(file)}${ns ? ` · namespace ${esc(ns)}` : ''}</span></h2>
<h3>Findings</h3>${findingList(findings)}
<h3>Topology</h3>
${svg ? `<figure><div class="scroll">${svg}</div><figcaption>Boxes are focusable (Tab): focusing one highlights its connections here and in the table below.</figcaption></figure>` : '<p>No objects with connections.</p>'}
${topo.edges.length ? `<div class="scroll"><table class="edges"><caption>Connections (text alternative of the picture)</caption><thead><tr><th scope="col">From</th><th scope="col">Meaning</th><th scope="col">To</th><th scope="col">Rule</th></tr></thead><tbody>${edgeRows}</tbody></table></div>` : ''}
<h3>Inventory</h3>${inventory(fileDocs)}
</section>`);
  }
  const legend = `<ul class="legend" aria-label="Legend">${Object.values(EDGE_STYLE).map((s) => `<li><svg width="28" height="8" aria-hidden="true"><line x1="0" y1="4" x2="28" y2="4" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/></svg> ${esc(s.name)}</li>`).join('')}</ul>`;
  const summary = `${files.size} chart${files.size === 1 ? '' : 's'}, ${report.documents} documents: <strong>${report.errors} errors</strong>, ${report.policy} policy, ${report.warnings} warnings (policy ${report.policyMode}).`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><a class="skip" href="#main">Skip to content</a>
<header><h1>${esc(title)}</h1><p id="summary">${summary} Keys: Tab moves through boxes, <kbd>]</kbd>/<kbd>[</kbd> jump between charts.</p>${legend}</header>
<div class="layout"><nav aria-label="Charts"><ul>${navItems.join('')}</ul></nav>
<main id="main">${options.against ? diffSection(docs, options.against, options.againstLabel ?? 'the previous synth') : ''}${canaryStages(files)}${deliveryPlans(files)}${sections.join('\n')}</main></div>
<script>${SCRIPT}</script></body></html>
`;
}
