#!/usr/bin/env node
// The `play` command as a plain ES module (dist/play.mjs bundles it); bin/play starts the snapshot when it can.
import { main } from './cli.js';

await main(process.argv, 'module');
