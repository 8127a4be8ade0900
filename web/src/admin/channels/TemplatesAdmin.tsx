import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link } from '../../shared/router';
import { useT } from '../../console/messages';
import { useConsoleTitle } from '../../console/session';
import { useErrorMessage } from '../admin-kit';
import { useChannelsAdminT } from './channels-admin-messages';
import { templatesApi, type MessageTemplateView } from './templates-api';
import { useTemplateWords } from './template-words';

/** The messages Relais sends to clients by itself: what each is for, and a way to change its words. */
export function TemplatesAdmin() {
  const t = useChannelsAdminT();
  const tc = useT();
  const words = useTemplateWords();
  const messageOf = useErrorMessage();
  const [items, setItems] = useState<MessageTemplateView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useConsoleTitle(tc('adminTemplates'), !!error);
  useEffect(() => {
    templatesApi.list().then(setItems, (err) => setError(messageOf(err)));
  }, []);

  return (
    <Stack gap="md" maw={960}>
      <Title order={1}>{tc('adminTemplates')}</Title>
      <Text>{t('tplIntro')}</Text>
      <Text>{t('tplIntroVariables')}</Text>
      {error && (
        <Alert color="red" variant="light" role="alert">
          {error}
        </Alert>
      )}
      {!items && !error && <p role="status">{tc('loading')}</p>}
      {items && (
        <ul className="tpl-cards">
          {items.map((x) => {
            const name = words.name(x.key);
            return (
              <li key={x.key}>
                <Paper withBorder p="md" radius="md">
                  <Stack gap={6}>
                    <Group justify="space-between" align="flex-start" wrap="nowrap">
                      <Title order={2} size="h4">
                        {name}
                      </Title>
                      <Badge color={x.isDefault ? 'gray' : 'relais'} style={{ flexShrink: 0 }}>
                        {x.isDefault ? t('tplIsDefault') : t('tplIsCustom')}
                      </Badge>
                    </Group>
                    <Text size="sm">{words.when(x.key)}</Text>
                    <Text size="sm">
                      <strong>{t('tplSubject')} :</strong> {x.subject}
                    </Text>
                    <Text size="sm" className="tpl-excerpt">
                      {x.text}
                    </Text>
                    <Text size="sm">
                      <strong>{t('tplWaAfterShort')}</strong>{' '}
                      {x.whatsapp ? t('tplWaTemplateSet', { name: x.whatsapp.name, language: x.whatsapp.language }) : t('tplWaTemplateUnset')}
                    </Text>
                    <Text size="sm" c="gray.7">
                      {t('tplVariablesList')} {x.variables.map((v) => `{{${v}}}`).join(', ')}
                    </Text>
                    <Group>
                      <Button component={Link} to={`/admin/messages/${x.key}`} variant="default" size="compact-md">
                        {tc('edit')}
                        <span className="visually-hidden"> : {name}</span>
                      </Button>
                    </Group>
                  </Stack>
                </Paper>
              </li>
            );
          })}
        </ul>
      )}
    </Stack>
  );
}
