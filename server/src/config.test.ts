import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeNull();
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir.endsWith('/data')).toBe(true);
    expect(c.ticketPrefix).toBe('NUM');
    expect(c.demoPassword).toBe('relais-demo');
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', RELAIS_ADMIN_EMAIL: 'pas-un-email', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toContain('PORT');
      expect(msg).toContain('DATABASE_URL');
      expect(msg).toContain('RELAIS_ADMIN_EMAIL');
      expect(msg).toContain('LOG_LEVEL');
    }
  });

  it('requires the admin email and password together', () => {
    expect(() => loadConfig({ RELAIS_ADMIN_EMAIL: 'a@b.fr' })).toThrow(/vont ensemble/);
    expect(loadConfig({ RELAIS_ADMIN_EMAIL: 'a@b.fr', RELAIS_ADMIN_PASSWORD: 'long-enough-pw' }).adminEmail).toBe('a@b.fr');
  });

  it('accepts a PostgreSQL URL and a public URL without trailing slash', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/relais', PUBLIC_URL: 'https://aide.numi.example/' });
    expect(c.databaseUrl).toBe('postgres://u@127.0.0.1:5432/relais');
    expect(c.publicUrl).toBe('https://aide.numi.example');
  });

  it('rejects an out-of-range port and a bad ticket prefix', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ RELAIS_TICKET_PREFIX: 'num' })).toThrow(/RELAIS_TICKET_PREFIX/);
  });
});
