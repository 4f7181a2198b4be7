// bin/play hands NODE_EXTRA_CA_CERTS over as PLAY_EXTRA_CA_CERTS; play gives it back to the environment
// its children inherit. (The HTTPS trust itself: spec/integration/api-playbook.spec.ts.)
import { expect } from 'chai';
import { HANDED_OVER, handBack } from '../../runner/tls-trust.js';

describe('deferred NODE_EXTRA_CA_CERTS', () => {
  it('takes the handed-over file and puts NODE_EXTRA_CA_CERTS back for child processes', () => {
    const env: NodeJS.ProcessEnv = { [HANDED_OVER]: '/etc/ssl/extra.pem', PATH: '/bin' };
    expect(handBack(env)).to.equal('/etc/ssl/extra.pem');
    expect(env).to.deep.equal({ NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem', PATH: '/bin' });
  });

  it('leaves an environment without it as it is', () => {
    const env: NodeJS.ProcessEnv = { PATH: '/bin' };
    expect(handBack(env)).to.equal(undefined);
    expect(env).to.deep.equal({ PATH: '/bin' });
  });
});
