-- A report's lines are the children of its unit that are not grassroots
-- unions (store.childLines): it reads the upper units, a few thousand in
-- the nation, by this index, never the 130 000 unions.
CREATE INDEX units_upper ON units(id) WHERE kind <> 'grassroots';
