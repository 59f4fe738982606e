import { SourceDoc } from '../bundle';
import { Level } from '../findings';

/** Collects findings for one document. */
export type Report = (d: SourceDoc, level: Level, rule: string, path: string, message: string) => void;

/** `key` escaped as one JSON-pointer segment (RFC 6901). */
export const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
