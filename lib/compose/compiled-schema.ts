// The compiled Compose schema: a module of its own so that it is compiled once, when first required
// (by validateComposeSchema), and held as a constant instead of in a mutable module variable.
import { ValidateFunction } from 'ajv/dist/2019';
import { compileComposeSchema } from './parse';

/** The validator of the Compose specification's JSON schema (see {@link compileComposeSchema}). */
export const COMPOSE_VALIDATOR: ValidateFunction = compileComposeSchema();
