import { Badge, Group, Paper, SegmentedControl, Stack, Switch, Text, Title } from '@mantine/core';
import { api } from '../shared/api';
import { setLang, useLang, type Lang } from '../shared/i18n';
import { useLabels } from './labels';
import { useT } from './messages';
import { useConsoleTitle, useSession } from './session';
import { setShortcutsEnabled, useShortcutsEnabled } from './shortcuts';
import type { Staff } from './types';

export default function ProfilePage() {
  const t = useT();
  const L = useLabels();
  const lang = useLang();
  const { me, setMe } = useSession();
  const shortcuts = useShortcutsEnabled();
  useConsoleTitle(t('profile'));
  return (
    <Stack gap="md" maw={640}>
      <Title order={1}>{t('profile')}</Title>
      <Paper withBorder p="md" radius="md">
        <Stack gap="xs">
          <Text fw={700} size="lg">
            {me.name}
          </Text>
          <Text>{me.email}</Text>
          <Text>{t('profileRole', { role: L.role(me.role) })}</Text>
          <Text>{me.level ? L.level(me.level) : t('profileNoLevel')}</Text>
          <div>
            <Text fw={700} size="sm" mb={4}>
              {t('profileSkills')}
            </Text>
            {me.skills.length ? (
              <Group gap={6}>
                {me.skills.map((s) => (
                  <Badge key={s} variant="light" color="gray">
                    {s}
                  </Badge>
                ))}
              </Group>
            ) : (
              <Text size="sm">{t('profileNoSkills')}</Text>
            )}
          </div>
        </Stack>
      </Paper>
      <Paper withBorder p="md" radius="md">
        <Stack gap="md">
          <Switch
            label={t('available')}
            description={t('availableHelp')}
            checked={me.available}
            onChange={(e) => {
              const available = e.currentTarget.checked;
              void api.patch<Staff>('/me', { available }).then(setMe).catch(() => undefined);
            }}
          />
          <Switch label={t('kbEnabled')} checked={shortcuts} onChange={(e) => setShortcutsEnabled(e.currentTarget.checked)} />
          <div>
            <Text fw={700} size="sm" mb={4} id="lang-label">
              {t('language')}
            </Text>
            <SegmentedControl
              aria-labelledby="lang-label"
              value={lang}
              onChange={(v) => setLang(v as Lang)}
              data={[
                { value: 'fr', label: 'Français' },
                { value: 'en', label: 'English' },
              ]}
            />
          </div>
        </Stack>
      </Paper>
    </Stack>
  );
}
