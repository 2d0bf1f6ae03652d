-- 002: the public list's index also carries kind and id, so that counting
-- and paging with an optional kind filter read the index alone.
DROP INDEX groups_public_order;
CREATE INDEX groups_public_order ON groups(archived, name_sort, id, kind);
