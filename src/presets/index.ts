export { getPreset, listPresets, resolvePolicy } from './registry';
export { DEFAULT_POLICY } from './defaults';
