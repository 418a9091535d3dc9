-- The enterprise registry and the gap list page by keyset on
-- (employees DESC, tax_code): this index gives that order, so a page
-- seeks its first row instead of counting past the rows before it.
CREATE INDEX enterprises_size_keyset ON enterprises(employees DESC, tax_code);
