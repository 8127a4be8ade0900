CREATE TYPE "public"."delivery_status" AS ENUM('pending', 'sent', 'delivered', 'read', 'failed');--> statement-breakpoint
CREATE TYPE "public"."message_direction" AS ENUM('inbound', 'outbound');--> statement-breakpoint
CREATE TYPE "public"."callback_outcome" AS ENUM('reached', 'no_answer', 'voicemail', 'wrong_number', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."callback_source" AS ENUM('ivr', 'portal', 'whatsapp', 'console');--> statement-breakpoint
CREATE TYPE "public"."callback_status" AS ENUM('pending', 'done', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."channel_inbox_source" AS ENUM('whatsapp', 'twilio_sms', 'twilio_status', 'email');--> statement-breakpoint
CREATE TYPE "public"."channel_inbox_state" AS ENUM('pending', 'processed', 'ignored', 'failed');--> statement-breakpoint
CREATE TABLE "callbacks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid NOT NULL,
	"ticket_id" uuid,
	"phone" text NOT NULL,
	"owner_id" uuid,
	"due_at" timestamp with time zone NOT NULL,
	"status" "callback_status" DEFAULT 'pending' NOT NULL,
	"source" "callback_source" NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"outcome" "callback_outcome",
	"note" text,
	"call_sid" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"completed_by" uuid,
	CONSTRAINT "callbacks_call_sid_unique" UNIQUE("call_sid")
);
--> statement-breakpoint
CREATE TABLE "calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_sid" text NOT NULL,
	"from_number" text NOT NULL,
	"to_number" text NOT NULL,
	"contact_id" uuid,
	"ticket_id" uuid,
	"queue_id" uuid,
	"outcome" text DEFAULT 'ivr' NOT NULL,
	"status" text,
	"duration_seconds" integer,
	"recording_url" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "calls_call_sid_unique" UNIQUE("call_sid")
);
--> statement-breakpoint
CREATE TABLE "channel_inbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" "channel_inbox_source" NOT NULL,
	"dedupe_key" text NOT NULL,
	"raw" "bytea" NOT NULL,
	"state" "channel_inbox_state" DEFAULT 'pending' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"claimed_until" timestamp with time zone,
	"error" text,
	"result" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "channel_inbox_source_key" UNIQUE("source","dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "channel_message_details" (
	"message_id" uuid PRIMARY KEY NOT NULL,
	"inbox_id" uuid,
	"kind" text NOT NULL,
	"sender" text,
	"subject" text,
	"full_text" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid NOT NULL,
	"ticket_id" uuid,
	"template" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"channel" "channel_kind",
	"recipient" text,
	"provider_message_id" text,
	"status" "delivery_status" DEFAULT 'pending' NOT NULL,
	"error" text,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_notifications_provider_key" UNIQUE("channel","provider_message_id")
);
--> statement-breakpoint
CREATE TABLE "email_reply_tokens" (
	"token" text PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_reply_tokens_ticket_id_unique" UNIQUE("ticket_id")
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "direction" "message_direction";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "provider_message_id" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "delivery_status" "delivery_status";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "delivery_error" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "delivery_attempts" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "delivery_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "callbacks" ADD CONSTRAINT "callbacks_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callbacks" ADD CONSTRAINT "callbacks_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callbacks" ADD CONSTRAINT "callbacks_owner_id_staff_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callbacks" ADD CONSTRAINT "callbacks_completed_by_staff_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_queue_id_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."queues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_message_details" ADD CONSTRAINT "channel_message_details_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_message_details" ADD CONSTRAINT "channel_message_details_inbox_id_channel_inbox_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."channel_inbox"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_notifications" ADD CONSTRAINT "contact_notifications_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_notifications" ADD CONSTRAINT "contact_notifications_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_reply_tokens" ADD CONSTRAINT "email_reply_tokens_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "callbacks_owner_idx" ON "callbacks" USING btree ("owner_id","status","due_at");--> statement-breakpoint
CREATE INDEX "callbacks_due_idx" ON "callbacks" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "calls_contact_idx" ON "calls" USING btree ("contact_id","started_at");--> statement-breakpoint
CREATE INDEX "channel_inbox_pending_idx" ON "channel_inbox" USING btree ("received_at") WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX "contact_notifications_dedupe_idx" ON "contact_notifications" USING btree ("dedupe_key","created_at");--> statement-breakpoint
CREATE INDEX "contact_notifications_ticket_idx" ON "contact_notifications" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_provider_message_idx" ON "messages" USING btree ("channel","provider_message_id") WHERE provider_message_id is not null;