// Entry point of `cdk8s synth` (see cdk8s.yaml): renders every example app into dist/, one file per chart.
import { YamlOutputType } from 'cdk8s';
import { NoopsApp } from '../lib/synth';
import { EXAMPLE_APPS } from './index';

// NoopsApp: same files as cdk8s's App, but resolves and validates once for all charts (see lib/synth/noops-app.ts).
const app = new NoopsApp({ yamlOutputType: YamlOutputType.FILE_PER_CHART });
for (const example of EXAMPLE_APPS) example.build(app);
app.synth();
