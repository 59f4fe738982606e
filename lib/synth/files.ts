import * as path from 'path';
import { Chart, YamlOutputType } from 'cdk8s';

/**
 * The files of a file-per-resource synthesis, collected before anything is written: two objects that map to
 * the same file (same kind and name, e.g. in two namespaces or two charts) would silently overwrite each other.
 */
export class OneFilePerResource {
  /** File path → the object written there, in output order. */
  public readonly entries = new Map<string, any>();
  private readonly owners = new Map<string, Chart>();

  public constructor(private readonly outputType: YamlOutputType) {}

  /** Adds `o` (rendered by `chart`) as `file`; throws when another object already takes that file. */
  public add(file: string, o: any, chart: Chart): void {
    const first = this.entries.get(file);
    if (first !== undefined) {
      const show = (x: any, c: Chart) => `${x.kind} '${x.metadata?.name}' (namespace '${x.metadata?.namespace ?? '<none>'}', chart '${c.node.path}')`;
      throw new Error(
        `NoopsApp: yamlOutputType ${YamlOutputType[this.outputType]} writes ${show(o, chart)} to ${path.basename(file)}, the file of ${show(first, this.owners.get(file)!)}; ` +
        'the second would overwrite the first. Give the objects distinct names, or use YamlOutputType.FILE_PER_CHART' +
        (this.outputType === YamlOutputType.FILE_PER_RESOURCE ? ' or FOLDER_PER_CHART_FILE_PER_RESOURCE (one folder per chart)' : ''),
      );
    }
    this.entries.set(file, o);
    this.owners.set(file, chart);
  }
}
