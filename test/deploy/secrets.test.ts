/** No deploy file carries a secret; keys reach Azure only at deployment time (listKeys, Key Vault). */
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findSecrets } from './secrets';
import { literal, parseBicep, walk, type Expr } from './bicep';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

const DEPLOY_FILES = [...filesUnder('deploy'), 'Dockerfile', '.dockerignore'];

describe('the secret finder', () => {
  it('finds planted secrets', () => {
    const key = randomBytes(32).toString('base64'); // the shape of an Azure Cache for Redis access key
    const planted = [
      `REDIS_URL=parley.redis.cache.windows.net:6380,password=${key},ssl=True`,
      `value: '${key}'`,
      'rediss://:s3cretPassw0rd@cache.example.com:6380',
      `https://vault.example.com/?token=${key}`,
      'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abcdefghij0123456789',
      '-----BEGIN RSA PRIVATE KEY-----',
      'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'password: hunter2hunter2',
    ];
    for (const p of planted) expect(findSecrets(p), p).not.toEqual([]);
  });

  it('leaves placeholders, references and ordinary text alone', () => {
    const fine = [
      'name.redis.cache.windows.net:6380,password=<access key>,ssl=True,abortConnect=False',
      "value: '${cache.properties.hostName}:6380,password=${cache.listKeys().primaryKey},ssl=True'",
      'password: certPassword',
      'password=…',
      'rediss://:${REDIS_KEY}@host:6380',
      "var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'",
      'https://learn.microsoft.com/azure/app-service/monitor-instances-health-check',
      '"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",',
      'az webapp deploy --resource-group "$resource_group" --name "$app_name" --src-path "$zip_path" --type zip',
    ];
    for (const f of fine) expect(findSecrets(f), f).toEqual([]);
  });
});

describe('deploy files', () => {
  it.each(DEPLOY_FILES)('%s has no secret-looking text', (f) => {
    expect(findSecrets(readFileSync(f, 'utf8'))).toEqual([]);
  });

  it('no Bicep file sets a password, key or secret value to a literal', () => {
    for (const f of DEPLOY_FILES.filter((x) => x.endsWith('.bicep'))) {
      const b = parseBicep(readFileSync(f, 'utf8'));
      const bodies: Expr[] = [...b.resources.map((r) => r.body), ...b.modules.map((m) => m.body), ...b.vars.map((v) => v.value), ...b.params.flatMap((p) => (p.defaultValue ? [p.defaultValue] : []))];
      for (const e of bodies.flatMap(walk)) {
        if (e.kind !== 'object') continue;
        for (const p of e.properties) {
          if (!/password|secret|key$|^value$|^data$/i.test(p.key)) continue;
          const v = literal(p.value);
          expect(typeof v === 'string' && v.length > 0 && !/^(Disabled|Enabled)$/.test(v), `${f}: ${p.key} = ${JSON.stringify(v)}`).toBe(false);
        }
      }
    }
  });
});
