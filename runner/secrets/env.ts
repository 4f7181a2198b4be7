// Secrets from the environment become variables, marked secret the moment they are read.
import type { Vars } from '../types.js';
import type { Redactor } from './redact.js';
import { registerLeaves } from './vault.js';

/** Well-known environment variables and the role variables they feed. */
export const SECRET_ENV: Readonly<Record<string, string>> = {
  DD_API_KEY: 'datadog_api_key',
  DD_APP_KEY: 'datadog_app_key',
  DD_MYSQL_PASSWORD: 'datadog_mysql_password',
};

/** Any PLAY_SECRET_<NAME> becomes the secret variable <name> (lower case). */
export const SECRET_ENV_PREFIX = 'PLAY_SECRET_';

export function secretsFromEnv(env: NodeJS.ProcessEnv, redactor: Redactor): Vars {
  const vars: Vars = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    const name = SECRET_ENV[key] ?? (key.startsWith(SECRET_ENV_PREFIX) ? key.slice(SECRET_ENV_PREFIX.length).toLowerCase() : undefined);
    if (!name) continue;
    vars[name] = value;
    registerLeaves(value, redactor);
  }
  return vars;
}

/** For a diagnostic about a missing secret variable: which environment variable provides it. */
export function secretHint(message: string): string {
  for (const [env, name] of Object.entries(SECRET_ENV)) {
    if (message.includes(`'${name}'`)) return `${message} (a secret: export ${env} in the environment)`;
  }
  return message;
}
