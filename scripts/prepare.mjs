// npm's `prepare`: builds dist/ when play is installed from a git checkout (or packed), so the
// tarball and a git install carry the built CLI. PLAY_SKIP_PREPARE=1 skips it where a build follows
// anyway (CI runs `npm test`, whose pretest builds).
import { spawnSync } from 'node:child_process';

if (process.env.PLAY_SKIP_PREPARE === '1') {
  process.stderr.write('prepare: skipped (PLAY_SKIP_PREPARE=1)\n');
} else {
  const r = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
