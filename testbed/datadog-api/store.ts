// The stand-in's objects in one JSON file, re-read on every request and written with
// temp file + rename, so separate processes (CLI server, tests) see the same data.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';

export type Obj = Record<string, unknown>;

export interface Data {
  dashboards: Record<string, Obj>;
  monitors: Record<string, Obj>;
  downtimes: Record<string, Obj>;
  nextMonitorId: number;
}

export function emptyData(): Data {
  return { dashboards: {}, monitors: {}, downtimes: {}, nextMonitorId: 1000001 };
}

export async function loadData(file: string): Promise<Data> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Data>;
    return { ...emptyData(), ...parsed };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyData();
    throw e;
  }
}

export async function saveData(file: string, data: Data): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(data, null, 2) + '\n');
  await rename(tmp, file);
}

const ALPHA = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Dashboard ids look like "abc-def-ghi". */
export function dashboardId(): string {
  const part = (): string => Array.from(randomBytes(3), (b) => ALPHA[b % ALPHA.length]).join('');
  return `${part()}-${part()}-${part()}`;
}

/** Downtime ids are uuid-like strings. */
export function downtimeId(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
