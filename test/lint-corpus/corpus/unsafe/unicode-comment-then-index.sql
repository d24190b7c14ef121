-- expect: require-concurrent-index-creation@5
-- squawk-only: prefer-robust-stmts@5 (transaction-mode)
-- opsbook-only: nothing
-- Übersetzung: index für Bestellungen (ä, ö, ü take two bytes each in UTF-8)
CREATE INDEX orders_note_idx ON orders (note);
