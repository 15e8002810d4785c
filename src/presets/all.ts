// Every preset, in the order a UI lists them.
import type { Preset } from '../types';
import { generic } from './generic';
import { webhook } from './webhook';

export const ALL_PRESETS: Preset[] = [generic, webhook];
