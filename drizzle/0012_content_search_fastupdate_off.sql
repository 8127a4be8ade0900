-- Content search indexes written straight into the index (no pending list that every search reads until a vacuum: the embedded database never vacuums). Rebuilt, so nothing is left pending.
DROP INDEX "articles_search_idx";--> statement-breakpoint
DROP INDEX "articles_search_head_idx";--> statement-breakpoint
DROP INDEX "articles_match_trgm_idx";--> statement-breakpoint
DROP INDEX "procedures_search_idx";--> statement-breakpoint
DROP INDEX "procedures_match_trgm_idx";--> statement-breakpoint
CREATE INDEX "articles_search_idx" ON "articles" USING gin ("search") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "articles_search_head_idx" ON "articles" USING gin ("search_head") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "articles_match_trgm_idx" ON "articles" USING gin ("match_text" gin_trgm_ops) WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "procedures_search_idx" ON "procedures" USING gin ("search") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "procedures_match_trgm_idx" ON "procedures" USING gin ("match_text" gin_trgm_ops) WITH (fastupdate=false);