import { boolean, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { BusinessCalendar } from '../scheduling/business-hours';

export const businessCalendars = pgTable('business_calendars', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  timezone: text('timezone').notNull(),
  slots: jsonb('slots').$type<BusinessCalendar['slots']>().notNull(),
  holidays: jsonb('holidays').$type<BusinessCalendar['holidays']>(),
  closures: jsonb('closures').$type<BusinessCalendar['closures']>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const queues = pgTable('queues', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  // The phone-menu key (OCM: 1 software, 2 cloud, 3 sales, 4 administration).
  menuKey: smallint('menu_key').unique(),
  defaultLevel: smallint('default_level').notNull().default(1),
  calendarId: uuid('calendar_id').notNull().references(() => businessCalendars.id),
  requiredSkill: text('required_skill'),
  // OCM intake policies: support only for trained users, audit before a new client is served.
  requiresTraining: text('requires_training'),
  requiresAudit: boolean('requires_audit').notNull().default(false),
  isCyber: boolean('is_cyber').notNull().default(false),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Workspace-wide settings edited by admins (SLA policy, red-button instructions…). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
