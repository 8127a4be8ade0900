CREATE TABLE "search_lexicon" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_lexicon_trgm_idx" ON "search_lexicon" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
-- Kept by triggers, so every way of writing content (editing, catalogue import, bulk loads) feeds it.
-- Words are inserted in order so concurrent writers take their locks in the same order. Numbers
-- are left out: they are never corrected, and would outnumber the words.
CREATE OR REPLACE FUNCTION search_lexicon_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_lexicon (word)
  SELECT DISTINCT w FROM regexp_split_to_table(lower(unaccent(
    coalesce(NEW.title, '') || ' ' || coalesce(NEW.keywords_text, '') || ' ' || coalesce(NEW.summary, '') || ' ' || coalesce(NEW.body_text, ''))), '[^a-z0-9]+') AS w
  WHERE length(w) BETWEEN 2 AND 40 AND w ~ '[a-z]'
  ORDER BY w
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER articles_search_lexicon AFTER INSERT OR UPDATE OF title, keywords_text, summary, body_text ON articles
  FOR EACH ROW EXECUTE FUNCTION search_lexicon_add();--> statement-breakpoint
CREATE TRIGGER procedures_search_lexicon AFTER INSERT OR UPDATE OF title, keywords_text, summary, body_text ON procedures
  FOR EACH ROW EXECUTE FUNCTION search_lexicon_add();--> statement-breakpoint
INSERT INTO search_lexicon (word)
SELECT DISTINCT w FROM (
  SELECT title || ' ' || keywords_text || ' ' || summary || ' ' || body_text AS t FROM articles
  UNION ALL SELECT title || ' ' || keywords_text || ' ' || summary || ' ' || body_text FROM procedures
) d, regexp_split_to_table(lower(unaccent(d.t)), '[^a-z0-9]+') AS w
WHERE length(w) BETWEEN 2 AND 40 AND w ~ '[a-z]'
ON CONFLICT DO NOTHING;
