// Preloaded into the CLI under test (node --import): at exit, write the process's peak RSS (KiB)
// to $PLAY_RSS_FILE. Catches short-lived runs that /proc sampling would miss.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const out = process.env.PLAY_RSS_FILE;
  if (out) writeFileSync(out, String(process.resourceUsage().maxRSS));
});
