// template: render a file from the role's templates/ on the controller (Jinja as Ansible does;
// a .hbs file with Handlebars), then write it like copy. Probe: 1 exec.
import { defineModule } from './types.js';
import { contentSchemaProps, decideContent, overlayContent, predictContent, probeContent, type ContentArgs, type ContentProbe } from './content-file.js';

export interface TemplateArgs extends ContentArgs {
  src: string;
  /** Filled by prepare(): the rendered text as bytes. Not part of the schema. */
  _bytes?: Buffer;
}

export const templateModule = defineModule<TemplateArgs, ContentProbe>({
  name: 'template',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest'],
    properties: { ...contentSchemaProps, src: { type: 'string', minLength: 1 } },
  },
  async prepare(args, env) {
    const text = (await env.readControllerFile('templates', args.src)).toString('utf8');
    return { ...args, _bytes: Buffer.from(env.renderTemplate(text, args.src), 'utf8') };
  },
  probe(args, ctx) {
    return probeContent(args.dest, undefined, ctx, args.follow === true);
  },
  overlay: (_args, probe, view) => overlayContent(probe, view),
  predict: (args, probe, _d, view) => predictContent(args, args._bytes, probe, view),
  decide(args, probe, ctx) {
    if (args._bytes === undefined) return { kind: 'fail', msg: `template ${args.src} was not rendered (prepare() did not run)` };
    return decideContent(args, args._bytes, probe, ctx);
  },
});
