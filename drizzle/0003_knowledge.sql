CREATE TYPE "public"."content_kind" AS ENUM('procedure', 'article');--> statement-breakpoint
CREATE TYPE "public"."content_status" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TABLE "articles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"category" text NOT NULL,
	"keywords" text[] NOT NULL,
	"body" text NOT NULL,
	"status" "content_status" DEFAULT 'published' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"keywords_text" text NOT NULL,
	"body_text" text NOT NULL,
	"match_text" text NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('fr_unaccent', coalesce(title, '') || ' ' || coalesce(keywords_text, '')), 'A')
  || setweight(to_tsvector('fr_unaccent', coalesce(summary, '')), 'B')
  || setweight(to_tsvector('fr_unaccent', coalesce(body_text, '')), 'C')) STORED NOT NULL,
	CONSTRAINT "articles_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "content_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "content_kind" NOT NULL,
	"content_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"note" text,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "content_versions_kind_content_version_key" UNIQUE("kind","content_id","version")
);
--> statement-breakpoint
CREATE TABLE "procedures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"severity" text NOT NULL,
	"category" text NOT NULL,
	"level" smallint NOT NULL,
	"keywords" text[] NOT NULL,
	"related" text[] NOT NULL,
	"body" text NOT NULL,
	"steps" jsonb NOT NULL,
	"scripts" jsonb NOT NULL,
	"escalation" text NOT NULL,
	"official_contacts" text NOT NULL,
	"status" "content_status" DEFAULT 'published' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"keywords_text" text NOT NULL,
	"body_text" text NOT NULL,
	"match_text" text NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('fr_unaccent', coalesce(title, '') || ' ' || coalesce(keywords_text, '')), 'A')
  || setweight(to_tsvector('fr_unaccent', coalesce(summary, '')), 'B')
  || setweight(to_tsvector('fr_unaccent', coalesce(body_text, '')), 'C')) STORED NOT NULL,
	CONSTRAINT "procedures_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "possible_emergency" jsonb;--> statement-breakpoint
ALTER TABLE "articles" ADD CONSTRAINT "articles_updated_by_staff_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_versions" ADD CONSTRAINT "content_versions_author_id_staff_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedures" ADD CONSTRAINT "procedures_updated_by_staff_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "articles_search_idx" ON "articles" USING gin ("search");--> statement-breakpoint
CREATE INDEX "articles_match_trgm_idx" ON "articles" USING gin ("match_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "procedures_search_idx" ON "procedures" USING gin ("search");--> statement-breakpoint
CREATE INDEX "procedures_match_trgm_idx" ON "procedures" USING gin ("match_text" gin_trgm_ops);