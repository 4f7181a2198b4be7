import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExtraVars } from '../../../runner/load/extra-vars.js';
import { MASK, Redactor } from '../../../runner/secrets/redact.js';

describe('-e values named like secrets', () => {
  it('are registered as secrets with a warning that recommends PLAY_SECRET_<NAME> or a vault', () => {
    const pw = `pw-${randomBytes(6).toString('hex')}`;
    const tok = `tok-${randomBytes(6).toString('hex')}`;
    const nested = `nk-${randomBytes(6).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), 'play-ev-'));
    writeFileSync(join(dir, 'v.yml'), `datadog_app_key: ${nested}\nplain: visible-value\n`);
    const redactor = new Redactor();
    const warnings: string[] = [];
    const vars = loadExtraVars([`db_password=${pw} use_token=true site=x`, `{"svc": {"api_token": "${tok}"}}`, '@v.yml'], dir, { password: undefined, redactor }, (w) => warnings.push(w));
    expect(vars).to.deep.include({ db_password: pw, site: 'x', use_token: 'true' });
    expect(redactor.redact(`${pw} ${tok} ${nested} visible-value x true`)).to.equal(`${MASK} ${MASK} ${MASK} visible-value x true`);
    expect(warnings).to.have.length(3);
    expect(warnings[0]).to.match(/^-e db_password: .*PLAY_SECRET_DB_PASSWORD .*vault/);
    expect(warnings.join('\n')).to.include('-e svc.api_token').and.include('-e datadog_app_key').and.not.include(pw);
  });
});
