/**
 * deploy/azure/deploy.sh: syntax (bash -n, and shellcheck where installed), its flags, and the
 * exact az / npm / zip commands it would run, read from its --dry-run trace (nothing reaches Azure).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const SCRIPT = 'deploy/azure/deploy.sh';
const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

function deploy(args: string[], env: Record<string, string> = {}) {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PARLEY_') && v !== undefined) clean[k] = v;
  const res = spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8', env: { ...clean, ...env }, timeout: 30_000 });
  const commands = res.stdout
    .split('\n')
    .filter((l) => l.startsWith('+ '))
    .map((l) => l.slice(2));
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, commands };
}

/** Index of the first command matching `re`, failing the test when there is none. */
function find(commands: string[], re: RegExp): number {
  const i = commands.findIndex((c) => re.test(c));
  expect(i, `no command matches ${re}\n${commands.join('\n')}`).toBeGreaterThanOrEqual(0);
  return i;
}

describe('deploy.sh', () => {
  it('passes bash -n and is strict', () => {
    const res = spawnSync('bash', ['-n', SCRIPT], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const src = readFileSync(SCRIPT, 'utf8');
    expect(src.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(src).toMatch(/^set -euo pipefail$/m);
    expect(src).toContain('az webapp deploy');
    expect(src).toContain('/healthz');
  });

  it.skipIf(!hasShellcheck)('passes shellcheck (skipped when shellcheck is not installed)', () => {
    const res = spawnSync('shellcheck', ['-x', SCRIPT], { encoding: 'utf8' });
    expect(res.stdout).toBe('');
    expect(res.status).toBe(0);
  });

  it('prints help with every command', () => {
    const res = deploy(['--help']);
    expect(res.status).toBe(0);
    for (const c of ['up', 'infra', 'package', 'code', 'scale N', 'logs', 'health', '--scale N', '--dry-run']) expect(res.stdout).toContain(c);
  });

  it('up: build, production-only package, resource group, Bicep deployment, zip deploy, health check, in that order', () => {
    const { status, commands, stderr } = deploy(['--dry-run', '-g', 'rg-parley', '-l', 'northeurope', 'up']);
    expect(stderr).not.toMatch(/deploy\.sh: /);
    expect(status).toBe(0);
    const order = [
      find(commands, /^npm ci --no-audit --no-fund$/),
      find(commands, /^npm run build$/),
      find(commands, /^npm ci --omit=dev --ignore-scripts/),
      find(commands, /^zip -qr \S+parley-appservice\.zip dist package\.json package-lock\.json node_modules$/),
      find(commands, /^az group create --name rg-parley --location northeurope/),
      find(commands, /^az deployment group create --resource-group rg-parley .*--template-file \S*deploy\/azure\/main\.bicep --parameters namePrefix=parley/),
      find(commands, /^az webapp deploy --resource-group rg-parley --name dry-run-webapp --src-path \S+\.zip --type zip$/),
      find(commands, /^curl .*https:\/\/dry-run-webapp\.azurewebsites\.net\/healthz$/),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // the web app name comes from the deployment's outputs
    find(commands, /^az deployment group show .*--query properties\.outputs\.webAppName\.value/);
  });

  it('passes parameters files, --param values and --scale into the deployment', () => {
    const { status, commands } = deploy(['--dry-run', '-g', 'rg', '-n', 'chat', '-p', 'prod.json', '--param', 'logLevel=debug', '--param', 'deployAppGateway=true', '--scale', '3', 'infra']);
    expect(status).toBe(0);
    const d = commands[find(commands, /^az deployment group create/)]!;
    expect(d).toContain('--parameters namePrefix=chat --parameters @prod.json --parameters logLevel=debug --parameters deployAppGateway=true --parameters instanceCount=3');
    expect(commands.some((c) => c.startsWith('npm'))).toBe(false); // infra only
  });

  it('scale N and code --scale N resize the App Service plan; logs streams with az webapp log tail', () => {
    const scale = deploy(['--dry-run', '-g', 'rg', '-a', 'my-app', 'scale', '4']);
    expect(scale.status).toBe(0);
    find(scale.commands, /^az appservice plan update --ids \S+ --number-of-workers 4/);
    const code = deploy(['--dry-run', '-g', 'rg', '-a', 'my-app', '--scale', '2', '--skip-build', 'code']);
    expect(code.status).toBe(0);
    expect(code.commands.some((c) => c.startsWith('npm run build'))).toBe(false);
    expect(find(code.commands, /^az webapp deploy .*--name my-app/)).toBeLessThan(find(code.commands, /--number-of-workers 2/));
    const logs = deploy(['--dry-run', '-g', 'rg', '-a', 'my-app', 'logs']);
    expect(logs.status).toBe(0);
    expect(find(logs.commands, /^az webapp log config .*--docker-container-logging filesystem/)).toBeLessThan(find(logs.commands, /^az webapp log tail --resource-group rg --name my-app$/));
  });

  it('takes settings from the environment too', () => {
    const { status, commands } = deploy(['--dry-run', 'health'], { PARLEY_RESOURCE_GROUP: 'rg-env', PARLEY_APP_NAME: 'env-app' });
    expect(status).toBe(0);
    find(commands, /^az webapp show --resource-group rg-env --name env-app --query defaultHostName/);
    find(commands, /^curl .*\/healthz$/);
  });

  it('packages for Windows with web.config and the server.cjs shim at the root', () => {
    const { status, commands } = deploy(['--dry-run', '--windows', 'package']);
    expect(status).toBe(0);
    find(commands, /^cp \S+\/windows\/web\.config \S+\/windows\/server\.cjs /);
    find(commands, /^zip -qr \S+ dist package\.json package-lock\.json node_modules web\.config server\.cjs$/);
  });

  it.each([
    [['--dry-run', 'up'], /no resource group/],
    [['--dry-run', '-g', 'rg', 'scale', '0'], /instance count must be 1-30/],
    [['--dry-run', '-g', 'rg', '--scale', 'many', 'infra'], /instance count must be 1-30/],
    [['--dry-run', '-g'], /-g needs a value/],
    [['--dry-run', '--bogus'], /unknown argument '--bogus'/],
    [['--dry-run', '-g', 'rg', 'up', 'logs'], /one command at a time/],
    [['--dry-run', '-g', 'rg', '--windows', 'up'], /--windows only packages/],
  ])('refuses %j', (args, message) => {
    const res = deploy(args);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(message);
  });
});
