ALTER TABLE "articles" ADD COLUMN "search_head" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('fr_unaccent', coalesce(title, '') || ' ' || coalesce(keywords_text, '')), 'A')
  || setweight(to_tsvector('fr_unaccent', coalesce(summary, '')), 'B')) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "articles_search_head_idx" ON "articles" USING gin ("search_head");