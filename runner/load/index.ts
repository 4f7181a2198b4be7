// Public surface of the loader.
export { loadProject, type LoadOptions } from './project.js';
export { loadInventoryFile } from './inventory.js';
export { loadExtraVars } from './extra-vars.js';
export type { LoadedProject, LoadedRole, ModuleSource, RawPlay, RawItem, RawTask, RawBlock, RoleUse, ControllerFile } from './types.js';
