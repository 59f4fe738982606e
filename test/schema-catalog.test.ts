// SchemaCatalog: compiled schemas belong to a catalog, so what one caller loads never reaches another;
// audit() uses the catalog it is given, else the shared read-only default. And lib/audit and lib/review
// keep no mutable module state (the rule the catalog exists for).
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { audit, defaultSchemaCatalog, extraSchemas, PolicyMode, SchemaCatalog, schemaProblems } from '../lib/audit';
import { lazy } from '../lib/core/lazy';

const WIDGET_CRD = path.join(__dirname, 'fixtures/crds/widget.yaml');
const widget = (spec: object) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' }, spec });
const rules = (docs: unknown[], schemas?: SchemaCatalog) => audit(docs, { policy: PolicyMode.OFF, schemas }).findings.map((f) => `${f.rule} ${f.path}: ${f.message}`);

describe('lazy()', () => {
  test('computes once, on the first call, and returns the same value after', () => {
    const make = jest.fn(() => ({ compiled: true }));
    const get = lazy(make);
    expect(make).not.toHaveBeenCalled();
    const first = get();
    expect(get()).toBe(first);
    expect(make).toHaveBeenCalledTimes(1);
  });

  test('keeps nothing when make throws: the next call tries again', () => {
    let calls = 0;
    const get = lazy(() => {
      calls++;
      if (calls === 1) throw new Error('not yet');
      return calls;
    });
    expect(() => get()).toThrow('not yet');
    expect(get()).toBe(2);
    expect(get()).toBe(2);
  });
});

describe('SchemaCatalog', () => {
  test('two catalogs are independent: a CRD loaded into one does not validate in the other', () => {
    const withWidgets = new SchemaCatalog();
    const without = new SchemaCatalog();
    expect(withWidgets.loadCrds(WIDGET_CRD)).toBe(withWidgets);
    expect(withWidgets.validate(widget({ size: 3 }))).toEqual({ problems: [], schema: true });
    expect(schemaProblems(widget({ size: 3, color: 'red' }), withWidgets)).toEqual(['/spec/color: unknown field']);
    expect(schemaProblems(widget({ size: 'big' }), withWidgets)).toEqual(['/spec/size: must be integer']);
    expect(without.validate(widget({ size: 3 }))).toEqual({ problems: [], schema: false });
    expect(defaultSchemaCatalog().validate(widget({ size: 3 })).schema).toBe(false);
    // Built-in schemas are in every catalog.
    expect(schemaProblems({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, dta: {} }, without)).toEqual(['/dta: unknown field']);
  });

  test('extraCrdFiles is loadCrds at construction', () => {
    const schemas = new SchemaCatalog({ extraCrdFiles: [WIDGET_CRD] });
    expect(schemaProblems(widget({}), schemas)).toEqual(["/spec: must have required property 'size'"]);
  });

  test('loadCrds registers one version under several names when asked', () => {
    const schemas = new SchemaCatalog().loadCrds(WIDGET_CRD, ['v1', 'v1beta1']);
    expect(schemas.validate({ ...widget({ size: 1, x: 1 }), apiVersion: 'example.com/v1beta1' }).problems).toEqual([{ path: '/spec/x', message: 'unknown field' }]);
  });

  test('extraSchemas: validators for one catalog, next to (or instead of) the built-in ones', () => {
    const check = (doc: any) => (doc.spec?.size > 10 ? ['/spec/size: at most 10'] : []);
    const schemas = new SchemaCatalog({ extraSchemas: { 'example.com/v1/Widget': { check } } });
    expect(schemaProblems(widget({ size: 11 }), schemas)).toEqual(['/spec/size: at most 10']);
    expect(schemaProblems(widget({ size: 11 }))).toEqual(['/: no schema for example.com/v1 Widget']);
    const instance = { apiVersion: 'servicecatalog.k8s.io/v1beta1', kind: 'ServiceInstance', metadata: { name: 'i' }, spec: { anything: 1 } };
    expect(schemaProblems(instance)).not.toEqual([]);
    const lenient = new SchemaCatalog({ extraSchemas: { 'servicecatalog.k8s.io/v1beta1/ServiceInstance': { check: () => [] } } });
    expect(schemaProblems(instance, lenient)).toEqual([]);
  });

  test('the built-in tables are frozen constants', () => {
    expect(Object.isFrozen(extraSchemas)).toBe(true);
    const instance = extraSchemas['servicecatalog.k8s.io/v1beta1/ServiceInstance'];
    expect(Object.isFrozen(instance)).toBe(true);
    expect(Object.isFrozen(instance.schema)).toBe(true);
    expect(Object.keys(extraSchemas)).toEqual(expect.arrayContaining(['servicecatalog.k8s.io/v1beta1/ServiceBinding', 'dbformysql.azure.com/v20231230/FlexibleServer']));
  });

  test('the default catalog is one shared, read-only instance', () => {
    expect(defaultSchemaCatalog()).toBe(defaultSchemaCatalog());
    expect(() => defaultSchemaCatalog().loadCrds(WIDGET_CRD)).toThrow(/read-only.*new SchemaCatalog/);
    expect(defaultSchemaCatalog().validate(widget({ size: 3 })).schema).toBe(false);
  });
});

describe('audit(docs, { schemas })', () => {
  test('uses the given catalog', () => {
    const schemas = new SchemaCatalog({ extraCrdFiles: [WIDGET_CRD] });
    const validate = jest.spyOn(schemas, 'validate');
    const shared = jest.spyOn(defaultSchemaCatalog(), 'validate');
    const docs = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, widget({ size: 3, color: 'red' })];
    expect(rules(docs, schemas)).toEqual(['unknown-field /spec/color: unknown field']);
    expect(validate).toHaveBeenCalledTimes(2);
    expect(shared).not.toHaveBeenCalled();
    validate.mockRestore();
    shared.mockRestore();
  });

  test('without one, uses the shared default catalog, untouched by catalogs used before', () => {
    const docs = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, widget({ size: 3, color: 'red' })];
    rules(docs, new SchemaCatalog({ extraCrdFiles: [WIDGET_CRD] }));
    const validate = jest.spyOn(defaultSchemaCatalog(), 'validate');
    expect(rules(docs)).toEqual(['no-schema /: no schema for example.com/v1 Widget; the document is not validated']);
    expect(validate).toHaveBeenCalledTimes(2);
    validate.mockRestore();
  });
});

describe('no mutable module state in lib/audit and lib/review', () => {
  const ROOT = path.join(__dirname, '..');
  const tsFiles = (dir: string): string[] => fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(rel) : e.name.endsWith('.ts') ? [rel] : [];
  });
  const files = ['lib/audit', 'lib/review'].flatMap(tsFiles);

  /**
   * What each file holds at module level that could change after load: a `let`/`var`, a Map/Set built at
   * load (outside any function or class), a regex with state (`g`/`y`), an exported object or array that is
   * not frozen. `lazy(...)` values are allowed (pure caches; see lib/core/lazy.ts).
   */
  function moduleState(file: string, text = fs.readFileSync(path.join(ROOT, file), 'utf8')): string[] {
    const src = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const out: string[] = [];
    const at = (n: ts.Node) => `${file}:${src.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const scan = (n: ts.Node): void => {
      if (ts.isFunctionLike(n) || ts.isClassLike(n)) return; // runs later, per call or per instance
      if (ts.isNewExpression(n) && /^(Map|Set|WeakMap|WeakSet)$/.test(n.expression.getText())) out.push(`${at(n)} new ${n.expression.getText()} at module level`);
      if (ts.isRegularExpressionLiteral(n) && /\/[a-z]*[gy][a-z]*$/.test(n.text)) out.push(`${at(n)} stateful regex ${n.text}`);
      ts.forEachChild(n, scan);
    };
    for (const st of src.statements) {
      if (!ts.isVariableStatement(st)) continue;
      if (!(st.declarationList.flags & ts.NodeFlags.Const)) out.push(`${at(st)} module-level let/var`);
      const exported = st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      for (const d of st.declarationList.declarations) {
        if (d.initializer) scan(d.initializer);
        const init = d.initializer && ts.isAsExpression(d.initializer) ? d.initializer.expression : d.initializer;
        if (exported && init && (ts.isObjectLiteralExpression(init) || ts.isArrayLiteralExpression(init))) out.push(`${at(d)} exported ${d.name.getText()} is not frozen`);
      }
    }
    return out;
  }

  test('finds the files', () => {
    expect(files).toEqual(expect.arrayContaining(['lib/audit/schema.ts', 'lib/audit/aso-schemas.ts', 'lib/review/page.ts']));
  });

  test('no module-level let/var, Map/Set, stateful regex or unfrozen exported table', () => {
    expect(files.flatMap((f) => moduleState(f))).toEqual([]);
  });

  test('the check itself catches what it claims to', () => {
    const probe = "let n = 0;\nconst m = new Map();\nconst r = /x/g;\nexport const T = ['a'];\nexport const F = Object.freeze(['a']);\n"
      + 'const l = lazy(() => new Map());\nfunction f() { return new Set(); }\nclass C { private readonly m = new Map(); }\n';
    expect(moduleState('probe.ts', probe)).toEqual([
      'probe.ts:1 module-level let/var', 'probe.ts:2 new Map at module level', 'probe.ts:3 stateful regex /x/g', 'probe.ts:4 exported T is not frozen',
    ]);
  });
});
