// node --import tsx testbed/datadog-api/cli.ts --port 8703 --data FILE [--site datadoghq.eu]
// Keys come from DD_API_KEY / DD_APP_KEY in the environment, never from argv.
import { parseArgs } from 'node:util';
import { startDatadogApi } from './server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '8703' }, data: { type: 'string' }, site: { type: 'string', default: 'datadoghq.com' } },
  });
  const apiKey = process.env.DD_API_KEY;
  const appKey = process.env.DD_APP_KEY;
  if (!values.data || !apiKey || !appKey) {
    process.stderr.write('usage: DD_API_KEY=... DD_APP_KEY=... cli.ts --port 8703 --data FILE\n');
    process.exit(2);
  }
  const api = await startDatadogApi({ port: Number(values.port), dataFile: values.data, apiKey, appKey, site: values.site });
  process.stdout.write(`datadog-api stand-in listening on ${api.url} (data ${values.data})\n`);
  const stop = (): void => {
    api.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
