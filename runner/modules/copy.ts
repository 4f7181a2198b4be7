// copy: write `content` or a file from the role's files/ to dest. Probe: 1 exec.
import { basename, posix } from 'node:path';
import { defineModule } from './types.js';
import { contentSchemaProps, decideContent, overlayContent, predictContent, probeContent, type ContentArgs, type ContentProbe } from './content-file.js';

export interface CopyArgs extends ContentArgs {
  content?: string;
  src?: string;
  /** Filled by prepare(): the bytes to write. Not part of the schema. */
  _bytes?: Buffer;
}

export const copyModule = defineModule<CopyArgs, ContentProbe>({
  name: 'copy',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['dest'],
    properties: { ...contentSchemaProps, content: { type: 'string' }, src: { type: 'string', minLength: 1 } },
  },
  async prepare(args, env) {
    if (args.src === undefined) return args;
    return { ...args, _bytes: await env.readControllerFile('files', args.src) };
  },
  probe(args, ctx) {
    return probeContent(args.dest, args.src !== undefined ? basename(args.src) : undefined, ctx, args.follow === true);
  },
  overlay(args, probe, view) {
    // dest is a directory only an earlier task would have made: the file goes into it
    const into = args.src !== undefined && probe.info.path === args.dest && !args.dest.endsWith('/') && view.state.dirExists(args.dest)?.fact === true;
    const p = into ? { ...probe, info: { path: posix.join(args.dest, basename(args.src!)), type: 'absent' as const }, parentExists: true } : probe;
    return overlayContent(p, view);
  },
  predict: (args, probe, _d, view) => predictContent(args, args.content !== undefined ? Buffer.from(args.content, 'utf8') : args._bytes, probe, view),
  decide(args, probe, ctx) {
    if ((args.content === undefined) === (args.src === undefined)) return { kind: 'fail', msg: 'copy needs exactly one of content or src' };
    if (args.src?.endsWith('/')) return { kind: 'fail', msg: `copying a directory (src ${args.src}) is not supported` };
    const data = args.content !== undefined ? Buffer.from(args.content, 'utf8') : args._bytes;
    if (data === undefined) return { kind: 'fail', msg: `copy src ${args.src} was not read (prepare() did not run)` };
    return decideContent(args, data, probe, ctx);
  },
});
