// Pure: Datadog's sites (https://docs.datadoghq.com/getting_started/site/), their API and web
// addresses, and a "did you mean" for values people paste from the browser (app.datadoghq.eu).

/** Site parameters, as datadog.yaml's `site` and DD_SITE take them. */
export const DATADOG_SITES = [
  'datadoghq.com',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'datadoghq.eu',
  'ap1.datadoghq.com',
  'ap2.datadoghq.com',
  'ddog-gov.com',
  'us2.ddog-gov.com',
] as const;

export type DatadogSite = (typeof DATADOG_SITES)[number];

export function isSite(s: string): s is DatadogSite {
  return (DATADOG_SITES as readonly string[]).includes(s);
}

/** The site a URL or host name refers to: https://app.datadoghq.eu/ -> datadoghq.eu. */
export function siteOf(value: string): DatadogSite | undefined {
  const host = value.trim().toLowerCase().replace(/^[a-z]+:\/\//, '').replace(/[/:?#].*$/, '').replace(/\.$/, '');
  if (isSite(host)) return host;
  for (const prefix of ['app.', 'api.', 'www.', 'http-intake.logs.', 'trace.agent.'])
    if (host.startsWith(prefix) && isSite(host.slice(prefix.length))) return host.slice(prefix.length) as DatadogSite;
  return undefined;
}

/** The web UI of a site: US1/EU1/US1-FED are app.<site>, the others are the site itself. */
export function appUrlOf(site: string): string {
  return ['datadoghq.com', 'datadoghq.eu', 'ddog-gov.com'].includes(site) ? `https://app.${site}` : `https://${site}`;
}

/** A full link from the relative URL the API returns ("/dashboard/abc-def-ghi/title"). */
export function fullUrl(site: string, relative: string): string {
  return /^https?:\/\//.test(relative) ? relative : `${appUrlOf(site)}${relative.startsWith('/') ? '' : '/'}${relative}`;
}

/** DD_SITE feeds datadog_site (not a secret), like DD_API_KEY feeds datadog_api_key. */
export function siteVarsFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const site = env.DD_SITE?.trim();
  return site ? { datadog_site: site } : {};
}
