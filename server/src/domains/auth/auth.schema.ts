import { sql } from 'drizzle-orm';
import { boolean, check, index, pgEnum, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { citext } from '../../platform/column-types';

export const staffRole = pgEnum('staff_role', ['admin', 'supervisor', 'agent', 'technician']);

export const staff = pgTable(
  'staff',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: citext('email').notNull().unique(),
    name: text('name').notNull(),
    role: staffRole('role').notNull(),
    level: smallint('level'),
    skills: text('skills').array().notNull().default(sql`'{}'::text[]`),
    passwordHash: text('password_hash').notNull(),
    active: boolean('active').notNull().default(true),
    available: boolean('available').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('staff_level_range', sql`${t.level} is null or ${t.level} between 1 and 3`),
    check('staff_agent_has_level', sql`${t.role} <> 'agent' or ${t.level} is not null`),
  ],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    staffId: uuid('staff_id').notNull().references(() => staff.id, { onDelete: 'cascade' }),
    // Only a SHA-256 of the token is kept, so a database leak gives no usable token.
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_staff_idx').on(t.staffId)],
);
