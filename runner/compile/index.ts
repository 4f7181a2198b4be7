// Public surface of the compiler.
export { compilePlan } from './compile.js';
export type { CompileDeps, CompileOptions, CompileResult } from './types.js';
export type { WithVars } from './build.js';
