DROP TABLE postings;
DROP TABLE entries;
