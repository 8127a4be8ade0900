import '../help-centre.css';
import { Button, Text, Title } from '@mantine/core';
import { categoryHeading, categoryKey, KNOWLEDGE_CATEGORIES } from '../../../../common/src/categories';
import { useLang } from '../../shared/i18n';
import { Icon } from '../../shared/icons';
import { Link } from '../../shared/router';
import { useT } from '../messages';
import { useHotline } from '../portal-api';

/** The way out of every help page: ask an adviser (the request form), or call. */
export function NeedHelp({ id }: { id: string }) {
  const t = useT();
  const { info } = useHotline();
  return (
    <section aria-labelledby={id} className="portal-card help-need">
      <Title order={2} id={id} mb="xs" className="portal-icon-row">
        <Icon name="person" />
        {t('hcNeedHelpTitle')}
      </Title>
      <Text mb="md">{t('hcNeedHelpText')}</Text>
      <Button component={Link} to="/demande">
        {t('hcNeedHelpLink')}
      </Button>
      {info?.hotlinePhone && (
        <Text mt="md">
          {t('hcNeedHelpCall')} <a href={`tel:${info.hotlinePhone.replace(/[^\d+]/g, '')}`}>{info.hotlinePhone}</a>
        </Text>
      )}
    </section>
  );
}

/** Articles grouped under plain-French headings, in the order clients most need them; unknown categories last. */
export function useCategoryGroups<T extends { category: string }>(items: T[]): { key: string; label: string; items: T[] }[] {
  const t = useT();
  const lang = useLang();
  const groups = KNOWLEDGE_CATEGORIES.map((c) => ({ key: c, label: categoryHeading(c, lang), items: items.filter((i) => categoryKey(i.category) === c) }));
  groups.push({ key: 'autres', label: t('hcCatOther'), items: items.filter((i) => !KNOWLEDGE_CATEGORIES.includes(categoryKey(i.category))) });
  return groups.filter((g) => g.items.length > 0);
}
