/** The reliability suite's parts, in the order `npm run bench:reliability` runs them. */

import { derFuzzPart } from './der-fuzz.js';
import { floodPart } from './flood.js';
import { httpFuzzPart } from './http-fuzz.js';
import { killPart } from './kill.js';
import { mqttFuzzPart } from './mqtt-fuzz.js';
import type { ReliabilityPart } from './part.js';
import { soakPart } from './soak.js';

export const PARTS: readonly ReliabilityPart[] = [
  killPart,
  httpFuzzPart,
  derFuzzPart,
  mqttFuzzPart,
  floodPart,
  soakPart,
];
