/** The reliability suite's parts, in the order `npm run bench:reliability` runs them. */

import { httpFuzzPart } from './http-fuzz.js';
import { killPart } from './kill.js';
import type { ReliabilityPart } from './part.js';
import { soakPart } from './soak.js';

export const PARTS: readonly ReliabilityPart[] = [killPart, httpFuzzPart, soakPart];
