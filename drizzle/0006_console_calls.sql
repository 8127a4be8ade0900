CREATE TYPE "public"."call_direction" AS ENUM('inbound', 'outbound');--> statement-breakpoint
CREATE TYPE "public"."call_source" AS ENUM('ivr', 'console');--> statement-breakpoint
ALTER TABLE "calls" ALTER COLUMN "call_sid" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ALTER COLUMN "from_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ALTER COLUMN "to_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "source" "call_source" DEFAULT 'ivr' NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "direction" "call_direction" DEFAULT 'inbound' NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "staff_id" uuid;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calls_ticket_idx" ON "calls" USING btree ("ticket_id","started_at");--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_ended_after_start" CHECK ("calls"."ended_at" is null or "calls"."ended_at" >= "calls"."started_at");