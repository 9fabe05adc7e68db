-- The baseline of the ${{ values.name }} database: migrations start from an empty schema, and each
-- schema change is a numbered pair of its own (migrate create -ext sql -dir migrations -seq <name>).
SELECT 1;
