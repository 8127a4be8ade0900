-- The nearest known words in distance order (KNN) for the help-centre spelling: GIN cannot order by distance.
DROP INDEX "search_lexicon_trgm_idx";--> statement-breakpoint
CREATE INDEX "search_lexicon_trgm_idx" ON "search_lexicon" USING gist ("word" gist_trgm_ops);