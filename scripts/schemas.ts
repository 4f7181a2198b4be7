// `npm run schemas`: writes runner/load/schemas/play.bundle.schema.json from the file schemas and the
// module registry (spec/unit/load/schema-bundle.spec.ts fails when it is out of date).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleFromRegistry } from '../runner/load/schema-bundle-registry.js';
import { BUNDLE_FILE } from '../runner/load/schema-bundle.js';

const out = join(fileURLToPath(new URL('..', import.meta.url)), 'runner', 'load', 'schemas', BUNDLE_FILE);
writeFileSync(out, JSON.stringify(bundleFromRegistry(), null, 2) + '\n');
process.stdout.write(`wrote ${out}\n`);
