// Bare runner start-up: what every `npm run synth` pays before building anything (loader + cdk8s + lib).
import { App } from 'cdk8s';
import * as lib from '../lib';

if (!lib.NoopsApp || !App) throw new Error('not loaded');
