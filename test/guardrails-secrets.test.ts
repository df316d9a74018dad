import { plainSecret, plainSecretsInScript } from '../lib/guardrails/secrets';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('plainSecret', () => {
  test.each([
    // Credentials: by a URL's password, by the value's format, by the variable's name.
    ['DATABASE_URL', 'postgres://u:p@h/db', 'url'],
    ['CACHE', 'redis://:hunter2@cache:6379/0?tls=${TLS}', 'url'],
    ['STRIPE_SK', 'sk_live_x', 'shape'],
    ['PAYMENTS', 'sk_live_abc123', 'shape'],
    ['GITHUB_APP_PEM', '-----BEGIN RSA PRIVATE KEY-----\nMIIE', 'shape'],
    ['GOOGLE_APPLICATION_CREDENTIALS', '{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE"}', 'shape'],
    ['DB_PASS', 'x', 'name'],
    ['DB_PASSWORD', 'hunter2', 'name'],
    ['ADMIN_PASSWORD', '123456', 'name'], // a password is a password even when it is a number
    ['PGPASSWORD', 'hunter2', 'name'],
    ['MYSQL_PWD', 'hunter2', 'name'],
    ['stripeApiKey', 'abc', 'name'],
    ['API_KEY', 'abc123', 'name'],
    ['sessionPepper', 'abc', 'name'],
    ['WEBHOOK_SECRET', 'https://hooks.slack.com/services/T0/B0/abc123', 'name'], // a URL can be the secret itself
    ['SITE_API_KEY', 'abc', 'name'],
    // Not secrets: public keys, where a secret is, a resource's name, settings about a secret, flags, numbers.
    ['STRIPE_PUBLISHABLE_KEY', 'pk_live_x', undefined],
    ['STRIPE_KEY', 'pk_test_x', undefined],
    ['NEXT_PUBLIC_API_KEY', 'abc123', undefined],
    ['JWT_PUBLIC_KEY', '-----BEGIN PUBLIC KEY-----', undefined],
    ['DEPLOY_SSH_KEY', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample deploy@example.com', undefined],
    ['GOOGLE_APPLICATION_CREDENTIALS', '/secrets/sa.json', undefined],
    ['SSH_KEY', '~/.ssh/id_ed25519', undefined],
    ['KMS_KEY', 'arn:aws:kms:us-west-2:123456789012:key/1234abcd', undefined],
    ['KMS_KEY', 'projects/p/locations/global/keyRings/r/cryptoKeys/k', undefined],
    ['KMS_KEY', 'some-literal-value', undefined],
    ['SIGNING_KEY', 'alias/app-signing', undefined],
    ['RECAPTCHA_SITE_KEY', '6LcAbc', undefined],
    ['SORT_KEY', 'createdAt', undefined],
    ['SESSION_TOKEN_MAX_AGE', '3600', undefined],
    ['TOKEN_TTL', '3600', undefined],
    ['REFRESH_TOKEN', '15m', undefined],
    ['PASSWORD_MIN_LENGTH', '12', undefined],
    ['AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE', undefined],
    ['SK_ATTRIBUTE', 'sk', undefined],
    ['PWD', 'app', undefined],
    ['KEYBOARD_LAYOUT', 'us', undefined],
    ['ENABLED_SECRET', 'true', undefined],
    ['DATABASE_URL', 'postgres://app@db.internal/app', undefined],
    ['DATABASE_URL', 'postgres://app:${random_password.db.result}@10.0.0.3/app', undefined],
    ['DB_PASSWORD', '${random_password.db.result}', undefined],
    ['DB_PASSWORD', '$(aws secretsmanager get-secret-value)', undefined],
    ['DB_PASSWORD', '', undefined],
    ['DB_PASSWORD', 7, undefined],
  ])('%s=%s: %s', (name, value, kind) => {
    expect(plainSecret(name, value)).toBe(kind);
  });

  test('never returns the value', () => {
    for (const [name, value] of [['DB_PASS', 'hunter2'], ['DATABASE_URL', 'postgres://u:hunter2@h/db'], ['X', 'sk_live_hunter2']]) {
      const kind = plainSecret(name, value);
      expect(kind).toBeDefined();
      expect(String(kind)).not.toContain('hunter2');
    }
  });
});

describe('plainSecretsInScript', () => {
  test('reads assignments, exports, docker -e, env files and container declarations', () => {
    const script = [
      '#!/bin/bash',
      'export DB_PASSWORD="hunter2"',
      'docker run -e API_KEY=abc123 -e MODE=prod app',
      'Environment=SMTP_PWD=hunter2',
      'Environment="REDIS_PASSWORD=hunter2"',
      `printf '%s' '${b64('sk_live_123')}' | base64 -d > /run/serverpod/env/SERVERPOD_PASSWORD_stripeKey`,
      `printf '%s' '${b64('8080')}' | base64 -d > /run/serverpod/env/SERVERPOD_API_SERVER_PORT`,
      'DATABASE_URL=postgres://app:hunter2@db/app /usr/bin/app',
      'TOKEN="$(gcp_token)"',
      'SESSION_TOKEN_MAX_AGE=3600',
      'spec:\n  containers:\n  - env:\n    - name: MAIL_PASSWORD\n      value: hunter2',
    ].join('\n');
    const found = plainSecretsInScript(script);
    expect(Object.fromEntries(found)).toEqual({
      DB_PASSWORD: 'name',
      API_KEY: 'name',
      SMTP_PWD: 'name',
      REDIS_PASSWORD: 'name',
      SERVERPOD_PASSWORD_stripeKey: 'shape',
      DATABASE_URL: 'url',
      MAIL_PASSWORD: 'name',
    });
    expect(JSON.stringify([...found])).not.toMatch(/hunter2|sk_live|abc123/);
  });
});
