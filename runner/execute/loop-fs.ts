// The controller's files as with_fileglob / with_first_found see them (runner/load/loops.ts).
import { readdirSync, statSync } from 'node:fs';
import type { LoopFs } from '../load/loops.js';

export const localLoopFs: LoopFs = {
  isFile: (abs) => {
    try {
      return statSync(abs).isFile();
    } catch {
      return false;
    }
  },
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
};
