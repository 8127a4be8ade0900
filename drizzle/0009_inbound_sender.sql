-- The first message of someone unknown starts their conversation in ONE statement (contact,
-- ticket, message, confirmation; channels/inbound/new-conversation.ts). The same person's
-- messages taken by two nodes at once must still make one contact and one ticket: this takes
-- the per-sender lock the channel intake's transaction takes (pg_advisory_xact_lock, held to the
-- end of the caller's transaction) and only then looks the sender up. Being VOLATILE, it reads
-- with a snapshot taken after the lock (READ COMMITTED), so whatever an earlier holder of the
-- lock committed is seen, which the calling statement's own snapshot, taken before the wait,
-- would miss.
CREATE FUNCTION relais_inbound_sender(lock_key text, number text) RETURNS uuid
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(lock_key, 0));
  RETURN (SELECT contact_id FROM contact_identities WHERE kind IN ('phone', 'whatsapp') AND value = number LIMIT 1);
END
$$;
