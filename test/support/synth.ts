/** Small helpers shared by the construct tests. */
import { Chart, Testing } from 'cdk8s';
import { allSchemaProblems } from './schema';

/** A fresh chart in a fresh test app. */
export function chart(namespace?: string): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}

/** Synthesizes a chart and asserts every document is schema-valid (unknown fields rejected). */
export function synth(c: Chart): any[] {
  const docs = Testing.synth(c);
  expect(allSchemaProblems(docs)).toEqual([]);
  return docs;
}

/** The first document of `kind` (and `name`, when given). */
export const find = (docs: any[], kind: string, name?: string) => docs.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));

/** Every document of `kind`. */
export const all = (docs: any[], kind: string) => docs.filter((d) => d.kind === kind);
