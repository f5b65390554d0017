/*
 * migrations.h - the schema migrations, compiled into the program from
 * src/store/migrations/NNNN_name.sql by scripts/embed-sql.sh.  They are
 * applied in order by store_migrate(); a migration is never edited once it
 * has shipped: a change to the schema is a new file.
 */
#ifndef KOUPREY_MIGRATIONS_H
#define KOUPREY_MIGRATIONS_H

struct migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct migration store_migrations[];
extern const int store_migration_count;

#endif
