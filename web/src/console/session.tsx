import { Alert, Button, Container, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, NETWORK } from '../shared/api';
import { usePageTitle } from '../shared/page';
import { useT } from './messages';
import { startRealtime, stopRealtime } from './realtime';
import type { Staff } from './types';

interface Session {
  me: Staff;
  setMe: (s: Staff) => void;
  logout: () => Promise<void>;
}
const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionGate');
  return s;
}

export const can = {
  /** Create, qualify, reply, escalate: the desk (technicians only read their own tickets). */
  work: (me: Staff) => me.role !== 'technician',
  administer: (me: Staff) => me.role === 'admin',
  /** Procedures and help articles: what the API lets edit (MANAGERS). */
  editKnowledge: (me: Staff) => me.role === 'admin' || me.role === 'supervisor',
  /** Told of every cyber emergency (the red banner on every page): level 3, supervisors, admins. */
  seeEmergencies: (me: Staff) => me.role === 'supervisor' || me.role === 'admin' || me.level === 3,
  /** Say a possible emergency is not one: level 2 or 3 and supervisors (the API's own rule). */
  dismissPossibleEmergency: (me: Staff) => me.role === 'supervisor' || (me.role === 'agent' && (me.level ?? 0) >= 2),
};

export function useConsoleTitle(title: string, error = false): void {
  const t = useT();
  usePageTitle(title, { site: t('consoleSite'), error, errorPrefix: t('errorPrefix') });
}

/** Shows the login page until the staff session cookie is valid; then the console, live. */
export function SessionGate({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Staff | null | undefined>(undefined);
  const t = useT();

  useEffect(() => {
    api
      .get<Staff>('/me')
      .then(setMe)
      .catch(() => setMe(null));
  }, []);

  useEffect(() => {
    if (me) startRealtime();
    return () => stopRealtime();
  }, [me?.id]);  

  const logout = useCallback(async () => {
    await api.del('/auth/tokens/current').catch(() => undefined);
    stopRealtime();
    setMe(null);
  }, []);

  if (me === undefined) {
    return (
      <p role="status" style={{ padding: '1rem' }}>
        {t('loading')}
      </p>
    );
  }
  if (me === null) return <LoginPage onLogin={setMe} />;
  return <SessionContext.Provider value={{ me, setMe, logout }}>{children}</SessionContext.Provider>;
}

function LoginPage({ onLogin }: { onLogin: (s: Staff) => void }) {
  const t = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useConsoleTitle(t('loginTitle'), !!error);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError(t('loginMissing'));
      return;
    }
    setBusy(true);
    try {
      const res = await api.post<{ staff: Staff }>('/auth/tokens', { email: email.trim(), password });
      onLogin(res.staff);
    } catch (err) {
      setError(err instanceof ApiError && err.code !== NETWORK ? err.message : t('network'));
      setBusy(false);
    }
  };

  return (
    <>
      <a className="skip-link" href="#contenu">
        {t('skip')}
      </a>
      <header className="console-login-header">
        <Container size={460}>
          <Text fw={800} size="xl">
            {t('consoleSite')}
          </Text>
        </Container>
      </header>
      <main id="contenu" tabIndex={-1}>
        <Container size={460} py="xl">
          <Title order={1} mb="lg">
            {t('loginTitle')}
          </Title>
          <form onSubmit={submit} noValidate>
            <Stack gap="md">
              {error && (
                <Alert color="red" variant="outline" role="alert" title={t('loginFailed')}>
                  {error}
                </Alert>
              )}
              <TextInput label={t('loginEmail')} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.currentTarget.value)} required />
              <PasswordInput label={t('loginPassword')} autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} required />
              <Button type="submit" loading={busy}>
                {t('loginSubmit')}
              </Button>
            </Stack>
          </form>
        </Container>
      </main>
    </>
  );
}
