// One site: the list, did-you-mean at load time for what people paste, full links, DD_SITE.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appUrlOf, DATADOG_SITES, fullUrl, siteOf, siteVarsFromEnv } from '../../../runner/modules/datadog/site.js';
import { didYouMeanValue } from '../../../runner/load/suggest.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const schemaSites = (role: string): unknown =>
  (JSON.parse(readFileSync(join(ROOT, 'roles', role, 'meta', 'vars.schema.json'), 'utf8')) as { properties: { datadog_site: { enum: string[] } } }).properties.datadog_site.enum;

describe('Datadog sites', () => {
  it('both roles check datadog_site against the same list of sites', () => {
    expect(schemaSites('datadog-agent')).to.deep.equal([...DATADOG_SITES]);
    expect(schemaSites('datadog-api-objects')).to.deep.equal([...DATADOG_SITES]);
  });

  it('suggests the site for a pasted URL or a typo', () => {
    expect(didYouMeanValue('app.datadoghq.eu', [...DATADOG_SITES])).to.equal("; did you mean 'datadoghq.eu'?");
    expect(didYouMeanValue('https://us5.datadoghq.com/', [...DATADOG_SITES])).to.equal("; did you mean 'us5.datadoghq.com'?");
    expect(didYouMeanValue('us3.datadog.com', [...DATADOG_SITES])).to.equal("; did you mean 'us3.datadoghq.com'?");
    expect(didYouMeanValue('example.org', [...DATADOG_SITES])).to.equal('');
    expect(siteOf('https://app.datadoghq.eu/dashboard/lists')).to.equal('datadoghq.eu');
  });

  it('builds full dashboard links on the site', () => {
    expect(appUrlOf('datadoghq.com')).to.equal('https://app.datadoghq.com');
    expect(appUrlOf('datadoghq.eu')).to.equal('https://app.datadoghq.eu');
    expect(appUrlOf('us3.datadoghq.com')).to.equal('https://us3.datadoghq.com');
    expect(fullUrl('ap1.datadoghq.com', '/dashboard/abc-def-ghi/t')).to.equal('https://ap1.datadoghq.com/dashboard/abc-def-ghi/t');
  });

  it('DD_SITE feeds datadog_site', () => {
    expect(siteVarsFromEnv({ DD_SITE: 'datadoghq.eu' })).to.deep.equal({ datadog_site: 'datadoghq.eu' });
    expect(siteVarsFromEnv({})).to.deep.equal({});
  });
});
